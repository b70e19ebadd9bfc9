"""The real app over HTTP on a loopback port, signed requests as Slack sends them, and the
fake Slack Web API it calls back."""

from __future__ import annotations

import pytest

from bot.base.config import Settings
from bot.slack.app import build_app
from bot.slack.deps import Deps
from bot.slack.server import Background, make_server
from bot.slack.standin import FakeSlack, SlackUser
from tests.helpers import served

SECRET = "test-signing-secret"
CHANNEL = "C0TEAM"


class Slack(SlackUser):
    """The signed requests of the tests: to the team's channel, with the tests' secret."""

    def __init__(self, url: str, fake: FakeSlack):
        super().__init__(url, fake, SECRET, CHANNEL)


@pytest.fixture
def fake_slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def slack(factory, fake_slack):
    settings = Settings(
        slack_bot_token="xoxb-test", slack_signing_secret=SECRET, slack_api_url=fake_slack.url
    )
    deps = Deps(factory=factory, settings=settings)
    server = Background(
        make_server(
            build_app(settings, factory, deps=deps),
            factory,
            "127.0.0.1",
            0,
            signing_secret=SECRET,
        )
    )
    yield Slack(f"http://127.0.0.1:{server.port}/slack/events", fake_slack)
    server.stop()
    deps.stop()  # work kept by this test finishes before the next starts


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
