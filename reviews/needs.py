"""Information needs: what the group needs to know, who finds out, and by when. A need comes
back at every review until it is done or dropped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from reviews.audit import record
from reviews.calendar import local_date
from reviews.errors import QprError
from reviews.teams import facilitators
from storage.models import (
    Indicator,
    IndicatorValue,
    InformationNeed,
    NeedStatus,
    Review,
    Team,
    utcnow,
)


@dataclass(frozen=True)
class NewData:
    """Figures loaded for a need's indicator since the need was raised."""

    need: InformationNeed
    code: str | None  # None: the need is not about an indicator
    latest_period_end: date | None  # None: nothing new loaded yet


def open_for_team(session: Session, team: Team) -> list[InformationNeed]:
    return list(
        session.exec(
            select(InformationNeed)
            .where(InformationNeed.team_id == team.id, InformationNeed.status == NeedStatus.OPEN)
            .order_by(InformationNeed.due, InformationNeed.id)
        ).all()
    )


def earlier_reviews(review: Review):
    """The ids of the team's reviews of earlier quarters, as a subquery."""
    return select(Review.id).where(
        Review.team_id == review.team_id, Review.period_end < review.period_end
    )


def earlier_open(session: Session, review: Review) -> list[InformationNeed]:
    """Needs raised at reviews of earlier quarters and still open: settled when this one is
    judged. A later quarter's needs are not this review's to settle."""
    return list(
        session.exec(
            select(InformationNeed)
            .where(
                InformationNeed.review_id.in_(earlier_reviews(review)),
                InformationNeed.status == NeedStatus.OPEN,
            )
            .order_by(InformationNeed.due, InformationNeed.id)
        ).all()
    )


def owned_by(session: Session, user_id: str) -> list[tuple[InformationNeed, Team]]:
    return list(
        session.exec(
            select(InformationNeed, Team)
            .join(Team, Team.id == InformationNeed.team_id)
            .where(
                InformationNeed.owner_user_id == user_id,
                InformationNeed.status == NeedStatus.OPEN,
            )
            .order_by(InformationNeed.due, InformationNeed.id)
        ).all()
    )


def mark_done(
    session: Session, need_id: int, user_id: str, request_id: str | None = None
) -> tuple[InformationNeed, bool]:
    """The owner, or a facilitator of the team, marks a need done. False when it was
    settled already (a second click, or someone else got there first)."""
    need = _settable(session, need_id, user_id, "mark that need done")
    team = session.get(Team, need.team_id)
    changed = session.execute(
        sa.update(InformationNeed)
        .where(InformationNeed.id == need_id, InformationNeed.status == NeedStatus.OPEN)
        .values(status=NeedStatus.DONE, closed_at=utcnow())
    ).rowcount
    session.refresh(need)
    if changed:
        record(
            session,
            user_id,
            "need.done",
            team_id=team.id,
            review_id=need.review_id,
            request_id=request_id,
            need=need.id,
        )
    return need, bool(changed)


def move_due(
    session: Session,
    need_id: int,
    user_id: str,
    due: date,
    now: datetime,
    request_id: str | None = None,
) -> InformationNeed:
    """A new due date, from its owner or a facilitator; its reminders follow the date."""
    need = _settable(session, need_id, user_id, "move that need's date")
    today = local_date(now, session.get(Team, need.team_id).timezone)
    if need.status != NeedStatus.OPEN:
        raise QprError("That need is settled already.")
    if due < today:
        raise QprError("That date has passed: pick one to come.")
    need.due = due
    session.add(need)
    record(
        session,
        user_id,
        "need.move",
        team_id=need.team_id,
        review_id=need.review_id,
        request_id=request_id,
        need=need.id,
        due=due.isoformat(),
    )
    return need


def _settable(session: Session, need_id: int, user_id: str, what: str) -> InformationNeed:
    need = session.get(InformationNeed, need_id)
    if need is None:
        raise QprError("That information need no longer exists.")
    team = session.get(Team, need.team_id)
    if user_id != need.owner_user_id and user_id not in facilitators(session, team):
        owner = f"<@{need.owner_user_id}>" if need.owner_user_id else "a facilitator"
        raise QprError(f"Only its owner or a facilitator can {what}: ask {owner}.")
    return need


def new_data(session: Session, team: Team) -> list[NewData]:
    """Each open need; for one about an indicator, the latest figure loaded since it was
    raised."""
    found = []
    for need in open_for_team(session, team):
        if need.indicator_id is None:
            found.append(NewData(need, None, None))
            continue
        indicator = session.get(Indicator, need.indicator_id)
        latest = session.exec(
            select(sa.func.max(IndicatorValue.period_end)).where(
                IndicatorValue.team_id == team.id,
                IndicatorValue.indicator_id == need.indicator_id,
                IndicatorValue.loaded_at > need.created_at,
            )
        ).one()
        found.append(NewData(need, indicator.code, latest))
    return found
