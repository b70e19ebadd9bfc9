"""Settings from the environment (and a .env file), read once at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv

from storage.db import DEFAULT_URL

SLACK_API_URL = "https://slack.com/api/"


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_URL
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = SLACK_API_URL
    timezone: str = "Europe/London"
    fy_start_month: int = 4
    port: int = 3000
    # Years people's words and identities are kept (`qpr retention`).
    retain_years: int = 6

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, dotenv: Path | None = None) -> Settings:
        if env is None:
            load_dotenv(dotenv or Path.cwd() / ".env")
            env = dict(os.environ)
        try:
            fy_start = int(env.get("QPR_FY_START_MONTH") or 4)
            port = int(env.get("PORT") or 3000)
            retain_years = int(env.get("QPR_RETAIN_YEARS") or 6)
        except ValueError as exc:
            raise SettingsError(
                f"QPR_FY_START_MONTH, PORT and QPR_RETAIN_YEARS must be whole numbers ({exc})"
            ) from None
        if retain_years < 1:
            raise SettingsError("QPR_RETAIN_YEARS must be 1 or more")
        if not 1 <= fy_start <= 12:
            raise SettingsError("QPR_FY_START_MONTH must be a month number, 1 to 12")
        return cls(
            database_url=env.get("DATABASE_URL") or DEFAULT_URL,
            slack_bot_token=env.get("SLACK_BOT_TOKEN") or None,
            slack_signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
            slack_app_token=env.get("SLACK_APP_TOKEN") or None,
            slack_api_url=env.get("SLACK_API_URL") or SLACK_API_URL,
            timezone=env.get("QPR_TIMEZONE") or "Europe/London",
            fy_start_month=fy_start,
            port=port,
            retain_years=retain_years,
        )

    def __repr__(self) -> str:
        # Tokens never reach a log line.
        return (
            f"Settings(database_url={_redact_url(self.database_url)!r}, "
            f"slack_api_url={self.slack_api_url!r}, timezone={self.timezone!r}, "
            f"fy_start_month={self.fy_start_month}, port={self.port}, "
            f"retain_years={self.retain_years})"
        )


def _redact_url(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return url
