"""The record of one review, as the group left it: the outcome statements with who proposed
and supported them, the judgements with their reasons, the needs raised, and what became of
earlier needs: those open when the review began, and those settled since the last one began
(what was found, or why it was dropped)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from reviews.history import OutcomeStory, story_before
from reviews.judgement import ratings
from reviews.kinds import id_of
from reviews.needs import settled_since
from reviews.teams import facilitators
from storage import queries
from storage.models import (
    Indicator,
    InformationNeed,
    OutcomeStatement,
    OutcomeSupport,
    Review,
    Team,
)


@dataclass(frozen=True)
class OutcomeRecord:
    id: int
    text: str
    proposer: str | None  # a Slack user id; None when anonymous or carried over by the bot
    anonymous: bool
    supporters: list[str]
    carried_from: str | None  # the period it was agreed in before
    indicator_codes: list[str]
    rating: str | None
    rationale: str
    # Carried over: each earlier quarter's judgement, and its needs with what they found.
    before: OutcomeStory | None = None


@dataclass(frozen=True)
class NeedRecord:
    id: int
    text: str
    owner: str | None
    due: date | None
    status: str
    outcome: str | None
    indicator_code: str | None
    raised_in: str  # the period of the review that raised it
    closed_at: datetime | None
    answer: str | None = None  # what was found (done), or why it was dropped
    answer_link: str | None = None
    answer_file: str | None = None


@dataclass(frozen=True)
class ReviewRecord:
    team: str
    period_label: str
    period_start: date
    period_end: date
    meeting_date: date | None
    stage: str
    closed_at: datetime | None
    facilitators: list[str]
    outcomes: list[OutcomeRecord]
    overall_rating: str | None
    overall_rationale: str
    judged_by: str | None
    needs: list[NeedRecord]
    earlier_needs: list[NeedRecord] = field(default_factory=list)

    @property
    def numbers(self) -> dict[str, int]:
        """Each agreed statement's number in the record, by its text."""
        return {o.text: i for i, o in enumerate(self.outcomes, start=1)}

    @property
    def judged(self) -> bool:
        """Recorded in full: ratings saved from the pages of an unfinished form are drafts."""
        return self.overall_rating is not None


def review_record(session: Session, review: Review) -> ReviewRecord:
    team = session.get_one(Team, review.team_id)
    judged = ratings(session, review)
    codes = dict(session.execute(select(Indicator.id, Indicator.code)).all())
    labels = dict(
        session.execute(
            select(Review.id, Review.period_label).where(Review.team_id == team.id)
        ).all()
    )
    outcomes = []
    agreed = queries.agreed_outcomes(session, id_of(review))
    support = _supporters(session, [id_of(o) for o, _ in agreed])
    for outcome, linked in agreed:
        outcome_id = id_of(outcome)
        judgement = judged.get(outcome_id)
        carried = (
            session.get(OutcomeStatement, outcome.carried_from_id)
            if outcome.carried_from_id
            else None
        )
        outcomes.append(
            OutcomeRecord(
                id=outcome_id,
                text=outcome.text,
                proposer=outcome.proposer_user_id,
                anonymous=outcome.anonymous,
                supporters=support.get(outcome_id, []),
                carried_from=labels.get(carried.review_id) if carried else None,
                indicator_codes=sorted(codes[i] for i in linked if i in codes),
                rating=str(judgement.rating) if judgement else None,
                rationale=judgement.rationale if judgement else "",
                before=story_before(session, outcome),
            )
        )
    texts = {o.id: o.text for o in outcomes}
    overall = judged.get(None)

    def need_record(need: InformationNeed) -> NeedRecord:
        outcome_text = None
        if need.outcome_id is not None:
            outcome_text = texts.get(need.outcome_id)
            if outcome_text is None:
                earlier = session.get(OutcomeStatement, need.outcome_id)
                outcome_text = earlier.text if earlier else None
        return NeedRecord(
            id=id_of(need),
            text=need.text,
            owner=need.owner_user_id,
            due=need.due,
            status=str(need.status),
            outcome=outcome_text,
            indicator_code=codes.get(need.indicator_id),
            raised_in=labels.get(need.review_id, ""),
            closed_at=need.closed_at,
            answer=need.answer,
            answer_link=need.answer_link,
            answer_file=need.answer_file,
        )

    team_needs = session.exec(
        select(InformationNeed)
        .where(InformationNeed.team_id == team.id)
        .order_by(col(InformationNeed.due), col(InformationNeed.id))
    ).all()
    raised = [need_record(n) for n in team_needs if n.review_id == review.id]
    # Raised at reviews of earlier quarters, and open when this review began: the ones it
    # had to settle (the same ones its judgement form offers).
    before = {
        r
        for r, end in session.execute(
            select(col(Review.id), col(Review.period_end)).where(Review.team_id == team.id)
        )
        if end < review.period_end
    }
    # And those settled since the last review began: what the group found out.
    answered = {n.id for n in settled_since(session, review)}
    earlier = [
        need_record(n)
        for n in team_needs
        if n.id in answered
        or (n.review_id in before and (n.closed_at is None or n.closed_at >= review.created_at))
    ]
    return ReviewRecord(
        team=team.name,
        period_label=review.period_label,
        period_start=review.period_start,
        period_end=review.period_end,
        meeting_date=review.meeting_date,
        stage=str(review.stage),
        closed_at=review.closed_at,
        facilitators=facilitators(session, team),
        outcomes=outcomes,
        overall_rating=str(overall.rating) if overall else None,
        overall_rationale=overall.rationale if overall else "",
        judged_by=overall.recorded_by if overall else None,
        needs=raised,
        earlier_needs=earlier,
    )


def _supporters(session: Session, outcome_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if outcome_ids:
        for outcome_id, user in session.execute(
            select(OutcomeSupport.outcome_id, OutcomeSupport.slack_user_id)
            .where(col(OutcomeSupport.outcome_id).in_(outcome_ids))
            .order_by(col(OutcomeSupport.added_at))
        ):
            found.setdefault(outcome_id, []).append(user)
    return found
