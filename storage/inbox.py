"""The inbox of requests from Slack (see `InboxItem`): kept before the acknowledgement,
claimed by one process at a time, done once.

A claim is held until `claimed_until`, which the holder renews while it lives (`renew`):
the items of a process killed mid-work are claimable again within `LEASE`. An item is
claimable only when no earlier item of its lane is still to do, so a channel's replies,
edits and reactions are worked in the order Slack sent them, whichever process works
them. On PostgreSQL the claim skips rows another process is claiming (`SKIP LOCKED`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from storage.claims import insert_new
from storage.models import InboxItem, utcnow

LEASE = timedelta(seconds=10)
ATTEMPTS = 6  # then (after about 5 minutes) the item is set aside, and its lane goes on
KEPT = timedelta(days=2)  # done items stay this long, so a late retry of one is still known


@dataclass(frozen=True)
class Claimed:
    id: int
    handler: str
    body: str
    attempts: int


@dataclass(frozen=True)
class Request:
    key: str
    handler: str
    lane: str | None
    body: str


def accept(session: Session, key: str, handler: str, lane: str | None, body: str) -> bool:
    """Keep a request; False if one with the same key was kept before (a retry)."""
    return accept_all(session, [Request(key, handler, lane, body)]) == [True]


def accept_all(session: Session, requests: list[Request]) -> list[bool]:
    """Keep requests in one statement, in their order (their lanes' order); for each, False
    if one with its key was kept before (a retry), or earlier in `requests`."""
    now = utcnow()
    rows = [
        {
            "key": r.key[:100],
            "handler": r.handler,
            "lane": r.lane[:64] if r.lane else None,
            "body": r.body,
            "received_at": now,
            "attempts": 0,
        }
        for r in requests
    ]
    inserted = insert_new(session, InboxItem.__table__, ["key"], rows, ["key"])
    kept = {key for (key,) in inserted}
    found = []
    for row in rows:
        found.append(row["key"] in kept)
        kept.discard(row["key"])  # the first of two with one key is the one kept
    return found


def _claimable(now: datetime):
    return sa.and_(
        InboxItem.done_at.is_(None),
        sa.or_(InboxItem.claimed_until.is_(None), InboxItem.claimed_until < now),
    )


def _ready(now: datetime):
    """Claimable, and first in its lane."""
    earlier = aliased(InboxItem)
    waiting = (
        select(earlier.id)
        .where(
            earlier.lane == InboxItem.lane,
            earlier.id < InboxItem.id,
            earlier.done_at.is_(None),
        )
        .exists()
    )
    return sa.and_(_claimable(now), sa.or_(InboxItem.lane.is_(None), ~waiting))


def anything_ready(session: Session, handlers: list[str], now: datetime | None = None) -> bool:
    """Whether a claim would find an item: a read, to spare a write when it would not."""
    found = session.exec(
        select(InboxItem.id)
        .where(_ready(now or utcnow()), InboxItem.handler.in_(handlers))
        .limit(1)
    ).first()
    return found is not None


def claim(
    session: Session, me: str, handlers: list[str], limit: int = 1, now: datetime | None = None
) -> list[Claimed]:
    """Claim up to `limit` items this process has `handlers` for, each the first still to do
    in its lane, oldest first. (An item an older version does not know waits for a newer.)"""
    now = now or utcnow()
    ids = session.exec(
        select(InboxItem.id)
        .where(_ready(now), InboxItem.handler.in_(handlers))
        .order_by(InboxItem.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not ids:
        return []
    # The condition again: SQLite has no row locks, and another process may have been first.
    rows = session.execute(
        sa.update(InboxItem)
        .where(InboxItem.id.in_(ids), _claimable(now))
        .values(claimed_by=me, claimed_until=now + LEASE)
        .returning(InboxItem.id, InboxItem.handler, InboxItem.body, InboxItem.attempts)
    ).all()
    return sorted((Claimed(*row) for row in rows), key=lambda c: c.id)


def done(session: Session, item_id: int, me: str, now: datetime | None = None) -> bool:
    """Mark it done; False if the claim was no longer this process's (it lapsed)."""
    return (
        session.execute(
            sa.update(InboxItem)
            .where(InboxItem.id == item_id, InboxItem.claimed_by == me, InboxItem.done_at.is_(None))
            .values(done_at=now or utcnow(), body="", claimed_until=None)
        ).rowcount
        == 1
    )


def failed(
    session: Session, item_id: int, me: str, error: str, now: datetime | None = None
) -> bool:
    """Try it again a little later, or (after `ATTEMPTS`) set it aside; True if set aside."""
    now = now or utcnow()
    attempts = (
        session.execute(select(InboxItem.attempts).where(InboxItem.id == item_id)).scalar_one() + 1
    )
    given_up = attempts >= ATTEMPTS
    session.execute(
        sa.update(InboxItem)
        .where(InboxItem.id == item_id, InboxItem.claimed_by == me, InboxItem.done_at.is_(None))
        .values(
            attempts=attempts,
            last_error=error[:64],
            claimed_by=None,
            # Not claimable before then: the lane waits for it, as order matters more.
            claimed_until=now + timedelta(seconds=5 * 2**attempts),
            done_at=now if given_up else None,
            body="" if given_up else InboxItem.body,
        )
    )
    return given_up


def renew(session: Session, me: str, ids: list[int], now: datetime | None = None) -> int:
    """Extend this process's claims on the items it is still working (only those: an item
    whose end could not be written lapses, to be taken up again); how many."""
    if not ids:
        return 0
    now = now or utcnow()
    return session.execute(
        sa.update(InboxItem)
        .where(InboxItem.id.in_(ids), InboxItem.claimed_by == me, InboxItem.done_at.is_(None))
        .values(claimed_until=now + LEASE)
    ).rowcount


def release(session: Session, holder: str) -> int:
    """Let go of the claims of `holder`, a process known to have stopped: another may take
    them at once."""
    return session.execute(
        sa.update(InboxItem)
        .where(InboxItem.claimed_by == holder, InboxItem.done_at.is_(None))
        .values(claimed_by=None, claimed_until=None)
    ).rowcount


def holders(session: Session, now: datetime | None = None) -> list[str]:
    """Who holds claims on items still to do."""
    now = now or utcnow()
    return list(
        session.exec(
            select(InboxItem.claimed_by)
            .where(
                InboxItem.done_at.is_(None),
                InboxItem.claimed_by.is_not(None),
                InboxItem.claimed_until >= now,
            )
            .distinct()
        ).all()
    )


def forget_done(session: Session, now: datetime | None = None) -> int:
    """Drop items done long enough ago that Slack will not retry them."""
    now = now or utcnow()
    return session.execute(sa.delete(InboxItem).where(InboxItem.done_at < now - KEPT)).rowcount
