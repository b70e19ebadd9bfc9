"""The evidence for a review: what goes up in its thread once the outcomes are agreed (and
again when asked), and one outcome's evidence in full."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reviews import history, needs, outcomes, teams
from reviews.as_of import figures_as_of
from reviews.cases.context import Asker, Context, review_here, team_here
from reviews.errors import NoOpenReview
from reviews.evidence import build_evidence
from reviews.evidence.model import Evidence
from reviews.kinds import Review, id_of
from reviews.periods import period_of


def to_post(ctx: Context, asker: Asker) -> Review:
    """The place's open review, once its thread is there to post the evidence in."""
    with ctx.reading() as session:
        review = outcomes.open_review(session, team_here(session, asker))
        if review is None or not review.slack_thread_ts or outcomes.posting(review.slack_thread_ts):
            raise NoOpenReview()
        return review


@dataclass(frozen=True)
class ThreadEvidence:
    review: Review
    evidence: Evidence
    followups: list[needs.NewData]  # each open need, with what has come in since
    since: dict[int, history.OutcomeStory]  # an agreed outcome's story so far, by its id


def for_thread(ctx: Context, review_id: int, today: date | None = None) -> ThreadEvidence:
    """What the review's thread is given: the evidence as of `today`, the team's open
    needs with what has come in since, and how each agreed outcome has gone before."""
    with ctx.reading() as session:
        review = outcomes.review_by_id(session, review_id)
        team = teams.team_by_id(session, review.team_id) if review is not None else None
        if review is None or team is None:
            raise NoOpenReview()
        as_of = figures_as_of(review, today or date.today())
        evidence = build_evidence(session, team.name, period_of(review), as_of, ctx.fy_start_month)
        since = {
            id_of(o): story
            for o in outcomes.agreed(session, review)
            if (story := history.story_before(session, o)) is not None
        }
        return ThreadEvidence(review, evidence, needs.new_data(session, team), since)


def detail(ctx: Context, asker: Asker, review_id: int) -> Evidence:
    """A review's evidence as the database holds it now, for the place's own team only
    (asked in its channel: not from a direct message or a form, which carry no team)."""
    if asker.direct or not asker.place:
        raise NoOpenReview()
    with ctx.reading() as session:
        team, review = review_here(session, asker, review_id)
        as_of = figures_as_of(review, date.today())
        return build_evidence(session, team.name, period_of(review), as_of, ctx.fy_start_month)
