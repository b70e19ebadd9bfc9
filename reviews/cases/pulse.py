"""The two questions after a review, as a person answers them (from the record in its
thread), and its results as the reports, the App Home and the overview show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session

from reviews import pulse
from reviews.calendar import local_date
from reviews.cases.context import Asker, Context, review_here
from reviews.kinds import Review
from storage.models import PulseTaken


@dataclass(frozen=True)
class Answered:
    review: Review
    question: int
    unanswered: list[int]  # the questions this person may still answer
    may_comment: bool  # and whether they have yet to comment


def answer(
    ctx: Context,
    asker: Asker,
    review_id: int,
    question: int,
    score: int,
    today: date | None = None,
) -> Answered:
    """Keep an answer without who gave it (no audit entry either: it would link the two);
    refused politely for someone who did not take part or has answered already."""
    with ctx.changing("Your answer came twice at once: it was counted once.") as session:
        team, review = review_here(session, asker, review_id)
        day = today or local_date(datetime.now(UTC), team.timezone)
        pulse.answer(session, review, asker.user, question, score, day)
        return Answered(review, question, *_left(session, review, asker.user))


def _left(session: Session, review: Review, user: str) -> tuple[list[int], bool]:
    taken = {
        q
        for q in [*pulse.QUESTIONS, pulse.COMMENT]
        if session.get(PulseTaken, (review.id, user, q)) is not None
    }
    return [q for q in pulse.QUESTIONS if q not in taken], pulse.COMMENT not in taken


def commenting(ctx: Context, asker: Asker, review_id: int) -> Review:
    """The review whose comment form may open for this person."""
    with ctx.reading() as session:
        _, review = review_here(session, asker, review_id)
        pulse.may_comment(session, review, asker.user)
        return review


def comment(ctx: Context, asker: Asker, review_id: int, text: str) -> Review:
    with ctx.changing("Your comment came twice at once: it was kept once.") as session:
        _, review = review_here(session, asker, review_id)
        pulse.comment(session, review, asker.user, text)
        return review
