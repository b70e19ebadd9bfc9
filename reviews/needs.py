"""Information needs: what the group needs to know, who finds out, and by when. A need comes
back at every review until it is done or dropped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from reviews.audit import record
from reviews.calendar import local_date
from reviews.errors import QprError
from reviews.outcomes import previous_review
from reviews.teams import facilitators
from reviews.text import printable
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
            .order_by(col(InformationNeed.due), col(InformationNeed.id))
        ).all()
    )


def earlier_reviews(review: Review) -> SelectOfScalar[int | None]:
    """The ids of the team's reviews of earlier quarters, as a subquery."""
    return select(col(Review.id)).where(
        Review.team_id == review.team_id, Review.period_end < review.period_end
    )


def earlier_open(session: Session, review: Review) -> list[InformationNeed]:
    """Needs raised at reviews of earlier quarters and still open: settled when this one is
    judged. A later quarter's needs are not this review's to settle."""
    return list(
        session.exec(
            select(InformationNeed)
            .where(
                col(InformationNeed.review_id).in_(earlier_reviews(review)),
                InformationNeed.status == NeedStatus.OPEN,
            )
            .order_by(col(InformationNeed.due), col(InformationNeed.id))
        ).all()
    )


def owned_by(session: Session, user_id: str) -> list[tuple[InformationNeed, Team]]:
    return list(
        session.exec(
            select(InformationNeed, Team)
            .join(Team, col(Team.id) == InformationNeed.team_id)
            .where(
                InformationNeed.owner_user_id == user_id,
                InformationNeed.status == NeedStatus.OPEN,
            )
            .order_by(col(InformationNeed.due), col(InformationNeed.id))
        ).all()
    )


MAX_ANSWER = 3000
MAX_LINK = 500


def settle(
    session: Session,
    need_id: int,
    user_id: str,
    status: NeedStatus,
    answer: str,
    link: str | None = None,
    file: str | None = None,
    request_id: str | None = None,
    now: datetime | None = None,
) -> tuple[InformationNeed, bool]:
    """The owner, or a facilitator of the team, settles a need: done, with what was found,
    or dropped, with why; optionally a link to where the finding is, and a file's Slack
    permalink. False when it was settled already (a second submission, or someone else got
    there first): what they wrote then stands."""
    if status not in (NeedStatus.DONE, NeedStatus.DROPPED):
        raise QprError("A need is settled as done or dropped.")
    answer = printable(answer or "").strip()
    if not answer:
        raise QprError(
            "Say what was found out." if status == NeedStatus.DONE else "Say why it is dropped."
        )
    if len(answer) > MAX_ANSWER:
        raise QprError(f"That is {len(answer)} characters: {MAX_ANSWER} at most.")
    link = (link or "").strip() or None
    if link and (len(link) > MAX_LINK or not link.lower().startswith(("https://", "http://"))):
        raise QprError(f"A link starts https:// and is at most {MAX_LINK} characters.")
    need = settable(session, need_id, user_id, "settle that need")
    team = session.get_one(Team, need.team_id)
    changed = session.exec(
        sa.update(InformationNeed)
        .where(col(InformationNeed.id) == need_id, col(InformationNeed.status) == NeedStatus.OPEN)
        .values(
            status=status,
            closed_at=now or utcnow(),
            answer=answer,
            answer_link=link,
            answer_file=(file or None) and file[:MAX_LINK],
            settled_by=user_id,
        )
    ).rowcount
    session.refresh(need)
    if changed:
        record(
            session,
            user_id,
            f"need.{status}",
            team_id=team.id,
            review_id=need.review_id,
            request_id=request_id,
            need=need.id,
        )
    return need, bool(changed)


def settled_since(session: Session, review: Review) -> list[InformationNeed]:
    """Needs raised at the team's earlier reviews and settled since the last of them began:
    what the group asked last time, and what it found out (or why it let it go)."""
    previous = previous_review(session, review)
    if previous is None:
        return []
    return list(
        session.exec(
            select(InformationNeed)
            .where(
                col(InformationNeed.review_id).in_(earlier_reviews(review)),
                InformationNeed.status != NeedStatus.OPEN,
                col(InformationNeed.closed_at) >= previous.created_at,
            )
            .order_by(col(InformationNeed.closed_at), col(InformationNeed.id))
        ).all()
    )


def overdue_for_team(session: Session, team: Team, today: date) -> list[InformationNeed]:
    return [n for n in open_for_team(session, team) if n.due is not None and n.due < today]


def move_due(
    session: Session,
    need_id: int,
    user_id: str,
    due: date,
    now: datetime,
    request_id: str | None = None,
) -> InformationNeed:
    """A new due date, from its owner or a facilitator; its reminders follow the date."""
    need = settable(session, need_id, user_id, "move that need's date")
    today = local_date(now, session.get_one(Team, need.team_id).timezone)
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


def settable(session: Session, need_id: int, user_id: str, what: str) -> InformationNeed:
    """The need, if `user_id` may change it (its owner or a facilitator); else refused."""
    need = session.get(InformationNeed, need_id)
    if need is None:
        raise QprError("That information need no longer exists.")
    team = session.get_one(Team, need.team_id)
    if user_id != need.owner_user_id and user_id not in facilitators(session, team):
        # Named by role, not by person: the one asking may be of another team.
        raise QprError(f"Only its owner or a facilitator of its team can {what}.")
    return need


def new_data(session: Session, team: Team) -> list[NewData]:
    """Each open need; for one about an indicator, the latest figure loaded since it was
    raised."""
    found = []
    for need in open_for_team(session, team):
        if need.indicator_id is None:
            found.append(NewData(need, None, None))
            continue
        indicator = session.get_one(Indicator, need.indicator_id)
        latest = session.exec(
            select(sa.func.max(IndicatorValue.period_end)).where(
                IndicatorValue.team_id == team.id,
                IndicatorValue.indicator_id == need.indicator_id,
                IndicatorValue.loaded_at > need.created_at,
            )
        ).one()
        found.append(NewData(need, indicator.code, latest))
    return found
