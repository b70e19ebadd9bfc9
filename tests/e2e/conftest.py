"""The real app over HTTP on a loopback port, signed requests as Slack sends them, and the
fake Slack Web API it calls back.

A module's tests share one HTTP server and one stand-in Slack; each test gives the server
a new app on its own database, and finds the stand-in as if Slack had heard nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest

from bot.base.config import Settings
from bot.slack.app import build_app
from bot.slack.deps import Deps
from bot.slack.server import Background, http_server, wsgi_app
from bot.slack.standin import FakeSlack, SlackUser
from tests.helpers import served

SECRET = "test-signing-secret"
CHANNEL = "C0TEAM"


class Slack(SlackUser):
    """The signed requests of the tests: to the team's channel, with the tests' secret."""

    def __init__(self, url: str, fake: FakeSlack):
        super().__init__(url, fake, SECRET, CHANNEL)


class Switch:
    """The WSGI application of a module's server: the app of the test running."""

    def __init__(self) -> None:
        self.application: Callable | None = None

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        assert self.application is not None, "a request came between tests"
        return self.application(environ, start_response)


@pytest.fixture(scope="module")
def _module_slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture(scope="module")
def _module_server():
    switch = Switch()
    server = Background(http_server(switch, "127.0.0.1", 0))
    yield server, switch
    server.stop()


@pytest.fixture
def fake_slack(_module_slack):
    _module_slack.forget()
    return _module_slack


@pytest.fixture
def slack(factory, fake_slack, _module_server):
    server, switch = _module_server
    settings = Settings(
        slack_bot_token="xoxb-test", slack_signing_secret=SECRET, slack_api_url=fake_slack.url
    )
    deps = Deps(factory=factory, settings=settings)
    switch.application = wsgi_app(build_app(settings, factory, deps=deps), factory, SECRET)
    yield Slack(f"http://127.0.0.1:{server.port}/slack/events", fake_slack)
    switch.application = None
    # What this test's app still has in hand finishes before the next test starts.
    deps.stop()
    deps.work.shutdown(wait=True)


@pytest.fixture
def database(engine) -> str:
    """The URL of a database with a review taking proposals, for `qpr serve` run in a
    process of its own (the fault and Socket Mode tests)."""
    return served._review_in_progress(engine)


@pytest.fixture
def fake():
    """The stand-in Slack, for a `qpr serve` of its own."""
    with FakeSlack() as fake:
        yield fake
