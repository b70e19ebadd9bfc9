"""Rows free to claim in each queue of work (the inbox, the owed posts, the reminders)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import select

from reviews import outbox, reminders
from storage import inbox
from storage.db import SessionFactory
from storage.models import InboxItem, Reminder, Review, ReviewStage, Team

NOW = datetime(2026, 10, 13, 8, tzinfo=UTC)


def add_rows(factory: SessionFactory, queue: str, count: int) -> list[int]:
    """`count` rows free to claim in `queue`."""
    with factory.unit_of_work() as session:
        if queue == "inbox":
            for n in range(count):  # each in a lane of its own, so none waits for another
                inbox.accept(session, f"e:{n}", "reply", f"C{n}", "{}")
            return list(session.exec(select(InboxItem.id).order_by(InboxItem.id)).all())
        team = Team(name="Older People's Services", name_key="older people's services")
        session.add(team)
        session.flush()
        assert team.id is not None
        if queue == "outbox":
            review = Review(
                team_id=team.id,
                period_label="2026/27 Q2",
                period_start=date(2026, 7, 1),
                period_end=date(2026, 9, 30),
                stage=ReviewStage.OUTCOMES,
                slack_channel_id="C0TEAM",
                slack_thread_ts="1700000000.000100",
            )
            session.add(review)
            session.flush()
            assert review.id is not None
            return [outbox.owe(session, outbox.AGREED, review.id, "UFAC") for _ in range(count)]
        # A reminder's row is written when it is first claimed: these failed, and their
        # wait is over.
        for n in range(count):
            session.add(
                Reminder(
                    kind=reminders.KICKOFF,
                    subject=f"team:{n}",
                    occasion="2026/27 Q2",
                    team_id=team.id,
                    due_at=NOW,
                    state="failed",
                    claimed_by="earlier",
                    attempts=1,
                    next_attempt_at=NOW,
                )
            )
        session.flush()
        return list(session.exec(select(Reminder.id).order_by(Reminder.id)).all())
