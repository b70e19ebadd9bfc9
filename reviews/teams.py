"""Teams: their channel, their facilitators, and the settings operators keep."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlmodel import Session, col, select

from reviews.audit import record
from reviews.calendar import zone
from reviews.errors import NoTeamHere, NotFacilitator, QprError, UnknownTeam
from reviews.kinds import id_of
from reviews.managers import OPERATOR, is_manager
from reviews.text import printable
from storage import queries
from storage.models import (
    Complaint,
    Facilitator,
    IndicatorValue,
    InformationNeed,
    OutcomeStatement,
    OutcomeSupport,
    Review,
    SurveyResult,
    Team,
    UserView,
    utcnow,
)
from storage.names import fold, near_name

AREA_CODE = re.compile(r"^[A-Z]\d{8}$")


LEAD_TIMES = {
    "kickoff_days": (1, 40, "the kick-off lead time"),
    "outcomes_close_days": (0, 30, "the working days between outcomes closing and the meeting"),
    "need_notice_days": (1, 30, "the notice before a need's due date"),
}


def create_team(session: Session, name: str, new_team: bool = False) -> Team:
    """A team made by an operator before its channel or its data exist. A name all but the
    same as a team's is refused as a likely slip, unless `new_team` is set."""
    name = " ".join(printable(name).split())
    if not name or len(name) > 120 or "<" in name or ">" in name:
        raise QprError("A team name is 1 to 120 characters, without < or >.")
    if queries.team_by_name(session, name) is not None:
        raise QprError(f"There is already a team called '{name}'.")
    near = None if new_team else near_name(name, queries.team_names(session))
    if near:
        raise QprError(
            f"'{name}' is all but the same as '{near}': did you mean that team? "
            "(--new-team creates it as a new team)"
        )
    team = Team(name=name, name_key=fold(name))
    session.add(team)
    session.flush()
    return team


def update_team(
    session: Session,
    name: str,
    area_code: str | None = None,
    response_days: int | None = None,
    timezone: str | None = None,
    council_figures: bool | None = None,
    **lead_times: int | None,
) -> Team:
    """An operator's settings for a team. Lead times are working days."""
    team = queries.team_by_name(session, name)
    if team is None:
        raise UnknownTeam(name, queries.team_names(session))
    if area_code is not None:
        code = area_code.strip().upper()
        if code and not AREA_CODE.match(code):
            raise QprError(f"'{area_code}' is not an ONS area code such as E08000009")
        team.area_code = code or None
    if council_figures is not None:
        team.council_figures = council_figures
    if response_days is not None:
        if not 1 <= response_days <= 365:
            raise QprError("the complaint response target is a number of days, 1 to 365")
        team.complaint_response_days = response_days
    if timezone is not None:
        zone(timezone)  # refused here if it is not one
        team.timezone = timezone
    for field, value in lead_times.items():
        if value is None:
            continue
        low, high, what = LEAD_TIMES[field]
        if not low <= value <= high:
            raise QprError(f"{what} is a number of working days, {low} to {high}")
        setattr(team, field, value)
    if team.kickoff_days <= team.outcomes_close_days + 2:
        raise QprError(
            "the kick-off has to come more than two working days before outcomes close: "
            f"kick-off {team.kickoff_days}, outcomes close {team.outcomes_close_days}"
        )
    session.add(team)
    return team


def team_by_id(session: Session, team_id: int) -> Team | None:
    return session.get(Team, team_id)


def team_by_channel(session: Session, channel_id: str) -> Team | None:
    return session.exec(select(Team).where(Team.slack_channel_id == channel_id)).first()


def team_for_channel(session: Session, channel_id: str) -> Team:
    team = team_by_channel(session, channel_id)
    if team is None:
        raise NoTeamHere()
    return team


def facilitators(session: Session, team: Team) -> list[str]:
    return list(
        session.exec(
            select(Facilitator.slack_user_id)
            .where(Facilitator.team_id == team.id)
            .order_by(col(Facilitator.added_at))
        ).all()
    )


def require_facilitator(session: Session, team: Team, user_id: str, what: str) -> None:
    names = facilitators(session, team)
    if user_id not in names:
        raise NotFacilitator(what, names)


