"""Rounds of the reminders that have fallen due. APScheduler only wakes the bot up each
minute; what is due comes from the store, and each reminder is claimed there before it is
sent (reviews/reminders.py, leased as storage/leases.py describes), so restarts and other
instances never send one twice.

It knows no platform: a front end subclasses `Rounds` with how to send one reminder (the
Slack adapter's is bot/slack/scheduler.py)."""

from __future__ import annotations

import logging
import threading
import time as clock
from abc import ABC, abstractmethod
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.base.logs import kind
from reviews import installation, reminders
from reviews.reminders import Due
from storage import leases
from storage.db import SessionFactory

log = logging.getLogger(__name__)


@dataclass
class Tally:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    kinds: list[str] = field(default_factory=list)


class Rounds(ABC):
    """What is due at a moment, claimed and sent. `tick(now)` does one round; `start()`
    runs one now (to catch up on what fell due while the bot was down) and then every
    minute. A subclass says how one reminder is sent (`send`), and may read what the round's
    messages need first (`prepare`)."""

    def __init__(
        self,
        factory: SessionFactory,
        fy_start_month: int,
        instance: str,
        channel_gap: float = 1.0,
        workers: int = 8,
    ):
        self.factory = factory
        self.fy_start_month = fy_start_month
        self.instance = instance
        # Slack allows about one message a second in a channel: posts to one channel are
        # spaced out; different channels go side by side.
        self.channel_gap = channel_gap
        self.workers = workers
        self._scheduler: Any = None
        self._lock = threading.Lock()
        self._round_started = clock.monotonic()

    def prepare(self, dues: list[Due], now: datetime) -> None:
        """Before a round's sending: read once what its messages need (by default,
        nothing)."""
        return None

    @abstractmethod
    def send(self, due: Due, now: datetime) -> str | None:
        """Send one reminder; None, or what went wrong."""

    def tick(self, now: datetime | None = None) -> Tally:
        now = now or datetime.now(UTC)
        with self._lock:
            with self.factory() as session:
                if installation.stopped(session) is not None:
                    return Tally()  # Slack no longer has the app: nothing is sent
                found = reminders.due(session, now, self.fy_start_month)
            with self.factory.unit_of_work() as session:
                mine, skipped = reminders.claim(session, found, now, self.instance)
            tally = Tally(skipped=len(skipped))
            for due in skipped:
                log.info(
                    "reminder skipped, %s: %s for team %s (due %s)",
                    "reminders paused" if due.paused else "too late to be useful",
                    due.kind,
                    due.team_id,
                    f"{due.due_at:%Y-%m-%d %H:%M}",
                )
            if not mine:
                return tally
            self.prepare([d for _, d in mine], now)
            self._round_started = clock.monotonic()
            by_channel: dict[str, list[tuple[int, Due]]] = defaultdict(list)
            for row_id, due in mine:
                by_channel[due.channel or ""].append((row_id, due))
            with ThreadPoolExecutor(max_workers=self.workers) as pool:
                for results in pool.map(
                    lambda group: self._send_all(group, now), by_channel.values()
                ):
                    for sent_kind, ok in results:
                        tally.kinds.append(sent_kind)
                        if ok:
                            tally.sent += 1
                        else:
                            tally.failed += 1
            return tally

    def _send_all(self, group: list[tuple[int, Due]], now: datetime) -> list[tuple[str, bool]]:
        results = []
        for n, (row_id, due) in enumerate(group):
            if n and self.channel_gap:
                clock.sleep(self.channel_gap)
            with self.factory() as session:
                if installation.stopped(session) is not None:
                    # Slack said the app was gone during the round: the rest are kept,
                    # their claims lapsing, for when it is back.
                    break
            moment = now + timedelta(seconds=clock.monotonic() - self._round_started)
            if moment - now > reminders.LEASE / 2:
                # A long round could outlast its claims: renewed before the send, and given
                # up if another instance has taken it over meanwhile.
                with self.factory.unit_of_work() as session:
                    if not leases.renew(session, reminders.QUEUE, self.instance, [row_id], moment):
                        continue
            try:
                error = self.send(due, moment)
            except Exception as exc:
                log.error("reminder %s failed: %s", due.kind, kind(exc))
                error = kind(exc)
            with self.factory.unit_of_work() as session:
                if error is None:
                    leases.finish(session, reminders.QUEUE, row_id, self.instance, moment)
                else:
                    leases.fail(session, reminders.QUEUE, row_id, self.instance, error, moment)
            if error is not None:
                log.warning("reminder %s for team %s not sent: %s", due.kind, due.team_id, error)
            results.append((due.kind, error is None))
        return results

    def start(self, interval_seconds: int = 60) -> None:
        from apscheduler.schedulers.background import BackgroundScheduler

        self._scheduler = BackgroundScheduler(timezone="UTC")
        self._scheduler.add_job(
            self._tick_logged,
            "interval",
            seconds=interval_seconds,
            next_run_time=datetime.now(UTC),
            max_instances=1,
            coalesce=True,
        )
        self._scheduler.start()

    def _tick_logged(self) -> None:
        try:
            tally = self.tick()
        except Exception as exc:
            log.error("reminder round failed: %s", kind(exc))
            return
        if tally.sent or tally.failed:
            log.info("reminders: %s sent, %s to retry", tally.sent, tally.failed)

    def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=True)
            self._scheduler = None
