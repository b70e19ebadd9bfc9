"""What the end-to-end tests do as people in Slack, and wait for: replies in a review's
thread, the bot's responses, a review started."""

from __future__ import annotations

import json
import time

from sqlmodel import select

from reviews import outcomes
from storage.models import OutcomeStatement, OutcomeSupport, Review
from tests.e2e.conftest import CHANNEL

FACILITATOR, ANN, BEN, CAT = "UFAC", "UANN", "UBEN", "UCAT"


def eventually(check, timeout: float = 20.0):
    """Events are handled after Slack has its 200: wait for their effect."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
            if result:
                return result
        except (AssertionError, LookupError, StopIteration):
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise AssertionError("the expected effect never came")
        time.sleep(0.02)


def thread_of(factory, period: str | None = None, channel: str | None = None) -> str:
    """The review's thread, once its kick-off is posted (not merely being posted)."""

    def posted():
        with factory() as session:
            query = select(Review.slack_thread_ts)
            if period:
                query = query.where(Review.period_label == period)
            if channel:
                query = query.where(Review.slack_channel_id == channel)
            ts = session.exec(query).first()
        return ts if ts and not outcomes.posting(ts) else None

    return eventually(posted)


def outcomes_of(factory) -> dict[str, OutcomeStatement]:
    with factory() as session:
        found = session.exec(select(OutcomeStatement).order_by(OutcomeStatement.id)).all()
        return {o.slack_message_ts: o for o in found}


def supporters(factory, outcome_id: int) -> set[str]:
    with factory() as session:
        return set(
            session.exec(
                select(OutcomeSupport.slack_user_id).where(OutcomeSupport.outcome_id == outcome_id)
            ).all()
        )


def reply(slack, user: str, ts: str, thread_ts: str, text: str, **extra):
    return slack.event(
        {
            "type": "message",
            "channel": slack.channel,
            "user": user,
            "text": text,
            "ts": ts,
            "thread_ts": thread_ts,
            "channel_type": "channel",
            **extra,
        }
    )


def responses(fake) -> list[str]:
    return [c.params.get("text", "") for c in fake.calls() if c.method.startswith("respond/")]


def said(fake, fragment: str) -> str:
    """The response holding this fragment, once it has come."""
    return eventually(lambda: next(r for r in responses(fake) if fragment in r))


def start_review(slack, factory) -> str:
    assert slack.command("setup Older People's Services")[0] == 200
    assert "now the home of *Older People's Services*" in eventually(
        lambda: responses(slack.fake)[-1]
    )
    assert slack.command("start 2026/27 Q2")[0] == 200
    kickoff = slack.fake.wait_for("chat.postMessage")[0].params
    assert kickoff["channel"] == CHANNEL
    assert "QPR 2026/27 Q2" in json.dumps(kickoff["blocks"])
    return thread_of(factory)
