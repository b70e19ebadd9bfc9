"""Slack posts owed after a committed change, kept in the store until they are sent. The
worker of any instance sends them, at once after the change; a process that stopped
while sending leaves its claim to lapse, and another takes the row up within `LEASE`
(a live process renews its claims)."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from storage.models import Outbox, utcnow

AGREED = "agreed"  # the agreed statements, in the thread
EVIDENCE = "evidence"  # then the evidence that bears on them
RECORD = "record"  # the record of the review, once judged
CLOSED = "closed"  # the note that a review was closed without a judgement
LEASE = timedelta(
    seconds=10
)  # a claim not renewed for this long was left by a process that stopped
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
    """Rows to send: new, or claimed by a process that stopped, or due another try."""
    return list(session.exec(select(Outbox.id).where(_claimable(now)).order_by(Outbox.id)).all())


def renew(session: Session, me: str, ids: list[int], now: datetime | None = None) -> int:
    """Keep this process's claims on the posts it is still sending (only those: a row whose
    end could not be written lapses, to be taken up again)."""
    if not ids:
        return 0
    return session.execute(
        sa.update(Outbox)
        .where(Outbox.id.in_(ids), Outbox.claimed_by == me, Outbox.state == "pending")
        .values(claimed_at=now or utcnow())
    ).rowcount


def holders(session: Session) -> list[str]:
    return list(
        session.exec(
            select(Outbox.claimed_by)
            .where(
                Outbox.state == "pending",
                Outbox.claimed_by.is_not(None),
                Outbox.claimed_at.is_not(None),
            )
            .distinct()
        ).all()
    )


def release(session: Session, holder: str) -> int:
    """Let go of the claims of a process known to have stopped."""
    return session.execute(
        sa.update(Outbox)
        .where(Outbox.claimed_by == holder, Outbox.state == "pending")
        .values(claimed_at=None)
    ).rowcount


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
