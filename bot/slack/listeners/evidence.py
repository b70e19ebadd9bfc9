"""`/qpr evidence`: the evidence posted again in the review's thread (it goes up by itself
once the outcomes are agreed)."""

from __future__ import annotations

from bot.slack.deps import Invocation
from bot.slack.posts import post_evidence
from reviews import outcomes, teams
from reviews.errors import NoOpenReview


def evidence_command(call: Invocation) -> None:
    with call.deps.factory() as session:
        team = teams.team_for_channel(session, call.channel)
        review = outcomes.open_review(session, team)
        if review is None or not review.slack_thread_ts or outcomes.posting(review.slack_thread_ts):
            raise NoOpenReview()
        review_id, label = review.id, review.period_label
    problem = post_evidence(call.deps, call.client, review_id, call.user)
    call.respond(problem or f"The evidence for {label} is in the review thread.")
