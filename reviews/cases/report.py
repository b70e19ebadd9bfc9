"""The record of a review, as a report is made of it."""

from __future__ import annotations

from reviews import outcomes
from reviews.cases.context import Asker, Context, team_here
from reviews.kinds import Review
from reviews.periods import Period
from reviews.record import ReviewRecord, review_record


def record_of(ctx: Context, asker: Asker, period: Period | None) -> tuple[Review, ReviewRecord]:
    """The place's team's review of `period` (else its latest), and its record."""
    with ctx.reading() as session:
        review = outcomes.review_of(session, team_here(session, asker), period)
        return review, review_record(session, review)
