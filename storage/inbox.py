"""The inbox of requests from Slack (see `InboxItem`): kept before the acknowledgement,
claimed by one process at a time, done once.

Items are leased (`QUEUE`, see storage/leases.py): a claim is held until `claimed_until`,
which the holder renews while it lives, so the items of a process killed mid-work are
claimable again within `LEASE`. An item is claimable only when no earlier item of its lane
is still to do, so a channel's replies, edits and reactions are worked in the order Slack
sent them, whichever process works them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from storage import leases
from storage.claims import insert_new
from storage.models import InboxItem, table_of, utcnow

LEASE = timedelta(seconds=10)
ATTEMPTS = 6  # then (after about 5 minutes) the item is set aside, and its lane goes on
KEPT = timedelta(days=2)  # done items stay this long, so a late retry of one is still known
_inbox = table_of(InboxItem)

# Done or set aside, an item keeps no words: people's words are kept where the review
# keeps them. A failed item is not claimable until its wait is over, and its lane waits for
# it, as order matters more.
QUEUE = leases.Queue(
    table=_inbox,
    open=_inbox.c.done_at.is_(None),
    lease=LEASE,
    until="claimed_until",
    tries=ATTEMPTS,
    wait=lambda failures: timedelta(seconds=5 * 2**failures),
    finished=lambda now: {"done_at": now, "body": ""},
    given_up=lambda now: {"done_at": now, "body": ""},
)


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
    inserted = insert_new(session, _inbox, ["key"], rows, ["key"])
    kept = {key for (key,) in inserted}
    found = []
    for row in rows:
        found.append(row["key"] in kept)
        kept.discard(row["key"])  # the first of two with one key is the one kept
    return found


def _first_in_lane() -> sa.ColumnElement[bool]:
    """No earlier item of its lane is still to do."""
    earlier = aliased(InboxItem)
    waiting = (
        select(col(earlier.id))
        .where(
            col(earlier.lane) == col(InboxItem.lane),
            col(earlier.id) < col(InboxItem.id),
            col(earlier.done_at).is_(None),
        )
        .exists()
    )
    return sa.or_(col(InboxItem.lane).is_(None), ~waiting)


def anything_ready(session: Session, handlers: list[str], now: datetime | None = None) -> bool:
    """Whether a claim would find an item: a read, to spare a write when it would not."""
    found = session.exec(
        select(InboxItem.id)
        .where(
            QUEUE.claimable(now or utcnow()), _first_in_lane(), col(InboxItem.handler).in_(handlers)
        )
        .limit(1)
    ).first()
    return found is not None


def claim(
    session: Session, me: str, handlers: list[str], limit: int = 1, now: datetime | None = None
) -> list[Claimed]:
    """Claim up to `limit` items this process has `handlers` for, each the first still to do
    in its lane, oldest first. (An item an older version does not know waits for a newer.)"""
    rows = leases.claim(
        session,
        QUEUE,
        me,
        now or utcnow(),
        limit,
        where=[_first_in_lane(), col(InboxItem.handler).in_(handlers)],
        columns=["id", "handler", "body", "attempts"],
    )
    return [Claimed(*row) for row in rows]


def forget_done(session: Session, now: datetime | None = None) -> int:
    """Drop items done long enough ago that Slack will not retry them."""
    now = now or utcnow()
    forgotten = session.exec(sa.delete(InboxItem).where(col(InboxItem.done_at) < now - KEPT))
    return forgotten.rowcount
