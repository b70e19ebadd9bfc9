"""The tokens checked before serving, so that a wrong one ends the start with one line
rather than every command later failing with Slack's "installation is no longer
available"."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError

from bot.base.config import Settings
from bot.slack.calls import slack_error

log = logging.getLogger(__name__)

# What Slack says of a token that will never work, as against one it cannot check now.
REFUSED = {
    "invalid_auth",
    "not_authed",
    "token_revoked",
    "token_expired",
    "account_inactive",
    "not_allowed_token_type",
    "invalid_token_type",
}


@dataclass(frozen=True)
class Checked:
    problem: str | None  # one line on what is wrong, or None
    accepted: bool  # Slack took the bot token (not only failed to answer)


def check_tokens(settings: Settings, client) -> Checked:
    """The tokens checked with Slack: what is wrong, and whether Slack accepted the bot's."""
    bot = settings.slack_bot_token or ""
    if bot.startswith("xapp-"):
        return Checked(
            "SLACK_BOT_TOKEN is an app-level token (xapp-…); the bot token starts with xoxb-",
            False,
        )
    if not bot.startswith("xoxb-"):
        return Checked("SLACK_BOT_TOKEN is not a bot token: it starts with xoxb-", False)
    app_token = settings.slack_app_token
    if app_token is not None and not app_token.startswith("xapp-"):
        return Checked("SLACK_APP_TOKEN is not an app-level token: it starts with xapp-", False)
    checks: list[tuple[str, Callable[..., object], dict[str, str]]] = [
        ("SLACK_BOT_TOKEN", client.auth_test, {})
    ]
    if app_token is not None:
        checks.append(("SLACK_APP_TOKEN", client.apps_connections_open, {"app_token": app_token}))
    accepted = set()
    for name, call, args in checks:
        try:
            call(**args)
        except SlackApiError as exc:
            error = slack_error(exc)
            if error in REFUSED:
                problem = f"Slack refused {name} ({error}): check it in the app's settings"
                return Checked(problem, False)
            log.warning("could not check %s: Slack said %s", name, error)
        except OSError as exc:
            log.warning("could not check %s: %s", name, type(exc).__name__)
        else:
            accepted.add(name)
    return Checked(None, "SLACK_BOT_TOKEN" in accepted)
