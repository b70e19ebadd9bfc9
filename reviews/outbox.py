"""Slack posts owed after a committed change, kept in the store until they are sent. The
post is tried at once; a process that stopped before sending leaves its row for the next
round of the scheduler (on any instance) to send."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from storage.models import Outbox, utcnow

AGREED = "agreed"  # the agreed statements, in the thread
EVIDENCE = "evidence"  # then the evidence that bears on them
RECORD = "record"  # the record of the review, once judged
LEASE = timedelta(minutes=2)  # a claim older than this was left by a process that stopped
ATTEMPTS = 6  # then it is given up: the person was told how to post it themselves


def owe(session: Session, kind: str, review_id: int, user_id: str) -> int:
    row = Outbox(kind=kind, review_id=review_id, user_id=user_id)
    session.add(row)
    session.flush()
    return row.id


def _claimable(now: datetime):
    return sa.and_(
        Outbox.state == "pending",
        sa.or_(Outbox.claimed_at.is_(None), Outbox.claimed_at < now - LEASE),
        sa.or_(Outbox.next_attempt_at.is_(None), Outbox.next_attempt_at <= now),
    )


def claim_one(session: Session, row_id: int, me: str, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return (
        session.execute(
            sa.update(Outbox)
            .where(Outbox.id == row_id, _claimable(now))
            .values(claimed_at=now, claimed_by=me)
        ).rowcount
        == 1
    )


def owed(session: Session, now: datetime) -> list[int]:
    """Rows left behind: never taken up (the process stopped right after the change), or
    claimed by a process that stopped, or due another try."""
    return list(
        session.exec(
            select(Outbox.id)
            .where(_claimable(now), Outbox.created_at < now - LEASE)
            .order_by(Outbox.id)
        ).all()
    )


def sent(session: Session, row_id: int, me: str, now: datetime | None = None) -> None:
    session.execute(
        sa.update(Outbox)
        .where(Outbox.id == row_id, Outbox.claimed_by == me, Outbox.state == "pending")
        .values(state="sent", sent_at=now or utcnow())
    )


def failed(session: Session, row_id: int, me: str, error: str, now: datetime | None = None) -> int:
    """Try again later, waiting longer each time; the attempts so far."""
    now = now or utcnow()
    attempts = session.execute(select(Outbox.attempts).where(Outbox.id == row_id)).scalar_one() + 1
    session.execute(
        sa.update(Outbox)
        .where(Outbox.id == row_id, Outbox.claimed_by == me, Outbox.state == "pending")
        .values(
            state="given_up" if attempts >= ATTEMPTS else "pending",
            attempts=attempts,
            claimed_at=None,
            next_attempt_at=now + timedelta(minutes=2**attempts),
            last_error=error[:64],
        )
    )
    return attempts
