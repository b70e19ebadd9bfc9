"""Was it worth it? Two questions asked of everyone who took part in a review, once it is
recorded, each on a five-point scale, with a comment for those who want to say more.

Answers are anonymous: an answer is kept with its review, its question, its score and its
day, under a random id, and nothing else; that a person has answered is kept apart, with
no answer, time or order, so that each answers once. Results are shown only once at least
5 people have answered a question, as counts on the scale under the disclosure policy and
the share agreeing; comments only once at least 5 have been given, never with a date."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col, select

from reviews.errors import QprError
from reviews.evidence.disclosure import THRESHOLD, Cell, protect_column, share, suppress
from reviews.kinds import id_of
from reviews.people import stands_in
from storage.models import (
    Facilitator,
    InformationNeed,
    Judgement,
    OutcomeStatement,
    OutcomeSupport,
    PulseAnswer,
    PulseComment,
    PulseTaken,
    Review,
    ReviewStage,
)

QUESTIONS = {
    1: "Did this review help you see how your work makes a difference to the people we serve?",
    2: "Was it worth the time it took?",
}
SHORT = {1: "It helped me see the difference our work makes", 2: "It was worth the time"}
SCALE = {
    1: "strongly disagree",
    2: "disagree",
    3: "neither agree nor disagree",
    4: "agree",
    5: "strongly agree",
}
COMMENT = 0  # the "question" under which PulseTaken keeps that a comment was given
COMMENT_LENGTH = 1000
HISTORY = 4  # reviews shown across quarters


def participants(session: Session, review: Review) -> set[str]:
    """Who took part: proposed or supported a statement (an anonymous proposer cannot be
    known), facilitated, recorded the judgement, or owns a need it raised."""
    review_id = id_of(review)
    statements = select(OutcomeStatement.id).where(OutcomeStatement.review_id == review_id)
    found: set[str | None] = {review.facilitator_user_id}
    for asked in (
        select(OutcomeStatement.proposer_user_id).where(OutcomeStatement.review_id == review_id),
        select(InformationNeed.owner_user_id).where(InformationNeed.review_id == review_id),
    ):
        found |= set(session.exec(asked).all())
    for named in (
        select(OutcomeSupport.slack_user_id).where(col(OutcomeSupport.outcome_id).in_(statements)),
        select(Judgement.recorded_by).where(Judgement.review_id == review_id),
        select(Facilitator.slack_user_id).where(Facilitator.team_id == review.team_id),
    ):
        found |= set(session.exec(named).all())
    return {u for u in found if u and not stands_in(u)}


def is_open(session: Session, review: Review) -> bool:
    """Whether the pulse is asked: once the review's judgement is recorded (a review closed
    without one has no record to ask about)."""
    if review.stage != ReviewStage.CLOSED:
        return False
    overall = select(Judgement.id).where(
        Judgement.review_id == id_of(review), col(Judgement.outcome_id).is_(None)
    )
    return session.exec(overall).first() is not None


def _check(session: Session, review: Review, user: str, question: int) -> None:
    if not is_open(session, review):
        raise QprError(
            f"The review of {review.period_label} has no recorded judgement yet: the two "
            "questions come with its record."
        )
    if user not in participants(session, review):
        raise QprError(
            f"These questions are for the people who took part in the review of "
            f"{review.period_label}; as you did not, your answer is not counted. Thank you "
            "all the same."
        )
    taken = session.get(PulseTaken, (id_of(review), user, question))
    if taken is not None:
        what = "commented" if question == COMMENT else "answered that question"
        raise QprError(
            f"You have already {what} for the review of {review.period_label}: each person "
            "answers once, and answers are kept without names, so it cannot be changed."
        )


def answer(
    session: Session, review: Review, user: str, question: int, score: int, today: date
) -> None:
    """Keep one answer, apart from who gave it; refused for someone who did not take part,
    or who has answered this question already."""
    if question not in QUESTIONS or score not in SCALE:
        raise QprError("That is not one of the answers.")
    _check(session, review, user, question)
    session.add(PulseTaken(review_id=id_of(review), slack_user_id=user, question=question))
    session.add(
        PulseAnswer(
            id=secrets.token_hex(16),
            review_id=id_of(review),
            question=question,
            score=score,
            answered_on=today,
        )
    )


def may_comment(session: Session, review: Review, user: str) -> None:
    """Refused unless the person took part and has not commented yet."""
    _check(session, review, user, COMMENT)


def comment(session: Session, review: Review, user: str, text: str) -> None:
    text = " ".join(text.split())
    if not text:
        raise QprError("The comment is empty.")
    _check(session, review, user, COMMENT)
    session.add(PulseTaken(review_id=id_of(review), slack_user_id=user, question=COMMENT))
    session.add(
        PulseComment(id=secrets.token_hex(16), review_id=id_of(review), text=text[:COMMENT_LENGTH])
    )


@dataclass(frozen=True)
class QuestionResult:
    question: int
    answered: int
    shown: bool  # at least THRESHOLD answered: the counts below may be shown
    counts: dict[int, Cell] = field(default_factory=dict)  # by score, under the policy
    agreeing: float | None = None  # share answering 4 or 5, where it gives nothing away

    @property
    def answered_cell(self) -> Cell:
        return suppress(self.answered)


@dataclass(frozen=True)
class PulseResult:
    review_id: int
    period_label: str
    questions: list[QuestionResult]
    comments: list[str]  # empty unless at least THRESHOLD were given

    @property
    def anything_shown(self) -> bool:
        return any(q.shown for q in self.questions)


def result(session: Session, review: Review) -> PulseResult:
    """The pulse of one review as it may be shown: nothing of a question fewer than 5
    answered; counts on the scale with small ones kept back; comments once 5 were given."""
    review_id = id_of(review)
    rows = session.exec(
        select(PulseAnswer.question, PulseAnswer.score, sa.func.count())
        .where(PulseAnswer.review_id == review_id)
        .group_by(col(PulseAnswer.question), col(PulseAnswer.score))
    ).all()
    by_question: dict[int, dict[int, int]] = {q: dict.fromkeys(SCALE, 0) for q in QUESTIONS}
    for question, score, n in rows:
        by_question[question][score] = n
    questions = []
    for question, counts in by_question.items():
        total = sum(counts.values())
        if total < THRESHOLD:
            questions.append(QuestionResult(question, total, False))
            continue
        cells, _ = protect_column({str(s): n for s, n in counts.items()}, total)
        agreeing = share(counts[4] + counts[5], total)
        shown = {int(s): c for s, c in cells.items()}
        questions.append(QuestionResult(question, total, True, shown, agreeing))
    comments = list(
        session.exec(
            select(PulseComment.text)
            .where(PulseComment.review_id == review_id)
            .order_by(col(PulseComment.id))  # random: no order of arrival
        ).all()
    )
    return PulseResult(
        review_id,
        review.period_label,
        questions,
        comments if len(comments) >= THRESHOLD else [],
    )


def history(session: Session, review: Review) -> list[PulseResult]:
    """The pulse of the team's last reviews up to this one, oldest first."""
    earlier = session.exec(
        select(Review)
        .where(Review.team_id == review.team_id, Review.period_end <= review.period_end)
        .order_by(col(Review.period_end).desc())
        .limit(HISTORY)
    ).all()
    return [result(session, r) for r in reversed(earlier) if is_open(session, r)]


def latest(session: Session, team_id: int, until: date | None = None) -> PulseResult | None:
    """The pulse of the team's latest review whose judgement is recorded (up to the
    quarter ending `until`), or None."""
    query = select(Review).where(Review.team_id == team_id, Review.stage == ReviewStage.CLOSED)
    if until is not None:
        query = query.where(Review.period_end <= until)
    for review in session.exec(query.order_by(col(Review.period_end).desc())):
        if is_open(session, review):
            return result(session, review)
    return None
