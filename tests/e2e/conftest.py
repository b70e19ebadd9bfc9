"""The real app over HTTP on a loopback port, signed requests as Slack sends them, and the
fake Slack Web API it calls back."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import urllib.error
import urllib.request
from urllib.parse import quote, urlencode

import pytest

from bot.app import build_app
from bot.config import Settings
from bot.listeners.context import Deps
from bot.server import Background, make_server
from bot.slack_standin import FakeSlack

SECRET = "test-signing-secret"
CHANNEL = "C0TEAM"


class Slack:
    """Sends what Slack would send to the app, signed with the app's signing secret."""

    def __init__(self, url: str, fake: FakeSlack):
        self.url = url
        self.fake = fake
        self._ids = itertools.count(1)
        self.statuses: list[int] = []

    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str = SECRET,
        headers: dict | None = None,
    ) -> tuple[int, str]:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        signature = (
            "v0="
            + hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
        )
        request = urllib.request.Request(
            self.url,
            data=body.encode(),
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": signature,
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                answer = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            answer = error.code, error.read().decode()
        self.statuses.append(answer[0])
        return answer

    def command(self, text: str, user: str = "UFAC", channel: str = CHANNEL) -> tuple[int, str]:
        n = next(self._ids)
        form = {
            "command": "/qpr",
            "text": text,
            "user_id": user,
            "channel_id": channel,
            "team_id": "T0",
            "response_url": f"{self.fake.url}respond/{n}",
            "trigger_id": f"trigger-{n}",
        }
        return self.post(urlencode(form), "application/x-www-form-urlencoded")

    def event(
        self, event: dict, *, event_id: str | None = None, headers: dict | None = None
    ) -> tuple[int, str]:
        envelope = {
            "type": "event_callback",
            "team_id": "T0",
            "api_app_id": "A0",
            "event_id": event_id or f"Ev{next(self._ids)}",
            "event_time": 1,
            "event": event,
            "authorizations": [{"team_id": "T0", "user_id": "UQPRBOT", "is_bot": True}],
        }
        return self.post(json.dumps(envelope), "application/json", headers=headers)

    def interact(self, payload: dict) -> tuple[int, str]:
        return self.post(
            "payload=" + quote(json.dumps(payload)), "application/x-www-form-urlencoded"
        )

    def click(
        self, action_id: str, value: str, *, user: str, message_ts: str, channel: str = CHANNEL
    ) -> tuple[int, str]:
        return self.interact(
            {
                "type": "block_actions",
                "user": {"id": user},
                "team": {"id": "T0"},
                "trigger_id": f"trigger-{next(self._ids)}",
                "channel": {"id": channel},
                "container": {"type": "message", "message_ts": message_ts, "channel_id": channel},
                "message": {"ts": message_ts, "text": ""},
                "response_url": f"{self.fake.url}respond/click",
                "actions": [
                    {
                        "action_id": action_id,
                        "block_id": "b",
                        "value": value,
                        "type": "button",
                        "action_ts": "1",
                    }
                ],
            }
        )

    def click_in_home(self, action_id: str, value: str, *, user: str) -> tuple[int, str]:
        return self.interact(
            {
                "type": "block_actions",
                "user": {"id": user},
                "team": {"id": "T0"},
                "trigger_id": f"trigger-{next(self._ids)}",
                "container": {"type": "view", "view_id": "VHOME"},
                "view": {"id": "VHOME", "type": "home", "blocks": []},
                "actions": [
                    {
                        "action_id": action_id,
                        "block_id": "b",
                        "value": value,
                        "type": "button",
                        "action_ts": "1",
                    }
                ],
            }
        )

    def submit(self, view: dict, values: dict, *, user: str) -> tuple[int, str]:
        return self.interact(
            {
                "type": "view_submission",
                "user": {"id": user},
                "team": {"id": "T0"},
                "trigger_id": f"trigger-{next(self._ids)}",
                "view": {**view, "id": "V1", "state": {"values": values}},
            }
        )


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
        make_server(build_app(settings, factory, deps=deps), factory, "127.0.0.1", 0)
    )
    yield Slack(f"http://127.0.0.1:{server.port}/slack/events", fake_slack)
    server.stop()
    deps.work.shutdown(wait=True)  # work queued by this test finishes before the next starts
