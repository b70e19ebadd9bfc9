"""Leases on the queues of work (the inbox, the owed posts, the reminders), on both
databases: a row is held by one process at a time, taken over when its lease runs out,
renewed only by its holder, free at once when let go, and given up after its queue's tries;
on PostgreSQL a claim waits for no other claim still open."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from reviews import outbox, reminders
from storage import inbox, leases
from storage.models import Outbox, Reminder
from tests.helpers.queues import NOW, add_rows

QUEUES = {"inbox": inbox.QUEUE, "outbox": outbox.QUEUE, "reminders": reminders.QUEUE}


def claim(factory, queue: leases.Queue, holder: str, now=NOW, limit=10) -> list[int]:
    with factory.unit_of_work() as session:
        return [row_id for (row_id,) in leases.claim(session, queue, holder, now, limit)]


@pytest.fixture(params=list(QUEUES))
def queue_name(request) -> str:
    return request.param


def test_two_holders_never_claim_the_same_row(factory, queue_name):
    queue = QUEUES[queue_name]
    rows = add_rows(factory, queue_name, 30)
    first = claim(factory, queue, "p1", limit=10)
    second = claim(factory, queue, "p2", limit=100)
    assert first == rows[:10] and second == rows[10:]
    assert claim(factory, queue, "p3") == []


def test_holders_claiming_at_once_take_each_row_once(factory, queue_name):
    queue = QUEUES[queue_name]
    rows = add_rows(factory, queue_name, 40)
    taken: dict[str, list[int]] = {}

    def take(holder: str) -> None:
        mine = taken.setdefault(holder, [])
        while got := claim(factory, queue, holder, limit=3):
            mine += got

    threads = [threading.Thread(target=take, args=(f"p{n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [row_id for mine in taken.values() for row_id in mine]
    assert sorted(every) == rows  # each once


def test_a_lease_that_runs_out_is_taken_over_and_its_old_holder_finishes_nothing(
    factory, queue_name
):
    queue = QUEUES[queue_name]
    (row,) = add_rows(factory, queue_name, 1)
    assert claim(factory, queue, "p1") == [row]
    assert claim(factory, queue, "p2", now=NOW + queue.lease / 2) == []
    assert claim(factory, queue, "p2", now=NOW + queue.lease + timedelta(seconds=1)) == [row]
    with factory.unit_of_work() as session:
        assert not leases.finish(session, queue, row, "p1", NOW)
        assert leases.fail(session, queue, row, "p1", "late", NOW) is None
        assert leases.finish(session, queue, row, "p2", NOW)
    assert claim(factory, queue, "p3", now=NOW + queue.lease * 10) == []  # done


def test_renewing_extends_only_the_holders_own_leases(factory, queue_name):
    queue = QUEUES[queue_name]
    mine, theirs = add_rows(factory, queue_name, 2)
    assert claim(factory, queue, "p1", limit=1) == [mine]
    assert claim(factory, queue, "p2", limit=1) == [theirs]
    with factory.unit_of_work() as session:
        assert leases.renew(session, queue, "p1", [mine, theirs], NOW + queue.lease / 2) == 1
    # The first leases have run out; only the renewed one still holds.
    after = NOW + queue.lease + timedelta(seconds=1)
    assert claim(factory, queue, "p3", now=after) == [theirs]


def test_a_released_row_is_free_at_once_and_its_holder_is_still_named(factory, queue_name):
    queue = QUEUES[queue_name]
    (row,) = add_rows(factory, queue_name, 1)
    assert claim(factory, queue, "p1") == [row]
    with factory.unit_of_work() as session:
        assert leases.holders(session, queue) == ["p1"]
        assert leases.release(session, queue, "p1") == 1
        assert leases.holders(session, queue) == []
    with factory() as session:
        holder = session.execute(
            sa.select(queue.column(queue.holder)).where(queue.column("id") == row)
        ).scalar_one()
    assert holder == "p1"  # who held it last (the owed posts look for what it sent)
    assert claim(factory, queue, "p2") == [row]
    with factory.unit_of_work() as session:
        assert not leases.finish(session, queue, row, "p1", NOW)


@pytest.mark.parametrize("queue_name", ["inbox", "outbox"])
def test_a_row_that_keeps_failing_waits_longer_each_time_then_is_given_up(factory, queue_name):
    queue = QUEUES[queue_name]
    assert queue.tries is not None
    (row,) = add_rows(factory, queue_name, 1)
    now = NOW
    for tries in range(1, queue.tries + 1):
        assert claim(factory, queue, "p1", now=now) == [row]
        with factory.unit_of_work() as session:
            failed = leases.fail(session, queue, row, "p1", "RuntimeError", now)
        assert failed == leases.Failure(tries, given_up=tries == queue.tries)
        assert claim(factory, queue, "p1", now=now) == []  # not at once
        now += queue.wait(tries) + timedelta(seconds=1)
    assert claim(factory, queue, "p2", now=now + timedelta(days=30)) == []  # never again


def test_a_reminder_is_never_given_up_while_it_is_due(factory):
    queue = reminders.QUEUE
    (row,) = add_rows(factory, "reminders", 1)
    now = NOW
    for tries in range(2, 12):
        assert claim(factory, queue, "p1", now=now) == [row]
        with factory.unit_of_work() as session:
            assert leases.fail(session, queue, row, "p1", "ratelimited", now) == leases.Failure(
                tries, given_up=False
            )
        now += min(timedelta(minutes=2 ** (tries - 1)), timedelta(hours=1))
    with factory() as session:
        assert session.get(Reminder, row).state == "failed"


@pytest.mark.postgres
@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_a_claim_still_open_does_not_hold_up_another(factory, engine):
    rows = add_rows(factory, "outbox", 2)
    with factory() as first, factory() as second:
        (held,) = leases.claim(first, outbox.QUEUE, "p1", NOW)  # its transaction still open
        # Were the first claim's row waited for, this would fail rather than hang.
        second.execute(sa.text("SET LOCAL lock_timeout = '2s'"))
        (other,) = leases.claim(second, outbox.QUEUE, "p2", NOW)
        assert sorted([held[0], other[0]]) == rows
        second.commit()
        first.commit()
    with factory() as session:
        holders = dict(session.exec(select(Outbox.id, Outbox.claimed_by)).all())
    assert holders == {rows[0]: "p1", rows[1]: "p2"}
