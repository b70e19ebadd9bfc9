"""Serving the app: the reminders' scheduler, then Socket Mode when SLACK_APP_TOKEN is set,
else HTTP at POST /slack/events."""

from __future__ import annotations

import sys

from bot.base.config import Settings
from bot.base.logs import configure
from bot.slack.app import build_app, web_client
from bot.slack.deps import Deps
from bot.slack.scheduler import Reminders
from bot.slack.server import make_server
from bot.slack.tokens import token_problem
from storage import migrate
from storage.db import SessionFactory, make_engine


def serve(settings: Settings, host: str) -> int:
    """Run until stopped; an exit code, with a line on standard error if it cannot start."""
    if not settings.slack_bot_token:
        print("qpr: SLACK_BOT_TOKEN is not set (see .env.example)", file=sys.stderr)
        return 2
    if not settings.slack_app_token and not settings.slack_signing_secret:
        print(
            "qpr: set SLACK_SIGNING_SECRET for HTTP mode, or SLACK_APP_TOKEN for Socket Mode",
            file=sys.stderr,
        )
        return 2
    configure()
    client = web_client(settings)
    problem = token_problem(settings, client)
    if problem:
        print(f"qpr: {problem}", file=sys.stderr)
        return 2
    factory = SessionFactory(make_engine(settings.database_url))
    migrate.upgrade(factory.engine)
    deps = Deps(factory=factory, settings=settings)
    app = build_app(settings, factory, client=client, deps=deps)
    Reminders(deps, app.client).start()
    if settings.slack_app_token:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        print("QPR bot: Socket Mode", file=sys.stderr)
        SocketModeHandler(app, settings.slack_app_token).start()
        return 0
    server = make_server(
        app, factory, host, settings.port, signing_secret=settings.slack_signing_secret
    )
    print(
        f"QPR bot: HTTP on {host}:{settings.port} (POST /slack/events, GET /healthz)",
        file=sys.stderr,
    )
    server.run()
    return 0
