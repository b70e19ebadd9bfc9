"""The inbox on both databases: a request kept once however often it comes, worked in its
channel's order, held by one process at a time, taken up again when its holder stopped,
set aside after repeated failure, and its words not kept once done."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlmodel import select

from bot.shared.worker import Worker
from bot.slack.deps import INSTANCE
from storage import inbox, leases
from storage.models import InboxItem, utcnow

HANDLERS = ["reply", "support"]


def keep(factory, key: str, lane: str | None = "C1", handler: str = "reply") -> bool:
    with factory.unit_of_work() as session:
        return inbox.accept(session, key, handler, lane, f'{{"text": "words of {key}"}}')


def claim(factory, me: str, now=None, handlers=HANDLERS) -> list[inbox.Claimed]:
    with factory.unit_of_work() as session:
        return inbox.claim(session, me, handlers, limit=10, now=now)


def test_a_request_delivered_twice_is_kept_once(factory):
    assert keep(factory, "e:Ev1")
    assert not keep(factory, "e:Ev1")
    with factory() as session:
        assert len(session.exec(select(InboxItem)).all()) == 1


def test_a_channels_items_are_worked_in_order_and_other_channels_alongside(factory):
    for key, lane in (("a1", "C1"), ("a2", "C1"), ("b1", "C2")):
        keep(factory, key, lane)
    first = claim(factory, "p1")
    assert [c.body for c in first] == ['{"text": "words of a1"}', '{"text": "words of b1"}']
    assert claim(factory, "p2") == []  # a2 waits for a1, whoever would work it
    with factory.unit_of_work() as session:
        leases.finish(session, inbox.QUEUE, first[0].id, "p1", utcnow())
    assert [c.body for c in claim(factory, "p2")] == ['{"text": "words of a2"}']


def test_a_claim_not_renewed_lapses_and_another_process_takes_the_item(factory):
    keep(factory, "k")
    (item,) = claim(factory, "p1")
    later = utcnow() + inbox.LEASE / 2
    with factory.unit_of_work() as session:
        assert leases.renew(session, inbox.QUEUE, "p1", [item.id], later) == 1
    assert claim(factory, "p2", now=later + inbox.LEASE / 2) == []  # renewed: still held
    taken = claim(factory, "p2", now=later + inbox.LEASE * 2)
    assert [c.id for c in taken] == [item.id]
    with factory.unit_of_work() as session:
        # The first holder's late word: nothing.
        assert not leases.finish(session, inbox.QUEUE, item.id, "p1", utcnow())
        assert session.get(InboxItem, item.id).done_at is None


def test_done_keeps_no_words(factory):
    keep(factory, "k")
    (item,) = claim(factory, "p1")
    with factory.unit_of_work() as session:
        leases.finish(session, inbox.QUEUE, item.id, "p1", utcnow())
    with factory() as session:
        row = session.get(InboxItem, item.id)
        assert row.done_at is not None and row.body == ""
        assert session.exec(select(InboxItem).where(InboxItem.done_at.is_(None))).all() == []


def test_a_failing_item_is_tried_again_later_then_set_aside(factory):
    keep(factory, "k")
    now = utcnow()
    for attempt in range(1, inbox.ATTEMPTS + 1):
        (item,) = claim(factory, "p1", now=now)
        with factory.unit_of_work() as session:
            failed = leases.fail(session, inbox.QUEUE, item.id, "p1", "RuntimeError", now)
        assert failed == leases.Failure(attempt, given_up=attempt == inbox.ATTEMPTS)
        assert claim(factory, "p1", now=now) == []  # not at once
        now += timedelta(seconds=5 * 2**attempt + 1)
    with factory() as session:
        row = session.exec(select(InboxItem)).one()
        assert row.done_at is not None and row.body == "" and row.last_error == "RuntimeError"


def test_an_item_of_a_kind_this_version_does_not_know_waits_for_one_that_does(factory):
    keep(factory, "new", handler="a_later_kind")
    assert claim(factory, "old") == []
    assert len(claim(factory, "new", handlers=[*HANDLERS, "a_later_kind"])) == 1


def test_a_restart_takes_up_at_once_what_a_stopped_process_of_this_host_held(factory):
    host = INSTANCE.split(":")[0]
    stopped = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                             capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    for key in ("dead", "live", "elsewhere"):
        keep(factory, key, lane=key)
    holders = {
        "dead": f"{host}:{stopped}:r1:w1",  # its process has exited
        "live": f"{host}:{os.getppid()}:r1:w1",  # a process still running
        "elsewhere": f"other-host/1:{stopped}:r1:w1",  # another machine's: left to lapse
    }
    for key, holder in holders.items():
        with factory.unit_of_work() as session:
            (claimed,) = inbox.claim(session, holder, HANDLERS)
            assert claimed.body.endswith(f'{key}"}}')
    worker = Worker(factory, INSTANCE, threads=1)
    worker.handlers.update({h: lambda body: None for h in HANDLERS})
    worker._release_gone()
    with factory() as session:
        held = {r.key: r.claimed_until is not None for r in session.exec(select(InboxItem))}
    assert held == {"dead": False, "live": True, "elsewhere": True}


def test_a_claim_of_a_killed_process_not_yet_reaped_is_taken_up_at_once(factory):
    # Killed with its parent, a worker lingers as a zombie until another process reaps it:
    # it has a pid, but holds nothing.
    host = INSTANCE.split(":")[0]
    killed = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        killed.send_signal(signal.SIGKILL)
        while Path(f"/proc/{killed.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
            time.sleep(0.01)  # not waited for: a zombie until it is
        keep(factory, "held")
        with factory.unit_of_work() as session:
            assert inbox.claim(session, f"{host}:{killed.pid}:r1:w1", HANDLERS)
        worker = Worker(factory, INSTANCE, threads=1)
        worker._release_gone()
    finally:
        killed.wait()
    with factory() as session:
        assert session.exec(select(InboxItem)).one().claimed_until is None
