"""Every team's review of one quarter at a glance, for the managers who chair a meeting
across teams: where each review stands, what each team agreed and how it judged itself,
its open and overdue needs, its key indicators with their variation, and which reviews are
late. It holds what the teams agreed and judged, never who proposed what, and none of the
complaints' or views' own words."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, col, select

from reviews import needs, outcomes
from reviews.calendar import local_date
from reviews.evidence.build import indicators_of
from reviews.evidence.model import IndicatorEvidence
from reviews.judgement import ratings
from reviews.kinds import id_of
from reviews.pulse import PulseResult
from reviews.pulse import latest as latest_pulse
from reviews.reminders import meeting_of, posted
from reviews.teams import facilitators
from storage import queries
from storage.models import Review, ReviewStage, Team
from storage.periods import Period

JUDGE_WITHIN = timedelta(days=7)  # after the meeting: later than this, the review is late
NOT_STARTED = "not started"
NO_CHANNEL = "no channel"  # the team has no Slack channel yet: its review cannot start


@dataclass(frozen=True)
class OutcomeLine:
    text: str
    rating: str | None  # None until the judgement is recorded in full
    carried: bool  # agreed at an earlier review too


@dataclass(frozen=True)
class TeamLine:
    team: str
    channel: str | None
    facilitators: list[str]
    stage: str  # a review stage, or NOT_STARTED
    meeting: date | None  # the meeting's date: set on the review, or from the team's schedule
    outcomes: list[OutcomeLine]
    overall: str | None
    overall_rationale: str
    open_needs: int
    overdue_needs: int
    key: list[IndicatorEvidence]
    late: str | None  # why the review is late, in words; None when it is not
    before: tuple[str, str | None] | None = None  # the previous review: period, overall rating
    # The two questions' answers at the latest review judged (of this quarter or before).
    pulse: PulseResult | None = None

    @property
    def judged(self) -> bool:
        return self.overall is not None


@dataclass(frozen=True)
class Overview:
    period: Period
    as_of: date
    teams: list[TeamLine] = field(default_factory=list)

    @property
    def late(self) -> list[TeamLine]:
        return [t for t in self.teams if t.late]

    @property
    def judged(self) -> list[TeamLine]:
        return [t for t in self.teams if t.judged]


def lateness(
    stage: str, judged: bool, meeting: date | None, today: date, since: date | None = None
) -> str | None:
    """Late: not started by the meeting's date, or not judged a week after the meeting. A
    review closed without a judgement was closed on purpose; a team with no channel cannot
    start one; and a meeting before `since`, the day the team's channel and schedule both
    existed, was never the team's to hold (a rule set in December puts the last quarter's
    meeting in October)."""
    if meeting is None or stage in (ReviewStage.CLOSED, NO_CHANNEL):
        return None
    if since is not None and meeting < since:
        return None
    if stage == NOT_STARTED and today >= meeting:
        return f"not started by its meeting on {meeting:%-d %B %Y}"
    if stage != NOT_STARTED and not judged and today > meeting + JUDGE_WITHIN:
        return f"not judged a week after its meeting on {meeting:%-d %B %Y}"
    return None


def overview(session: Session, period: Period, as_of: date, fy_start_month: int) -> Overview:
    """Every team, by name, with its review of `period` (or its absence)."""
    # Only the key indicators are read: a view of many teams shows no more.
    key = queries.key_indicator_ids(session)
    lines = [
        team_line(session, team, period, as_of, fy_start_month, key)
        for team in session.exec(select(Team).order_by(Team.name_key)).all()
    ]
    return Overview(period, as_of, lines)


def team_line(
    session: Session, team: Team, period: Period, as_of: date, fy_start_month: int, key: set[int]
) -> TeamLine:
    review = queries.review_for(session, id_of(team), period.end)
    if review is not None and posted(review):
        stage = str(review.stage)
    else:
        stage = NOT_STARTED if team.slack_channel_id else NO_CHANNEL
    meeting_at = meeting_of(team, period, review, fy_start_month)
    meeting = local_date(meeting_at, team.timezone) if meeting_at else None
    judged = ratings(session, review) if review is not None else {}
    overall = judged.get(None)
    lines = []
    if review is not None:
        for outcome in outcomes.agreed(session, review):
            rated = judged.get(outcome.id) if overall else None
            lines.append(
                OutcomeLine(
                    outcome.text,
                    str(rated.rating) if rated else None,
                    outcome.carried_from_id is not None,
                )
            )
    open_needs = needs.open_for_team(session, team)
    return TeamLine(
        team=team.name,
        channel=team.slack_channel_id,
        facilitators=facilitators(session, team),
        stage=stage,
        meeting=meeting,
        outcomes=lines,
        overall=str(overall.rating) if overall else None,
        overall_rationale=overall.rationale if overall else "",
        open_needs=len(open_needs),
        overdue_needs=sum(1 for n in open_needs if n.due and n.due < as_of),
        key=indicators_of(session, team, period, as_of, fy_start_month, key)[0],
        late=lateness(stage, overall is not None, meeting, as_of, _since(team, review)),
        before=_before(session, team, period),
        pulse=latest_pulse(session, id_of(team), period.end),
    )


def _since(team: Team, review: Review | None) -> date | None:
    """The day the team could first have held the meeting: its channel set up and, for a
    meeting its schedule gives (not one set on the review), its schedule set."""
    days = [team.channel_set_at]
    if review is None or review.meeting_date is None:
        days.append(team.schedule_set_at)
    known = [local_date(d, team.timezone) for d in days if d is not None]
    return max(known) if known else None


def _before(session: Session, team: Team, period: Period) -> tuple[str, str | None] | None:
    earlier = session.exec(
        select(Review)
        .where(
            Review.team_id == team.id,
            Review.period_end < period.end,
            Review.stage == ReviewStage.CLOSED,
        )
        .order_by(col(Review.period_end).desc())
    ).first()
    if earlier is None:
        return None
    overall = ratings(session, earlier).get(None)
    return earlier.period_label, str(overall.rating) if overall else None
