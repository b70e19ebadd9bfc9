"""Information needs: the team's open ones, settling one (what was found, or why it is
dropped), moving its date, and what a person's home shows of their teams and needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from reviews import managers, needs, outcomes, pulse, schedule, teams
from reviews.as_of import figures_as_of
from reviews.calendar import local_date
from reviews.cases.context import Asker, Context, team_here
from reviews.evidence.quality import DataNote, review_data_notes
from reviews.kinds import InformationNeed, NeedStatus, Review, Team, id_of
from reviews.overview import Overview, overview
from reviews.periods import last_ended_quarter
from reviews.pulse import PulseResult


@dataclass(frozen=True)
class TeamNeeds:
    team: Team
    open: list[InformationNeed]


def team_needs(ctx: Context, asker: Asker) -> TeamNeeds:
    with ctx.reading() as session:
        team = team_here(session, asker)
        return TeamNeeds(team, needs.open_for_team(session, team))


def to_settle(ctx: Context, asker: Asker, need_id: int) -> InformationNeed:
    """The need, if the asker may settle it (its owner, or a facilitator of its team)."""
    with ctx.reading() as session:
        return needs.settable(session, need_id, asker.user, "settle that need")


@dataclass(frozen=True)
class Settled:
    need: InformationNeed
    changed: bool  # False: it was settled already, and what was said then stands
    team: TeamNeeds  # the team's needs still open, after this one


def settle(
    ctx: Context,
    asker: Asker,
    need_id: int,
    status: NeedStatus,
    answer: str,
    link: str | None = None,
    file: str | None = None,
) -> Settled:
    with ctx.changing() as session:
        need, changed = needs.settle(
            session,
            need_id,
            asker.user,
            status,
            answer,
            link=link,
            file=file,
            request_id=asker.request_id,
        )
        team = teams.team_by_id(session, need.team_id)
        assert team is not None  # a need's team is never deleted
        return Settled(need, changed, TeamNeeds(team, needs.open_for_team(session, team)))


def move_due(ctx: Context, asker: Asker, need_id: int, due: date) -> InformationNeed:
    with ctx.changing() as session:
        return needs.move_due(
            session, need_id, asker.user, due, datetime.now(UTC), asker.request_id
        )


@dataclass(frozen=True)
class TeamHome:
    team: Team
    review: Review | None  # the open one
    outlook: schedule.Outlook
    # For a facilitator: what in the data wants putting right, and the team's needs past
    # their date, whoever owns them (owners see their own in `Home.owned`).
    data_notes: list[DataNote] = field(default_factory=list)
    overdue: list[InformationNeed] = field(default_factory=list)
    # For a facilitator: the two questions' answers at the team's latest judged review.
    pulse: PulseResult | None = None


@dataclass(frozen=True)
class Home:
    teams: list[TeamHome]
    owned: list[tuple[InformationNeed, Team]]
    across: Overview | None  # for a manager: every team's review of the latest quarter


def home(ctx: Context, user: str) -> Home:
    """What one person sees of the bot: their teams, the needs they own, and, for a
    manager, every team."""
    now = datetime.now(UTC)
    fy = ctx.fy_start_month
    today = date.today()
    with ctx.reading() as session:
        found = []
        for team in teams.teams_of(session, user):
            review = outcomes.open_review(session, team)
            latest = review or outcomes.latest_review(session, team)
            facilitating = user in teams.facilitators(session, team)
            notes = (
                review_data_notes(session, team, latest, figures_as_of(latest, today), fy)
                if latest is not None and facilitating
                else []
            )
            overdue = needs.overdue_for_team(session, team, today) if facilitating else []
            outlook = schedule.outlook(session, team, now, fy)
            answers = pulse.latest(session, id_of(team)) if facilitating else None
            found.append(TeamHome(team, review, outlook, notes, overdue, answers))
        across = None
        if managers.is_manager(session, user):
            local = local_date(now, ctx.timezone)
            across = overview(session, last_ended_quarter(local, fy), local, fy)
        return Home(found, needs.owned_by(session, user), across)
