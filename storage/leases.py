"""Leases on rows of work that any instance may do: the inbox of requests, the posts owed
after a change, the reminders. A row is held by one process at a time until its lease runs
out; the holder renews the leases of what it is still working, so a process that stopped
leaves its rows to lapse and another takes them up. A row that fails waits longer each
time before it may be claimed again, and after a queue's `tries` it is given up.

A claim selects the rows that are free and takes them with an UPDATE that repeats the
condition. On PostgreSQL the select skips rows another transaction is claiming (`FOR UPDATE
SKIP LOCKED`), so two instances claiming at once neither wait on each other nor take the
same row; SQLite has no row locks (its writers take turns), and the repeated condition
leaves out any row another process took first.

Each table keeps its own columns (`Queue` names them); these functions never commit."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlmodel import Session

ERROR_LENGTH = 64


def _nothing(now: datetime) -> Mapping[str, Any]:
    return {}


@dataclass(frozen=True, eq=False)
class Queue:
    """A table of work, and how its rows are leased."""

    table: sa.Table
    open: sa.ColumnElement[bool]  # rows still to do: neither finished nor given up
    lease: timedelta
    wait: Callable[[int], timedelta]  # after a row's nth failure, before it is tried again
    tries: int | None = None  # failures before a row is given up; None: it never is
    # The lease's column: when it runs out (`until`), or when it was taken or last renewed
    # (`since`: it runs out `lease` later). Exactly one of the two.
    until: str | None = None
    since: str | None = None
    # When a row that failed may be claimed again. Without this column the wait is kept in
    # `until`, as a lease that no one holds.
    not_before: str | None = None
    holder: str = "claimed_by"
    attempts: str = "attempts"
    error: str = "last_error"
    key: str = "id"
    claimed: Mapping[str, Any] = field(default_factory=dict)  # written with each claim
    failed: Mapping[str, Any] = field(default_factory=dict)  # with a failure not given up
    finished: Callable[[datetime], Mapping[str, Any]] = _nothing
    given_up: Callable[[datetime], Mapping[str, Any]] = _nothing

    def __post_init__(self) -> None:
        if (self.until is None) == (self.since is None):
            raise ValueError("a queue keeps its lease in one of `until` and `since`")
        if self.since is not None and self.not_before is None:
            raise ValueError("a lease kept as `since` cannot also keep a failure's wait")

    def column(self, name: str) -> sa.Column[Any]:
        return self.table.c[name]

    @property
    def lease_column(self) -> sa.Column[Any]:
        return self.column(self.until or self.since or "")

    def stamp(self, now: datetime) -> datetime:
        """What the lease's column says of a lease taken or renewed at `now`."""
        return now + self.lease if self.until else now

    def _lapsed(self, now: datetime) -> sa.ColumnElement[bool]:
        lease = self.lease_column
        return sa.or_(lease.is_(None), lease < (now if self.until else now - self.lease))

    def claimable(self, now: datetime) -> sa.ColumnElement[bool]:
        """Still to do, held by no live lease, and not waiting after a failure."""
        free = [self.open, self._lapsed(now)]
        if self.not_before is not None:
            waits = self.column(self.not_before)
            free.append(sa.or_(waits.is_(None), waits <= now))
        return sa.and_(*free)

    def held_by(self, holder: str) -> sa.ColumnElement[bool]:
        """Still to do and claimed by `holder`, who has not let it go (its lease may have run
        out: until another claims the row, the holder may still finish it)."""
        return sa.and_(
            self.open, self.column(self.holder) == holder, self.lease_column.is_not(None)
        )


@dataclass(frozen=True)
class Failure:
    attempts: int  # failures so far, this one included
    given_up: bool


def claim(
    session: Session,
    queue: Queue,
    holder: str,
    now: datetime,
    limit: int | None = 1,
    *,
    where: Iterable[sa.ColumnElement[bool]] = (),
    order_by: Sequence[sa.ColumnElement[Any]] = (),
    columns: Sequence[str] = ("id",),
) -> list[tuple[Any, ...]]:
    """Claim up to `limit` rows that are free now and meet `where`, first by `order_by` (then
    by key); their `columns`, in key order."""
    key = queue.column(queue.key)
    found = session.execute(
        sa.select(key)
        .where(queue.claimable(now), *where)
        .order_by(*order_by, key)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list(found.scalars())
    if not ids:
        return []
    # The condition again: on SQLite another process may have been first.
    taken = session.execute(
        sa.update(queue.table)
        .where(key.in_(ids), queue.claimable(now))
        .values({queue.holder: holder, queue.lease_column.name: queue.stamp(now), **queue.claimed})
        .returning(key, *(queue.column(c) for c in columns))
    ).all()
    return [tuple(row[1:]) for row in sorted(taken, key=lambda row: row[0])]


def _count(result: sa.Result[Any]) -> int:
    """The rows an UPDATE changed."""
    return cast(sa.CursorResult[Any], result).rowcount


def renew(session: Session, queue: Queue, holder: str, ids: Iterable[int], now: datetime) -> int:
    """Extend `holder`'s leases on the rows it is still working (only those: a row whose end
    could not be written lapses, to be taken up again); how many it still held."""
    ids = list(ids)
    if not ids:
        return 0
    renewed = session.execute(
        sa.update(queue.table)
        .where(queue.column(queue.key).in_(ids), queue.held_by(holder))
        .values({queue.lease_column.name: queue.stamp(now)})
    )
    return _count(renewed)


def release(session: Session, queue: Queue, holder: str) -> int:
    """Let go of the leases of `holder`, a process known to have stopped, so that another
    may take its rows at once. It stays named as their last holder."""
    released = session.execute(
        sa.update(queue.table).where(queue.held_by(holder)).values({queue.lease_column.name: None})
    )
    return _count(released)


def holders(session: Session, queue: Queue) -> list[str]:
    """Who holds leases, live or lapsed, on rows still to do."""
    holder = queue.column(queue.holder)
    found = session.execute(
        sa.select(holder)
        .where(queue.open, holder.is_not(None), queue.lease_column.is_not(None))
        .distinct()
    )
    return list(found.scalars())


def finish(session: Session, queue: Queue, row_id: int, holder: str, now: datetime) -> bool:
    """Mark a row done; False if it was no longer `holder`'s (another has taken it over)."""
    done = session.execute(
        sa.update(queue.table)
        .where(queue.column(queue.key) == row_id, queue.held_by(holder))
        .values({queue.lease_column.name: None, **queue.finished(now)})
    )
    return _count(done) == 1


def fail(
    session: Session, queue: Queue, row_id: int, holder: str, error: str, now: datetime
) -> Failure | None:
    """A try that failed: the row waits `queue.wait` before another, or after `queue.tries`
    it is given up. None if the row was no longer `holder`'s, and nothing is written."""
    mine = sa.and_(queue.column(queue.key) == row_id, queue.held_by(holder))
    before = session.execute(sa.select(queue.column(queue.attempts)).where(mine)).scalar()
    if before is None:
        return None
    attempts = before + 1
    given_up = queue.tries is not None and attempts >= queue.tries
    values: dict[str, Any] = {
        queue.attempts: attempts,
        queue.error: error[:ERROR_LENGTH],
        queue.lease_column.name: None,
    }
    if given_up:
        values.update(queue.given_up(now))
    else:
        values.update(queue.failed)
        if queue.not_before is not None:
            values[queue.not_before] = now + queue.wait(attempts)
        else:
            values[queue.holder] = None
            values[queue.lease_column.name] = now + queue.wait(attempts)
    session.execute(sa.update(queue.table).where(mine).values(values))
    return Failure(attempts, given_up)
