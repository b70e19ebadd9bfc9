"""HTTP mode: Slack's requests at POST /slack/events and a health check at GET /healthz,
served by waitress (Bolt's own development server answers one request at a time)."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.slack.gate import gate
from storage.db import SessionFactory, is_reachable

EVENTS_PATH = "/slack/events"
log = logging.getLogger(__name__)


def wsgi_app(app: App, factory: SessionFactory, signing_secret: str) -> Callable:
    slack = gate(SlackRequestHandler(app, path=EVENTS_PATH), signing_secret)

    health = health_app(factory)

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "") == EVENTS_PATH:
            return _timed(slack, environ, start_response)
        return health(environ, start_response)

    return application


def health_app(factory: SessionFactory) -> Callable:
    """GET /healthz alone: 200 while the database is reachable, 503 otherwise (served on
    its own in Socket Mode, where Slack's requests come over the WebSocket)."""

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "") == "/healthz" and environ.get("REQUEST_METHOD") == "GET":
            reachable = is_reachable(factory.engine)
            body = json.dumps(
                {"ok": reachable, "database": "reachable" if reachable else "unreachable"}
            )
            start_response(
                "200 OK" if reachable else "503 Service Unavailable",
                [("Content-Type", "application/json")],
            )
            return [body.encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    return application


def _timed(inner: Callable, environ: dict, start_response: Callable) -> Iterable[bytes]:
    """Slack's request answered, with one line of how: method, status and time taken (what
    the request was is logged as it arrives, by the app's request log)."""
    started = time.monotonic()

    def answered(status: str, headers, exc_info=None):
        log.info(
            "%s %s %s in %.0f ms",
            environ.get("REQUEST_METHOD"),
            EVENTS_PATH,
            status.split(" ", 1)[0],
            (time.monotonic() - started) * 1000,
        )
        return start_response(status, headers, exc_info)

    return inner(environ, answered)


def make_server(
    app: App,
    factory: SessionFactory,
    host: str,
    port: int,
    *,
    signing_secret: str,
    threads: int = 8,
):
    """A waitress server of the app, not yet running: `.run()` serves, `.close()` stops."""
    return http_server(wsgi_app(app, factory, signing_secret), host, port, threads=threads)


def http_server(application: Callable, host: str, port: int, *, threads: int = 8):
    """A waitress server of any WSGI application (the tests give one server a new app for
    each test)."""
    from waitress.server import create_server

    return create_server(
        application,
        host=host,
        port=port,
        threads=threads,
        ident="qpr-bot",
    )


class Background:
    """A server running in a thread, for the demo, the tests and the benchmarks."""

    def __init__(self, server):
        self.server = server
        self.port = server.effective_port
        self._stopping = False
        self._thread = threading.Thread(target=self._run, daemon=True, name="qpr-http")
        self._thread.start()

    def _run(self) -> None:
        try:
            self.server.run()
        except (OSError, ValueError):
            # Closing the sockets under the loop ends it with one of these; only then.
            if not self._stopping:
                raise

    def stop(self) -> None:
        if self._stopping:
            return
        self._stopping = True
        if self._thread.is_alive():
            # Closed by the server's own loop, woken for it: closed from here, the loop
            # would sleep out its wait (a second) on sockets gone before it noticed.
            self.server.trigger.pull_trigger(self._close)
            self._thread.join(timeout=5)
        if self.server._map:  # its loop had ended, or did not close it in time
            self._close()

    def _close(self) -> None:
        self.server.close()
        for channel in list(self.server._map.values()):
            channel.close()
