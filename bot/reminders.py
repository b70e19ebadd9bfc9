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

from bot import ids
from bot.blocks.kit import button, context, section, short
from bot.listeners.commands import post_kickoff
from bot.listeners.context import INSTANCE, Deps, slack_error
from bot.listeners.owed import deliver
from bot.text import escape
from reviews import outbox, outcomes, reminders
from reviews.calendar import local_date, zone
from reviews.reminders import Due
from storage.models import InformationNeed, Review, Team
from storage.periods import parse_quarter

log = logging.getLogger("qpr.reminders")


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
            self._owed(now)
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
            self._known = self._load(mine)
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

    def _owed(self, now: datetime) -> None:
        """Posts owed after a change whose process stopped before sending them."""
        with self.deps.factory() as session:
            left = outbox.owed(session, now)
        for row_id in left:
            deliver(self.deps, self.client, row_id, self.instance, now)

    def _load(self, mine: list[tuple[int, Due]]) -> dict:
        """The teams, reviews and needs the messages speak of, read once for the round."""
        dues = [d for _, d in mine]
        with self.deps.factory() as session:
            return {
                "teams": _by_id(session, Team, {d.team_id for d in dues}),
                "reviews": _by_id(session, Review, {d.review_id for d in dues if d.review_id}),
                "needs": _by_id(session, InformationNeed, {d.need_id for d in dues if d.need_id}),
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
                    if not reminders.renew(session, row_id, self.instance, moment):
                        continue
            error = self._send(due, moment)
            with self.deps.factory.unit_of_work() as session:
                if error is None:
                    reminders.mark_sent(session, row_id, self.instance, moment)
                else:
                    reminders.mark_failed(session, row_id, self.instance, moment, error)
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
            log.error("reminder %s failed: %s", due.kind, type(exc).__name__)
            return type(exc).__name__
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
        team = self._known["teams"][due.team_id]
        tz = team.timezone
        if due.need_id is not None:
            need = self._known["needs"].get(due.need_id)
            if need is None or str(need.status) != "open":
                return None, None
            return need_message(due, need, team)
        review = self._known["reviews"][due.review_id]
        meeting = due.meeting.astimezone(zone(tz)) if due.meeting else None
        when = f"{meeting:%A %d %B} at {meeting:%H:%M}" if meeting else ""
        if due.kind == reminders.OUTCOMES_SOON:
            text = (
                f"Outcome statements for {review.period_label} close in two working days, "
                f"on {due.close_day:%A %d %B}. Reply in this thread with any more, and :+1: "
                "the ones you support."
            )
        elif due.kind == reminders.OUTCOMES_TODAY:
            text = (
                f"Outcome statements for {review.period_label} close today. A facilitator "
                "agrees the set with `/qpr agree` or the button on the kick-off."
            )
        elif due.kind == reminders.MEETING_TOMORROW:
            days = (meeting.date() - local_date(now, tz)).days if meeting else None
            day = {0: f"today, at {meeting:%H:%M}", 1: f"tomorrow, {when}"}.get(days, f"on {when}")
            text = (
                f"The evidence is posted in this thread; the meeting is {day}. What do the "
                "figures not tell us? Reply here before then."
            )
        else:  # the judgement, to a facilitator
            again = "still " if due.kind == reminders.JUDGEMENT_AGAIN else ""
            text = (
                f"The judgement of {review.period_label} for *{escape(team.name)}* is "
                f"{again}not recorded (the meeting was on {when}). Record it with "
                f"`/qpr judge` in <#{review.slack_channel_id}>, or here."
            )
            blocks = [
                section(text),
                {
                    "type": "actions",
                    "elements": [
                        button("Record the judgement", ids.OPEN_JUDGE, str(review.id), "primary")
                    ],
                },
            ]
            return f"The judgement of {review.period_label} is {again}not recorded", blocks
        return text, [section(text)]

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
            log.error("reminder round failed: %s", type(exc).__name__)
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


def need_message(due: Due, need: InformationNeed, team: Team) -> tuple[str, list[dict]]:
    if due.kind == reminders.NEED_SOON:
        head = f"Due on {need.due:%A %d %B}"
    else:
        head = f"Overdue since {need.due:%A %d %B}"
    text = f"{head}: {escape(short(need.text, 1000))} ({escape(team.name)})"
    return f"{head}: an information need for {escape(team.name)}", [
        section(text),
        {
            "type": "actions",
            "block_id": f"need_{need.id}",
            "elements": [
                button("Done", ids.NEED_DONE, str(need.id), "primary"),
                {
                    "type": "datepicker",
                    "action_id": ids.NEED_MOVE,
                    "initial_date": need.due.isoformat(),
                    "placeholder": {"type": "plain_text", "text": "Move the date"},
                },
            ],
        },
        context("Mark it done, or pick a new date to move it."),
    ]
