"""Step 4: the judgement (how well the team is doing against each agreed outcome, what
else it needs to know, what became of last time's needs), on one page or several; and
closing a review without one. Recording it or closing owes a post to the review's thread."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session

from reviews import judgement, needs, outcomes, teams
from reviews.as_of import figures_as_of
from reviews.calendar import local_date
from reviews.cases.context import Asker, Context, review_here
from reviews.errors import Invalid, NoOpenReview
from reviews.evidence import build_evidence
from reviews.judgement import NewNeed, Rated, Settling
from reviews.kinds import (
    Indicator,
    InformationNeed,
    Judgement,
    OutcomeStatement,
    Review,
    Team,
    id_of,
)
from reviews.periods import period_of, quarter_containing

PER_PAGE = 6  # outcomes a page: each takes a rating and its reasons


@dataclass(frozen=True)
class JudgeForm:
    """Everything the form shows, read from the store when it opens."""

    review_id: int
    period_label: str
    outcomes: list[OutcomeStatement]
    saved: dict[int | None, Judgement]
    gaps: list[OutcomeStatement]  # agreed outcomes with no evidence to go on
    earlier: list[InformationNeed]  # last time's needs, still open
    indicators: list[Indicator]  # what a new need may be about
    due: date  # offered as every new need's due date: the end of the next quarter
    page: int = 0

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.outcomes) // PER_PAGE))


def judge_form(ctx: Context, asker: Asker, review_id: int | None = None) -> JudgeForm:
    with ctx.reading() as session:
        team, review = review_here(session, asker, review_id)
        teams.require_facilitator(session, team, asker.user, "record the judgement")
        judgement.ready_to_judge(review)
        return _form(ctx, session, team, review)


def judge(
    ctx: Context,
    asker: Asker,
    review_id: int,
    page: int,
    rated: list[Rated],
    new_needs: list[NewNeed],
    earlier: dict[int, Settling],
    unread: dict[str, str] | None = None,
) -> JudgeForm | None:
    """One page of the form submitted: before the last, its ratings kept as a draft and the
    next page returned; the last records the whole judgement and closes the review (the
    record is owed to its thread), and returns None. `unread`: the fields the front end
    could not read, by name, refused together with any this finds (a date passed)."""
    # Another facilitator may save the same page at the same moment.
    with ctx.changing("Someone saved this form at the same moment: submit it again.") as session:
        review = outcomes.review_by_id(session, review_id)
        team = teams.team_by_id(session, review.team_id) if review is not None else None
        if review is None or team is None:
            raise NoOpenReview()
        pages = -(-len(outcomes.agreed(session, review)) // PER_PAGE)
        if page < pages - 1 and unread:
            raise Invalid(unread)
        if page < pages - 1:  # from the form's own page, not from what came back
            judgement.save_ratings(session, review, asker.user, rated, asker.request_id)
            return _form(ctx, session, team, review, page + 1)
        today = local_date(datetime.now(UTC), team.timezone)
        passed = {f"{n.field}_due": "That date has passed." for n in new_needs if n.due < today}
        if unread or passed:
            raise Invalid((unread or {}) | passed)
        judgement.record_judgement(
            session,
            review,
            asker.user,
            rated,
            new_needs,
            earlier,
            request_id=asker.request_id,
            fy_start_month=ctx.fy_start_month,
        )
        return None


@dataclass(frozen=True)
class Closing:
    review: Review
    drafted: int  # outcomes rated on the form's first pages
    agreed: int


def closing(ctx: Context, asker: Asker) -> Closing:
    """What closing the place's open review would leave: asked before it is done."""
    with ctx.reading() as session:
        team, review = review_here(session, asker)
        teams.require_facilitator(session, team, asker.user, "close a review")
        drafted = sum(1 for k in judgement.ratings(session, review) if k is not None)
        return Closing(review, drafted, len(outcomes.agreed(session, review)))


def close(ctx: Context, asker: Asker, review_id: int) -> tuple[Review, bool]:
    """Close the review without a judgement; False when it was closed already. The note
    that it closed so is owed to its thread."""
    with ctx.changing() as session:
        review = outcomes.review_by_id(session, review_id)
        if review is None or review.slack_channel_id != asker.place:
            raise NoOpenReview()
        closed = judgement.close_review(session, review, asker.user, asker.request_id)
        return review, closed


def _form(ctx: Context, session: Session, team: Team, review: Review, page: int = 0) -> JudgeForm:
    agreed = outcomes.agreed(session, review)
    as_of = figures_as_of(review, date.today())
    evidence = build_evidence(session, team.name, period_of(review), as_of, ctx.fy_start_month)
    gap_ids = {g.outcome_id for g in evidence.gaps}
    following = quarter_containing(review.period_end + timedelta(days=1), ctx.fy_start_month)
    return JudgeForm(
        review_id=id_of(review),
        period_label=review.period_label,
        outcomes=agreed,
        saved=judgement.ratings(session, review),
        gaps=[o for o in agreed if o.id in gap_ids],
        earlier=needs.earlier_open(session, review),
        indicators=outcomes.team_evidence(session, id_of(team))[0],
        due=following.end,
        page=page,
    )
