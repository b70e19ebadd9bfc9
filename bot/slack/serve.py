"""Serving the app: the inbox's worker and the reminders in a process of their own (see
worker_process), then Socket Mode when SLACK_APP_TOKEN is set, else HTTP at POST
/slack/events."""

from __future__ import annotations

import signal
import sys
from functools import partial

from bot.base.config import Settings
from bot.base.logs import configure
from bot.slack.app import build_app, web_client
from bot.slack.deps import Deps
from bot.slack.server import Background, health_app, http_server, make_server
from bot.slack.tokens import check_tokens
from bot.slack.worker_process import WorkerProcess
from reviews.cases import Context, installation
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
    checked = check_tokens(settings, client)
    if checked.problem:
        print(f"qpr: {checked.problem}", file=sys.stderr)
        return 2
    worker = WorkerProcess(settings)
    factory = SessionFactory(make_engine(settings.database_url), urgent_elsewhere=worker.urgent)
    migrate.upgrade(factory.engine)
    ctx = Context(factory)
    if checked.accepted and installation.resume(ctx):
        print("QPR bot: Slack has the app again: sending resumes", file=sys.stderr)
    elif installation.is_stopped(ctx):
        print(
            "QPR bot: Slack said the app was uninstalled or its tokens revoked: nothing is "
            "sent until Slack accepts the bot token at a start",
            file=sys.stderr,
        )
    worker.start()  # the inbox's work and the reminders (see worker_process)
    deps = Deps(factory=factory, settings=settings, elsewhere=worker.wake)
    app = build_app(settings, factory, client=client, deps=deps)
    signal.signal(signal.SIGTERM, partial(_stopped, worker))
    try:
        if settings.slack_app_token:
            _socket_mode(app, settings.slack_app_token, factory, host, settings.port)
        else:
            _http(app, factory, host, settings)
    except (_Stop, KeyboardInterrupt):
        pass  # the HTTP server ends its loop itself; Socket Mode ends here
    finally:
        # What is in the inbox and not finished within the time is left for the next start
        # (or another instance) to take up.
        print("QPR bot: stopping, with the work in hand", file=sys.stderr)
        worker.stop()
        deps.stop()
        print("QPR bot: stopped", file=sys.stderr)
    return 0


class _Stop(SystemExit):
    """SIGTERM: stop taking requests, finish or let go of what is in hand, exit. A
    SystemExit, as the HTTP server's loop lets only that kind through its error handling."""


def _stopped(worker: WorkerProcess, signum, frame) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: a second must not cut the drain short
    worker.stop_taking()  # at once, not after the server has closed
    raise _Stop(0)


def _socket_mode(app, app_token: str, factory, host: str, port: int) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    # Only the health check listens on PORT: a container's or a load balancer's check holds
    # in either mode.
    health = Background(http_server(health_app(factory), host, port, threads=2))
    handler = SocketModeHandler(app, app_token)
    print(f"QPR bot: Socket Mode (GET /healthz on {host}:{port})", file=sys.stderr)
    try:
        handler.start()
    finally:
        handler.close()
        health.stop()


def _http(app, factory, host: str, settings: Settings) -> None:
    secret = settings.slack_signing_secret
    assert secret is not None, "serve refuses HTTP mode without it"
    server = make_server(app, factory, host, settings.port, signing_secret=secret)
    print(
        f"QPR bot: HTTP on {host}:{settings.port} (POST /slack/events, GET /healthz)",
        file=sys.stderr,
    )
    try:
        server.run()
    finally:
        server.close()
