"""Sending the reminders that have fallen due. APScheduler only wakes the bot up each
minute; what is due comes from the store, and each reminder is claimed there before it is
sent, so restarts and other instances never send one twice."""

from __future__ import annotations

import logging
import threading
import time as clock
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from slack_sdk.errors import SlackApiError
from sqlmodel import select

from bot.base.logs import kind
from bot.shared.reports.teams import TeamsReport
from bot.slack.blocks.kit import context
from bot.slack.blocks.overview import overview_blocks
from bot.slack.blocks.reminders import need_message, review_message
from bot.slack.calls import slack_error
from bot.slack.deps import INSTANCE, Deps
from bot.slack.posts import post_kickoff
from reviews import outcomes, reminders
from reviews.calendar import local_date
from reviews.overview import overview
from reviews.reminders import Due
from storage import leases
from storage.models import InformationNeed, Review, Team
from storage.periods import parse_quarter

log = logging.getLogger(__name__)


@dataclass
class Tally:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    kinds: list[str] = field(default_factory=list)


class Reminders:
    """What is due at a moment, claimed and sent. `tick(now)` does one round; `start()`
    runs one now (to catch up on what fell due while the bot was down) and then every
    minute."""

    def __init__(
        self,
        deps: Deps,
        client,
        instance: str | None = None,
        channel_gap: float = 1.0,
        workers: int = 8,
    ):
        self.deps = deps
        self.client = client
        self.instance = instance or INSTANCE
        # Slack allows about one message a second in a channel: posts to one channel are
        # spaced out; different channels go side by side.
        self.channel_gap = channel_gap
        self.workers = workers
        self._scheduler = None
        self._lock = threading.Lock()
        self._known: dict = {}
        self._round_started = clock.monotonic()

    def tick(self, now: datetime | None = None) -> Tally:
        now = now or datetime.now(UTC)
        with self._lock:
            fy = self.deps.settings.fy_start_month
            with self.deps.factory() as session:
                found = reminders.due(session, now, fy)
            with self.deps.factory.unit_of_work() as session:
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
            self._known = self._load(mine, now)
            self._round_started = clock.monotonic()
            by_channel: dict[str, list[tuple[int, Due]]] = defaultdict(list)
            for row_id, due in mine:
                by_channel[due.channel or ""].append((row_id, due))
            with ThreadPoolExecutor(max_workers=self.workers) as pool:
                for results in pool.map(
                    lambda group: self._send_all(group, now), by_channel.values()
                ):
                    for kind, ok in results:
                        tally.kinds.append(kind)
                        if ok:
                            tally.sent += 1
                        else:
                            tally.failed += 1
            return tally

    def _load(self, mine: list[tuple[int, Due]], now: datetime) -> dict:
        """The teams, reviews and needs the messages speak of, read once for the round."""
        dues = [d for _, d in mine]
        fy = self.deps.settings.fy_start_month
        today = local_date(now, self.deps.settings.timezone)
        with self.deps.factory() as session:
            return {
                "teams": _by_id(session, Team, {d.team_id for d in dues}),
                "reviews": _by_id(session, Review, {d.review_id for d in dues if d.review_id}),
                "needs": _by_id(session, InformationNeed, {d.need_id for d in dues if d.need_id}),
                # Each quarter's overview once, whatever the number of managers.
                "overviews": {
                    label: overview(session, parse_quarter(label, fy), today, fy)
                    for label in {d.period_label for d in dues if d.kind == reminders.OVERVIEW}
                },
            }

    def _send_all(self, group: list[tuple[int, Due]], now: datetime) -> list[tuple[str, bool]]:
        results = []
        for n, (row_id, due) in enumerate(group):
            if n and self.channel_gap:
                clock.sleep(self.channel_gap)
            moment = now + timedelta(seconds=clock.monotonic() - self._round_started)
            if moment - now > reminders.LEASE / 2:
                # A long round could outlast its claims: renewed before the send, and given
                # up if another instance has taken it over meanwhile.
                with self.deps.factory.unit_of_work() as session:
                    if not leases.renew(session, reminders.QUEUE, self.instance, [row_id], moment):
                        continue
            error = self._send(due, moment)
            with self.deps.factory.unit_of_work() as session:
                if error is None:
                    leases.finish(session, reminders.QUEUE, row_id, self.instance, moment)
                else:
                    leases.fail(session, reminders.QUEUE, row_id, self.instance, error, moment)
            if error is not None:
                log.warning("reminder %s for team %s not sent: %s", due.kind, due.team_id, error)
            results.append((due.kind, error is None))
        return results

    def _send(self, due: Due, now: datetime) -> str | None:
        """Send one reminder; None, or what went wrong."""
        try:
            if due.kind == reminders.KICKOFF:
                return self._kickoff(due)
            text, blocks = self._message(due, now)
            if text is None:
                return None  # nothing left to remind anyone of
            self.client.chat_postMessage(
                channel=due.channel,
                thread_ts=due.thread_ts,
                text=text,
                blocks=blocks,
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as exc:
            return slack_error(exc)
        except Exception as exc:
            log.error("reminder %s failed: %s", due.kind, kind(exc))
            return kind(exc)
        return None

    def _kickoff(self, due: Due) -> str | None:
        fy = self.deps.settings.fy_start_month
        with self.deps.factory.unit_of_work() as session:
            team = session.get(Team, due.team_id)
            if not team.slack_channel_id:
                return None
            review, _ = outcomes.start_review(
                session,
                team,
                parse_quarter(due.period_label, fy),
                outcomes.SCHEDULER,
                meeting=local_date(due.meeting, team.timezone),
            )
            review_id = review.id
        result = post_kickoff(self.deps, self.client, review_id)
        if result == "posting":
            return "kick-off being posted elsewhere"  # tried again until the thread exists
        return None if result in ("posted", "already") else result

    def _message(self, due: Due, now: datetime) -> tuple[str | None, list[dict] | None]:
        if due.kind == reminders.OVERVIEW:
            return self._overview(due, now)
        team = self._known["teams"][due.team_id]
        if due.need_id is not None:
            need = self._known["needs"].get(due.need_id)
            if need is None or str(need.status) != "open":
                return None, None
            return need_message(due, need, team)
        return review_message(due, self._known["reviews"][due.review_id], team, now)

    def _overview(self, due: Due, now: datetime) -> tuple[str, list[dict]]:
        """Every team's review of the quarter, to a manager, now that the last has closed."""
        text, blocks = overview_blocks(TeamsReport(self._known["overviews"][due.period_label]))
        lead = context(
            f"Every team's review of {due.period_label} is now closed. This is the overview "
            "for your meeting across teams; `/qpr overview` posts it in a managers' channel."
        )
        return text, [lead, *blocks]

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


def _by_id(session, model, ids: set[int]) -> dict:
    found = {}
    for start in range(0, len(ids), 500):
        chunk = sorted(ids)[start : start + 500]
        found.update(
            {row.id: row for row in session.exec(select(model).where(model.id.in_(chunk)))}
        )
    return found
