"""A place's team: setting it up, who facilitates it, where its review has got to, and
how its outcomes have gone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from reviews import history, outcomes, schedule, teams
from reviews.cases.context import Asker, Context, team_here
from reviews.kinds import Review, Team


@dataclass(frozen=True)
class TeamPeople:
    team: Team
    facilitators: list[str]
    changed: bool = False


def set_up(ctx: Context, asker: Asker, name: str) -> TeamPeople:
    """Make the asker's place the home of the team called `name` (new, or loaded and not
    yet claimed: then only a facilitator named by the operator, or a manager, may). An
    empty name is refused by `teams.setup_team`."""
    with ctx.changing() as session:
        team, changed = teams.setup_team(
            session, asker.place, name, asker.user, asker.request_id, ctx.timezone
        )
        return TeamPeople(team, teams.facilitators(session, team), changed)


def facilitators(ctx: Context, asker: Asker) -> TeamPeople:
    with ctx.reading() as session:
        team = team_here(session, asker)
        return TeamPeople(team, teams.facilitators(session, team))


def change_facilitator(ctx: Context, asker: Asker, user: str, adding: bool) -> bool:
    """Add or remove a facilitator of the place's team; whether anything changed."""
    with ctx.changing() as session:
        team = team_here(session, asker)
        change = teams.add_facilitator if adding else teams.remove_facilitator
        return change(session, team, asker.user, user, asker.request_id)


@dataclass(frozen=True)
class Status:
    team: Team
    facilitators: list[str]
    outlook: schedule.Outlook
    review: Review | None
    proposed: int = 0
    agreed: int = 0


def status(ctx: Context, asker: Asker) -> Status:
    with ctx.reading() as session:
        team = team_here(session, asker)
        review = outcomes.open_review(session, team)
        found = schedule.outlook(session, team, datetime.now(UTC), ctx.fy_start_month)
        people = teams.facilitators(session, team)
        if review is None:
            return Status(team, people, found, None)
        return Status(
            team,
            people,
            found,
            review,
            proposed=len(outcomes.proposals(session, review)),
            agreed=len(outcomes.agreed(session, review)),
        )


def team_history(ctx: Context, asker: Asker) -> history.TeamHistory:
    with ctx.reading() as session:
        return history.team_history(session, team_here(session, asker))
