"""Sending to Slack the reminders that have fallen due: the rounds that claim them, space
them out and mark them sent know no platform (bot/shared/reminding.py); here is what each
one says and where it goes."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.errors import SlackApiError
from sqlmodel import select

from bot.shared.reminding import Rounds
from bot.shared.reports.teams import TeamsReport
from bot.slack.blocks.kit import context
from bot.slack.blocks.overview import overview_blocks
from bot.slack.blocks.reminders import need_message, review_message
from bot.slack.calls import slack_error
from bot.slack.deps import INSTANCE, Deps
from bot.slack.posts import post_kickoff
from reviews import outcomes, reminders
from reviews.calendar import local_date
from reviews.kinds import id_of
from reviews.overview import overview
from reviews.reminders import Due
from storage.models import InformationNeed, Review, Team
from storage.periods import parse_quarter


class Reminders(Rounds):
    """The rounds of reminders (see bot/shared/reminding.py), sent to Slack with `client`."""

    def __init__(
        self,
        deps: Deps,
        client,
        instance: str | None = None,
        channel_gap: float = 1.0,
        workers: int = 8,
    ):
        super().__init__(
            deps.factory,
            deps.settings.fy_start_month,
            instance or INSTANCE,
            channel_gap=channel_gap,
            workers=workers,
        )
        self.deps = deps
        self.client = client
        self._known: dict = {}

    def prepare(self, dues: list[Due], now: datetime) -> None:
        """The teams, reviews and needs the messages speak of, read once for the round."""
        fy = self.deps.settings.fy_start_month
        today = local_date(now, self.deps.settings.timezone)
        with self.deps.factory() as session:
            self._known = {
                "teams": _by_id(session, Team, {d.team_id for d in dues}),
                "reviews": _by_id(session, Review, {d.review_id for d in dues if d.review_id}),
                "needs": _by_id(session, InformationNeed, {d.need_id for d in dues if d.need_id}),
                # Each quarter's overview once, whatever the number of managers.
                "overviews": {
                    label: overview(session, parse_quarter(label, fy), today, fy)
                    for label in {d.period_label for d in dues if d.kind == reminders.OVERVIEW}
                },
            }

    def send(self, due: Due, now: datetime) -> str | None:
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
        return None

    def _kickoff(self, due: Due) -> str | None:
        fy = self.deps.settings.fy_start_month
        with self.deps.factory.unit_of_work() as session:
            team = session.get_one(Team, due.team_id)
            if not team.slack_channel_id:
                return None
            # A kick-off falls due only once the meeting is known (reviews.reminders).
            assert due.meeting is not None, "a kick-off's reminder carries its meeting"
            review, _ = outcomes.start_review(
                session,
                team,
                parse_quarter(due.period_label, fy),
                outcomes.SCHEDULER,
                meeting=local_date(due.meeting, team.timezone),
            )
            review_id = id_of(review)
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


def _by_id(session, model, ids: set[int]) -> dict:
    found = {}
    for start in range(0, len(ids), 500):
        chunk = sorted(ids)[start : start + 500]
        found.update(
            {row.id: row for row in session.exec(select(model).where(model.id.in_(chunk)))}
        )
    return found
