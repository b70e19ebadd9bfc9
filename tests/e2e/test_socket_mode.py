"""Socket Mode, proven: the real `qpr serve` with an app token connects to the WebSocket
stand-in of Slack, takes commands, events and clicks as envelopes and acknowledges each
with its `envelope_id`, reconnects when Slack drops it, and keeps what it acknowledged
across a kill -9 as it does over HTTP."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from bot.slack import ids
from storage.db import SessionFactory
from storage.models import Review
from tests.e2e.socket_slack import SocketSlack
from tests.helpers.served import CHANNEL, FACILITATOR, Served, reply, stored
from tests.helpers.slack import eventually, said


@pytest.fixture
def socket_slack(fake):
    with SocketSlack() as socket_slack:
        fake.socket_url = socket_slack.url
        yield socket_slack


def command(text: str, n: int) -> dict:
    return {
        "command": "/qpr",
        "text": text,
        "user_id": FACILITATOR,
        "channel_id": CHANNEL,
        "team_id": "T0",
        "response_url": f"respond/{n}",
        "trigger_id": f"trigger-socket-{n}",
    }


def review_id(engine) -> int:
    with SessionFactory(engine)() as session:
        return session.exec(select(Review.id)).one()


def event(body: dict, event_id: str) -> dict:
    return {
        "type": "event_callback",
        "team_id": "T0",
        "api_app_id": "A0",
        "event_id": event_id,
        "event_time": 1,
        "event": body,
    }


def test_envelopes_are_acknowledged_worked_and_survive_a_dropped_connection(
    database,
    engine,
    fake,
    socket_slack,
    tmp_path,
):
    served = Served(database, fake, tmp_path, socket=socket_slack).start()
    try:
        # Only the health check listens on PORT, for a container's or a balancer's check.
        assert served.health() == {"ok": True, "database": "reachable"}
        # A command: acknowledged by its envelope id, answered at its response_url.
        status = command("status", 1) | {"response_url": f"{fake.url}respond/1"}
        socket_slack.acked(socket_slack.send("slash_commands", status))
        assert "2026/27 Q2" in said(fake, "Reablement")

        # An event: a new proposal, kept once though Slack sends it twice.
        first = event(reply(1), "EvSocket1")
        socket_slack.acked(socket_slack.send("events_api", first))
        socket_slack.acked(socket_slack.send("events_api", first, retry_attempt=1))
        eventually(lambda: len(stored(engine)) == 1)
        fake.wait_for("reactions.add")

        # A click that opens a form, within its trigger's 3 seconds.
        click = {
            "type": "block_actions",
            "user": {"id": "UANN"},
            "team": {"id": "T0"},
            "trigger_id": "trigger-socket-click",
            "channel": {"id": CHANNEL},
            "container": {"type": "message", "message_ts": "1.0", "channel_id": CHANNEL},
            "message": {"ts": "1.0", "text": ""},
            "actions": [
                {
                    "action_id": ids.PROPOSE_ANONYMOUSLY,
                    "block_id": "b",
                    "value": str(review_id(engine)),
                    "type": "button",
                    "action_ts": "1",
                }
            ],
        }
        socket_slack.acked(socket_slack.send("interactive", click))
        opened = fake.wait_for("views.open")[-1].params
        assert opened["trigger_id"] == "trigger-socket-click"

        # Slack drops the connection: the app opens a new one and goes on.
        opened_before = len(fake.calls("apps.connections.open"))
        socket_slack.drop()
        socket_slack.wait_connected(2)
        assert len(fake.calls("apps.connections.open")) > opened_before
        socket_slack.acked(socket_slack.send("events_api", event(reply(2), "EvSocket2")))
        eventually(lambda: len(stored(engine)) == 2)
    finally:
        served.stop()
    assert sorted(stored(engine)) == sorted([reply(1)["ts"], reply(2)["ts"]])
    assert "xapp-1-fault" not in json.dumps([c.params for c in fake.calls()])


def test_killed_after_acknowledging_envelopes_loses_none(
    database,
    engine,
    fake,
    socket_slack,
    tmp_path,
):
    fake.slow("reactions.add", 0.05)
    served = Served(database, fake, tmp_path, socket=socket_slack).start()
    try:
        sent = [socket_slack.send("events_api", event(reply(n), f"EvKill{n}")) for n in range(20)]
        for envelope_id in sent:
            socket_slack.acked(envelope_id)
        served.kill()
        assert len(stored(engine)) < 20  # the kill came with work still to do
        served = Served(database, fake, tmp_path, socket=socket_slack).start()
        eventually(lambda: len(stored(engine)) >= 20, timeout=40)
    finally:
        served.stop()
    assert sorted(stored(engine)) == sorted(reply(n)["ts"] for n in range(20))