def setup_team(
    session: Session,
    channel_id: str,
    name: str,
    user_id: str,
    request_id: str | None = None,
    timezone: str = "Europe/London",
) -> tuple[Team, bool]:
    """Bind this channel to the team of that name (created if new); the caller becomes a
    facilitator. Returns the team and whether anything changed."""
    name = " ".join(printable(name).split())
    if not name:
        raise QprError("Give the team's name: {then}.", then="setup Older People's Services")
    if len(name) > 120:
        raise QprError("A team name can be at most 120 characters.")
    if "<" in name or ">" in name:
        raise QprError("A team name cannot hold < or >: mentions and links are not names.")
    here = session.exec(select(Team).where(Team.slack_channel_id == channel_id)).first()
    team = queries.team_by_name(session, name)
    if here is not None and (team is None or here.id != team.id):
        raise QprError(f"This channel is already set up for {here.name}.")
    if team is not None and team.slack_channel_id not in (None, channel_id):
        raise QprError(f"{team.name} already has its own channel.")
    if team is not None and team.slack_channel_id != channel_id:
        may_claim(session, team, user_id)
    changed = False
    if team is None:
        team = Team(name=name, name_key=fold(name), timezone=timezone)
        session.add(team)
        changed = True
    if team.slack_channel_id != channel_id:
        team.slack_channel_id = channel_id
        team.channel_set_at = utcnow()
        changed = True
    session.flush()
    if not facilitators(session, team):
        session.add(Facilitator(team_id=id_of(team), slack_user_id=user_id))
        changed = True
    if changed:
        record(session, user_id, "team.setup", team_id=team.id, request_id=request_id)
    return team, changed


def has_data(session: Session, team: Team) -> bool:
    """Whether the team's figures, complaints, views or survey answers are loaded."""
    return any(
        session.exec(select(model.id).where(model.team_id == team.id).limit(1)).first() is not None
        for model in (IndicatorValue, Complaint, UserView, SurveyResult)
    )


def may_claim(session: Session, team: Team, user_id: str) -> None:
    """Whether `user_id` may bind a channel to a team that exists already. A channel sees
    its team's complaints and people's words, so a team with facilitators is set up by one
    of them, and one whose data is loaded but has none yet by someone the operator named
    (`qpr team T --facilitator USER_ID`) or by a manager. A team with nothing loaded may be
    set up by anyone. Refusals name no one."""
    if is_manager(session, user_id):
        return
    names = facilitators(session, team)
    if names and user_id not in names:
        raise QprError(
            f"{team.name} has its facilitators already: one of them sets up its channel."
        )
    if not names and has_data(session, team):
        raise QprError(
            f"{team.name} already holds its data, so whoever runs the bot names its "
            f'first facilitator (qpr team "{team.name}" --facilitator YOUR_SLACK_ID), '
            "or a manager sets it up."
        )


def name_facilitator(session: Session, name: str, user_id: str) -> bool:
    """The operator names a facilitator of a team, who may then set up its channel. False
    when they are one already."""
    team = queries.team_by_name(session, name)
    if team is None:
        raise UnknownTeam(name, queries.team_names(session))
    if user_id in facilitators(session, team):
        return False
    session.add(Facilitator(team_id=id_of(team), slack_user_id=user_id))
    record(session, OPERATOR, "facilitator.add", team_id=team.id, user=user_id)
    return True


def add_facilitator(
    session: Session, team: Team, by: str, user_id: str, request_id: str | None = None
) -> bool:
    require_facilitator(session, team, by, "change the facilitators")
    if user_id in facilitators(session, team):
        return False
    session.add(Facilitator(team_id=id_of(team), slack_user_id=user_id))
    record(session, by, "facilitator.add", team_id=team.id, request_id=request_id, user=user_id)
    return True


def remove_facilitator(
    session: Session, team: Team, by: str, user_id: str, request_id: str | None = None
) -> bool:
    require_facilitator(session, team, by, "change the facilitators")
    names = facilitators(session, team)
    if user_id not in names:
        return False
    if len(names) == 1:
        raise QprError("A team needs at least one facilitator: add another one first.")
    session.delete(session.get(Facilitator, (team.id, user_id)))
    record(session, by, "facilitator.remove", team_id=team.id, request_id=request_id, user=user_id)
    return True


def teams_of(session: Session, user_id: str) -> list[Team]:
    """The teams a person takes part in: facilitates, owns a need of, or has proposed or
    supported an outcome statement in."""
    statements = sa.select(col(Review.team_id)).join(
        OutcomeStatement, col(OutcomeStatement.review_id) == Review.id
    )
    ids = sa.union(
        sa.select(col(Facilitator.team_id)).where(col(Facilitator.slack_user_id) == user_id),
        sa.select(col(InformationNeed.team_id)).where(
            col(InformationNeed.owner_user_id) == user_id
        ),
        statements.where(col(OutcomeStatement.proposer_user_id) == user_id),
        statements.join(
            OutcomeSupport, col(OutcomeSupport.outcome_id) == OutcomeStatement.id
        ).where(col(OutcomeSupport.slack_user_id) == user_id),
    )
    return list(session.exec(select(Team).where(col(Team.id).in_(ids)).order_by(Team.name)).all())
