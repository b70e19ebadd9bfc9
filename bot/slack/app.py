"""The Bolt app, built from settings and a session factory."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler

from bot.base.config import Settings
from bot.slack.deps import Deps
from bot.slack.listeners import VERBS, register
from bot.slack.request_log import on_error, request_logger
from storage.db import SessionFactory


def web_client(settings: Settings) -> WebClient:
    """A Web API client that waits out rate limits and retries Slack's passing failures."""
    base_url = (
        settings.slack_api_url
        if settings.slack_api_url.endswith("/")
        else (settings.slack_api_url + "/")
    )
    return WebClient(
        token=settings.slack_bot_token,
        base_url=base_url,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def build_app(
    settings: Settings,
    factory: SessionFactory,
    client: WebClient | None = None,
    deps: Deps | None = None,
) -> App:
    """The wired app. Pass `deps` to hold on to its work pool (to wait for it, in tests)."""
    app = App(
        client=client or web_client(settings),
        signing_secret=settings.slack_signing_secret or "unused-in-socket-mode",
        # auth.test runs on the first request rather than at start-up, so the bot starts
        # (and reports its health) while Slack is unreachable.
        token_verification_enabled=False,
        request_verification_enabled=settings.slack_app_token is None,
    )
    app.use(request_logger(set(VERBS) | {"help"}))
    app.error(on_error)
    register(app, deps or Deps(factory=factory, settings=settings))
    return app
