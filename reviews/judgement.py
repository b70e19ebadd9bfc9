"""Step 4 of the QPR: how well the team is doing against each agreed outcome, what else it
needs to know, and what became of last time's needs. Recording it closes the review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from reviews import needs, outbox
from reviews.audit import record
from reviews.errors import THEN, QprError
from reviews.kinds import id_of
from reviews.needs import earlier_reviews
from reviews.outcomes import locked
from reviews.teams import require_facilitator
from reviews.text import printable
from reviews.then import keep_indicators_then
from storage import queries
from storage.models import (
    InformationNeed,
    Judgement,
    NeedStatus,
    Rating,
    Review,
    ReviewStage,
    Team,
    utcnow,
)

MAX_RATIONALE = 3000
MAX_NEED = 1000
JUDGING = (ReviewStage.EVIDENCE, ReviewStage.JUDGEMENT)


@dataclass(frozen=True)
class Rated:
    """A rating and its reasons, for one agreed outcome or (outcome None) overall."""

    outcome_id: int | None
    rating: Rating
    rationale: str = ""


@dataclass(frozen=True)
class NewNeed:
    text: str
    owner: str
    due: date
    outcome_id: int | None = None
    indicator_id: int | None = None
    field: str = ""  # what the request called it, to say which one is refused


def ready_to_judge(review: Review) -> None:
    if review.stage == ReviewStage.OUTCOMES:
        raise QprError(
            f"The outcomes of {review.period_label} are not agreed yet: agree them first "
            f"({THEN}), then look at the evidence, then judge.",
            then="agree",
        )
    if review.stage == ReviewStage.CLOSED:
        raise QprError(
            f"The review of {review.period_label} is closed: {THEN} shows its record.",
            then="report",
        )


def ratings(session: Session, review: Review) -> dict[int | None, Judgement]:
    """What is recorded so far, by outcome (None for the overall judgement)."""
    found = session.exec(select(Judgement).where(Judgement.review_id == review.id)).all()
    return {j.outcome_id: j for j in found}


def save_ratings(
    session: Session,
    review: Review,
    user_id: str,
    rated: list[Rated],
    request_id: str | None = None,
) -> None:
    """Keep the ratings of one page of a long form; the review is then being judged. They
    are part of the record only once the whole judgement is recorded."""
    team = session.get_one(Team, review.team_id)
    require_facilitator(session, team, user_id, "record the judgement")
    # Held until commit: a draft page cannot land in a review closed at the same moment.
    locked(session, review)
    ready_to_judge(review)
    _upsert(session, review, user_id, rated)
    session.execute(
        sa.update(Review)
        .where(col(Review.id) == review.id, col(Review.stage) == ReviewStage.EVIDENCE)
        .values(stage=ReviewStage.JUDGEMENT)
    )
    record(
        session,
        user_id,
        "judgement.draft",
        team_id=team.id,
        review_id=review.id,
        request_id=request_id,
        outcomes=[r.outcome_id for r in rated],
    )


def _upsert(session: Session, review: Review, user_id: str, rated: list[Rated]) -> None:
    agreed = {o.id for o, _ in queries.agreed_outcomes(session, id_of(review))}
    existing = ratings(session, review)
    for item in rated:
        if item.outcome_id is not None and item.outcome_id not in agreed:
            raise QprError("An outcome in the form is no longer agreed: open the form again.")
        rationale = printable(item.rationale).strip()
        if len(rationale) > MAX_RATIONALE:
            raise QprError(f"A rationale can be at most {MAX_RATIONALE} characters.")
        judgement = existing.get(item.outcome_id) or Judgement(
            review_id=id_of(review),
            outcome_id=item.outcome_id,
            rating=item.rating,
            recorded_by=user_id,
        )
        judgement.rating = Rating(item.rating)
        judgement.rationale = rationale
        judgement.recorded_by = user_id
        judgement.recorded_at = utcnow()
        session.add(judgement)
    session.flush()


@dataclass(frozen=True)
class Settling:
    """What the judgement form says of one of last time's needs."""

    status: NeedStatus  # OPEN: it stays open
    answer: str | None = None  # what was found, or why it is dropped


