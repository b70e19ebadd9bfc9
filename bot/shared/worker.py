"""The threads that drain the work any instance may do, leased in the store (see
storage/leases.py): each claims the next inbox item (storage/inbox.py), runs its handler,
and marks it done; with nothing in the inbox they send the owed posts (reviews/outbox.py).
A heartbeat renews this process's leases on what it has in hand while it lives.

It knows no platform: a front end gives it a handler for each kind of inbox item and a
sender for owed posts (the Slack adapter's talk to Slack).

Stopping (SIGTERM) takes no new work, lets the work in hand finish for a few seconds,
then lets go of any still unfinished so that another process (or this one, restarted)
takes it up at once."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import sqlalchemy as sa

from bot.base.logs import kind
from reviews import installation, outbox
from storage import inbox, leases
from storage.db import SessionFactory
from storage.models import utcnow

log = logging.getLogger(__name__)
POLL = 1.0  # seconds between looks at the inbox when nothing wakes a thread sooner
OWED_EVERY = 1.0  # seconds: owed posts are looked for this often, however busy the inbox
HEARTBEAT = 3.0  # well inside inbox.LEASE, so a live process never loses its claims
QUEUES = (inbox.QUEUE, outbox.QUEUE)  # the queues whose leases the worker signs


class OwedSender(Protocol):
    """How a front end sends owed posts."""

    def send(self, post: outbox.OwedPost) -> str | None:
        """Send it (the parts not sent before, if it was tried before); None, or what to
        tell the person whose change it follows."""

    def tell(self, post: outbox.OwedPost, problem: str) -> None:
        """Tell that person, the first time it is refused."""


class Worker:
    def __init__(self, factory: SessionFactory, instance: str, threads: int = 4):
        self.factory = factory
        self.me = f"{instance}:{uuid.uuid4().hex[:4]}"  # one per worker, so tests may run two
        # How each kind of inbox item is worked, from its body.
        self.handlers: dict[str, Callable[[dict[str, Any]], None]] = {}
        # Other work (the owed posts): run when the inbox is empty, and every OWED_EVERY
        # seconds however busy it is; each is given this worker's name and returns True if
        # it did anything.
        self.idle: list[Callable[[str], bool]] = []
        self._size = threads
        self._threads: list[threading.Thread] = []
        self._ready = threading.Event()
        self._stopping = threading.Event()
        self._stop_asked: float | None = None
        # (queue, id) worked here: only these are renewed.
        self._in_hand: set[tuple[leases.Queue, int]] = set()
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._threads:
                return
            self._release_gone()
            self._threads = [
                threading.Thread(target=self._work, name=f"qpr-inbox-{n}", daemon=True)
                for n in range(self._size)
            ]
            self._threads.append(
                threading.Thread(target=self._heartbeat, name="qpr-heartbeat", daemon=True)
            )
        for thread in self._threads:
            thread.start()

    def _release_gone(self) -> None:
        """A restart on the same machine need not wait for its predecessor's claims to
        lapse: a process of this host that is no longer running holds nothing."""
        try:
            with self.factory.unit_of_work() as session:
                for queue in QUEUES:
                    for holder in leases.holders(session, queue):
                        if _gone(holder, self.me):
                            leases.release(session, queue, holder)
        except sa.exc.SQLAlchemyError as exc:
            log.warning("claims of stopped processes not checked: %s", kind(exc))

    @contextmanager
    def in_hand(self, queue: leases.Queue, row_id: int) -> Iterator[None]:
        """While working a claimed row: its lease is renewed by the heartbeat."""
        with self._lock:
            self._in_hand.add((queue, row_id))
        try:
            yield
        finally:
            with self._lock:
                self._in_hand.discard((queue, row_id))

    def holding(self, queue: leases.Queue) -> list[int]:
        with self._lock:
            return [row_id for held, row_id in self._in_hand if held is queue]

    def wake(self) -> None:
        self._ready.set()

    def stop_taking(self) -> None:
        """Claim nothing more (the first thing on SIGTERM); what is in hand goes on."""
        if self._stop_asked is None:
            self._stop_asked = time.monotonic()
        self._stopping.set()
        self._ready.set()

    def stop(self, timeout: float = 8.0) -> bool:
        """Finish what is in hand until `timeout` seconds after the stop was first asked
        for; True if all of it finished. An item still running then keeps its claim, which
        lapses once this process is gone, so that no other process starts it while this
        one may yet finish it."""
        self.stop_taking()
        assert self._stop_asked is not None
        deadline = self._stop_asked + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        with self._lock:
            unfinished = set(self._in_hand)
        if unfinished:
            log.warning("stopping with %s item(s) unfinished: they lapse", len(unfinished))
        return not unfinished

    def _work(self) -> None:
        owed_at = 0.0
        while not self._stopping.is_set():
            did = False
            try:
                did = self._one()
                if not did or time.monotonic() - owed_at > OWED_EVERY:
                    owed_at = time.monotonic()
                    sent = [run(self.me) for run in self.idle]  # each, not the first only
                    did = any(sent) or did
            except sa.exc.SQLAlchemyError as exc:
                log.warning("inbox not reachable: %s", kind(exc))
            except Exception as exc:
                # A thread that dies leaves the inbox unworked while acks go on: never.
                log.error("inbox work failed: %s", kind(exc))
            if not did:
                self._ready.wait(POLL)
                self._ready.clear()
                if self._stopping.is_set():
                    # The stop woke one thread; the others must not sleep a whole POLL on
                    # the wake this one has just taken.
                    self._ready.set()

    def _one(self) -> bool:
        known = list(self.handlers)
        with self.factory() as session:
            if not inbox.anything_ready(session, known):
                return False
        with self.factory.unit_of_work() as session:
            items = inbox.claim(session, self.me, known)
        if not items:
            return False
        with self.in_hand(inbox.QUEUE, items[0].id):
            self._run(items[0])
        return True

    def _run(self, item: inbox.Claimed) -> None:
        try:
            self.handlers[item.handler](json.loads(item.body))
        except Exception as exc:
            with self.factory.unit_of_work() as session:
                failed = leases.fail(session, inbox.QUEUE, item.id, self.me, kind(exc), utcnow())
            log.error(
                "inbox item %s (%s) failed: %s%s",
                item.id,
                item.handler,
                kind(exc),
                ", set aside" if failed and failed.given_up else ", to be tried again",
            )
            return
        with self.factory.unit_of_work() as session:
            if not leases.finish(session, inbox.QUEUE, item.id, self.me, utcnow()):
                # Its claim lapsed while it was worked: another process may work it again
                # (an event's own id keeps that from changing anything twice).
                log.warning(
                    "inbox item %s (%s) was done after its claim lapsed", item.id, item.handler
                )

    def send_owed(
        self, sender: OwedSender, me: str | None = None, now: datetime | None = None
    ) -> bool:
        """Send the owed posts that are free to send, one claim at a time, until none is
        left or the worker is stopping; True if any was this process's to send."""
        me = me or self.me
        with self.factory() as session:
            if installation.stopped(session) is not None:
                return False  # Slack no longer has the app: kept, in case it comes back
        any_sent = False
        while not self._stopping.is_set():
            with self.factory.unit_of_work() as session:
                claimed = outbox.claim(session, me, now)
                # Read again after the claim, in its transaction: a post owed after a stop
                # was committed after it, so a claim that sees the post sees the stop too.
                if claimed and installation.stopped(session) is not None:
                    session.rollback()
                    break
            if not claimed:
                break
            any_sent = True
            self._send(claimed[0], sender, me, now)
        return any_sent

    def _send(
        self, post: outbox.OwedPost, sender: OwedSender, me: str, now: datetime | None
    ) -> None:
        try:
            with self.in_hand(outbox.QUEUE, post.id):
                problem = sender.send(post)
        except Exception as exc:
            # The platform could not be reached (or answered nonsense): tried again later,
            # untold.
            problem, told = kind(exc), False
        else:
            told = True
        with self.factory.unit_of_work() as session:
            if problem is None:
                leases.finish(session, outbox.QUEUE, post.id, me, now or utcnow())
                return
            failed = leases.fail(session, outbox.QUEUE, post.id, me, problem, now or utcnow())
        if failed is None:
            log.warning("owed post %s was not sent, and is another process's now", post.id)
            return
        log.warning(
            "owed %s post for review %s not sent (try %s)",
            post.kind,
            post.review_id,
            failed.attempts,
        )
        if told and failed.attempts == 1:
            sender.tell(post, problem)  # once; the post is tried again later on its own

    def _heartbeat(self) -> None:
        rounds = 0
        while not self._stopping.wait(HEARTBEAT):
            try:
                with self.factory.unit_of_work() as session:
                    for queue in QUEUES:
                        leases.renew(session, queue, self.me, self.holding(queue), utcnow())
                    if rounds % 1200 == 0:  # about hourly
                        inbox.forget_done(session)
            except Exception as exc:
                log.warning("claims not renewed: %s", kind(exc))
            rounds += 1


def _gone(holder: str, me: str) -> bool:
    """Whether the process that signed `holder` (host:pid:run:worker) has stopped: on this
    host (its name and pid namespace), its pid is not running, or it is this pid in an
    earlier run (a container's process keeps its pid across restarts)."""
    host, pid, run, *_ = [*holder.split(":"), "", "", ""]
    my_host, my_pid, my_run, *_ = me.split(":")
    if host != my_host or not pid.isdigit():
        return False  # another machine's: its claims lapse on their own
    if pid == my_pid:
        return run != my_run
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # running, as another user
    return _dead(int(pid))


def _dead(pid: int) -> bool:
    """Whether a process that still has a pid has ended (a zombie: killed, and not yet
    reaped by whichever process took it over when its parent was killed too)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False  # no /proc here: as it answered a signal, taken as running
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")
