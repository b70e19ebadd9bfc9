"""Posts owed after a committed change, kept in the store until they are sent. Each names
its kind, its review, where it goes (the review's channel and thread) and whose change it
follows. The worker of any instance sends them, at once after the change; they are leased
(`QUEUE`, see storage/leases.py), so a process that stopped while sending leaves its claim
to lapse, and another takes the row up within `LEASE` (a live process renews its claims)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from storage import leases
from storage.models import Outbox, Review, table_of, utcnow

AGREED = "agreed"  # the agreed statements, in the thread
EVIDENCE = "evidence"  # then the evidence that bears on them
RECORD = "record"  # the record of the review, once judged
CLOSED = "closed"  # the note that a review was closed without a judgement
LEASE = timedelta(seconds=10)  # a claim not renewed for this long was left by one that stopped
ATTEMPTS = 6  # then it is given up: the person was told how to post it themselves
# A review's thread while its kick-off is being posted (`outcomes.POSTING`, not imported:
# outcomes owes posts): no thread yet.
KICKOFF_BEING_POSTED = "posting:"
_outbox = table_of(Outbox)

QUEUE = leases.Queue(
    table=_outbox,
    open=_outbox.c.state == "pending",
    lease=LEASE,
    since="claimed_at",
    not_before="next_attempt_at",
    tries=ATTEMPTS,
    wait=lambda failures: timedelta(minutes=2**failures),
    finished=lambda now: {"state": "sent", "sent_at": now},
    given_up=lambda now: {"state": "given_up"},
)


@dataclass(frozen=True)
class OwedPost:
    """An owed post claimed for sending."""

    id: int
    kind: str
    review_id: int
    user_id: str  # whose change it follows: told if it cannot be sent
    channel: str | None  # the review's, when the post was owed
    thread_ts: str | None
    attempts: int
    # Claimed before (by a process that stopped, perhaps mid-post) or tried before: some
    # of it may have been sent.
    tried_before: bool


def owe(session: Session, kind: str, review_id: int, user_id: str) -> int:
    """Owe a post about a review, in its thread (in its channel if no kick-off is posted)."""
    review = session.get(Review, review_id)
    thread = review.slack_thread_ts if review else None
    if thread is not None and thread.startswith(KICKOFF_BEING_POSTED):
        thread = None
    row = Outbox(
        kind=kind,
        review_id=review_id,
        user_id=user_id,
        channel=review.slack_channel_id if review else None,
        thread_ts=thread,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def claim(session: Session, me: str, now: datetime | None = None, limit: int = 1) -> list[OwedPost]:
    """Claim up to `limit` posts to send, oldest first: new, or claimed by a process that
    stopped, or due another try."""
    now = now or utcnow()
    # Whether each was tried before is known only before the claim names its new holder.
    free = session.exec(
        select(Outbox.id, Outbox.claimed_by, Outbox.attempts).where(QUEUE.claimable(now))
    ).all()
    if not free:
        return []
    tried = {row_id: by is not None or attempts > 0 for row_id, by, attempts in free}
    rows = leases.claim(
        session,
        QUEUE,
        me,
        now,
        limit,
        where=[col(Outbox.id).in_(list(tried))],
        columns=["id", "kind", "review_id", "user_id", "channel", "thread_ts", "attempts"],
    )
    return [
        OwedPost(row_id, kind, review_id, user, channel, thread, attempts, tried[row_id])
        for row_id, kind, review_id, user, channel, thread, attempts in rows
    ]