def record_judgement(
    session: Session,
    review: Review,
    user_id: str,
    rated: list[Rated],
    needs: list[NewNeed],
    earlier: dict[int, Settling],
    request_id: str | None = None,
    now: datetime | None = None,
    fy_start_month: int = 4,
) -> list[InformationNeed]:
    """Record the judgement, raise the new information needs, settle last time's, and close
    the review; keep each outcome's linked indicators as they read now. Done once, however
    many forms are submitted at once."""
    team = session.get_one(Team, review.team_id)
    require_facilitator(session, team, user_id, "record the judgement")
    ready_to_judge(review)
    now = now or utcnow()
    closed = session.exec(
        sa.update(Review)
        .where(col(Review.id) == review.id, col(Review.stage).in_(JUDGING))
        .values(stage=ReviewStage.CLOSED, closed_at=now)
    ).rowcount
    if closed != 1:
        raise QprError(f"The judgement of {review.period_label} is already recorded.")
    _upsert(session, review, user_id, rated)
    recorded = ratings(session, review)
    missing = [
        o for o, _ in queries.agreed_outcomes(session, id_of(review)) if o.id not in recorded
    ]
    if missing:
        raise QprError(
            "1 agreed outcome has no rating yet."
            if len(missing) == 1
            else f"{len(missing)} agreed outcomes have no rating yet."
        )
    if None not in recorded:
        raise QprError("Give an overall judgement as well.")
    raised = []
    for need in needs:
        raised.append(_raise(session, review, need, now))
    settled = _settle(session, team, review, earlier, user_id, now)
    session.flush()
    keep_indicators_then(session, review, fy_start_month, now)
    session.refresh(review)
    record(
        session,
        user_id,
        "review.judge",
        team_id=team.id,
        review_id=review.id,
        request_id=request_id,
        ratings={str(k): str(v.rating) for k, v in recorded.items()},
        needs=[n.id for n in raised],
        settled=settled,
    )
    # The record of the review is owed to its thread with the judgement itself.
    outbox.owe(session, outbox.RECORD, id_of(review), user_id)
    return raised


def _raise(session: Session, review: Review, need: NewNeed, now: datetime) -> InformationNeed:
    """A new need, about one of this review's agreed outcomes (or none) and a known
    indicator (or none): an id from elsewhere is refused, not stored."""
    if need.outcome_id is not None and need.outcome_id not in {
        o.id for o, _ in queries.agreed_outcomes(session, id_of(review))
    }:
        raise QprError("A need's outcome is not one this review agreed: open the form again.")
    if need.indicator_id is not None and need.indicator_id not in {
        i.id for i in queries.team_indicators(session, review.team_id)
    }:
        raise QprError("A need's indicator is not one of this team's: open the form again.")
    text = printable(need.text).strip()
    if not text:
        raise QprError("An information need needs some words.")
    if len(text) > MAX_NEED:
        raise QprError(f"An information need can be at most {MAX_NEED} characters.")
    found = InformationNeed(
        team_id=review.team_id,
        review_id=id_of(review),
        outcome_id=need.outcome_id,
        indicator_id=need.indicator_id,
        text=text,
        owner_user_id=need.owner,
        due=need.due,
        status=NeedStatus.OPEN,
        created_at=now,
    )
    session.add(found)
    session.flush()
    return found


def _settle(
    session: Session,
    team: Team,
    review: Review,
    earlier: dict[int, Settling],
    user_id: str,
    now: datetime,
) -> dict[str, str]:
    """Mark earlier needs done or dropped, with what was found or why; a need already
    settled elsewhere is left alone."""
    settled = {}
    mine = set(
        session.exec(
            select(InformationNeed.id).where(
                InformationNeed.team_id == team.id,
                col(InformationNeed.review_id).in_(earlier_reviews(review)),
            )
        ).all()
    )
    for need_id, settling in earlier.items():
        if settling.status == NeedStatus.OPEN:
            continue
        if need_id not in mine:
            raise QprError("A need in the form is not one of this team's: open the form again.")
        # The one way a need is settled, whichever form says so: checked and audited alike.
        _, changed = needs.settle(
            session, need_id, user_id, settling.status, settling.answer or "", now=now
        )
        if changed:
            settled[str(need_id)] = str(settling.status)
    return settled


def close_review(
    session: Session, review: Review, user_id: str, request_id: str | None = None
) -> bool:
    """Close a review without recording a judgement (or with one saved but not finished).
    False when it was closed already."""
    team = session.get_one(Team, review.team_id)
    require_facilitator(session, team, user_id, "close a review")
    closed = session.exec(
        sa.update(Review)
        .where(col(Review.id) == review.id, col(Review.stage) != ReviewStage.CLOSED)
        .values(stage=ReviewStage.CLOSED, closed_at=utcnow())
    ).rowcount
    if closed != 1:
        return False
    session.refresh(review)
    record(
        session,
        user_id,
        "review.close",
        team_id=team.id,
        review_id=review.id,
        request_id=request_id,
        judged=bool(ratings(session, review)),
    )
    # The note in its thread that it closed without a judgement, owed with the closing.
    outbox.owe(session, outbox.CLOSED, id_of(review), user_id)
    return True
