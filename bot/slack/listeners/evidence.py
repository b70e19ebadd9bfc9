"""`/qpr evidence`: the evidence posted again in the review's thread (it goes up by itself
once the outcomes are agreed); and the buttons under it that show an outcome's evidence,
or every indicator, in full."""

from __future__ import annotations

from datetime import date

from bot.slack.blocks.evidence import detail_view
from bot.slack.calls import open_form, tell
from bot.slack.deps import Deps, Invocation
from bot.slack.posts import post_evidence
from reviews import outcomes, teams
from reviews.errors import NoOpenReview
from reviews.evidence import build_evidence
from storage.models import Review, Team
from storage.periods import Period


def evidence_command(call: Invocation) -> None:
    with call.deps.factory() as session:
        team = teams.team_for_channel(session, call.channel)
        review = outcomes.open_review(session, team)
        if review is None or not review.slack_thread_ts or outcomes.posting(review.slack_thread_ts):
            raise NoOpenReview()
        review_id, label = review.id, review.period_label
    problem = post_evidence(call.deps, call.client, review_id, call.user)
    call.respond(problem or f"The evidence for {label} is in the review thread.")


def open_detail(deps: Deps):
    """A read-only form with the evidence in full, built fresh: what it shows is what the
    database holds now, not what it held when the summary was posted."""

    def on_click(ack, body, client):
        ack()
        channel, user = body["channel"]["id"], body["user"]["id"]
        action = body["actions"][0]
        chosen = action.get("selected_option") or {}
        review_id, _, which = (chosen.get("value") or action.get("value", "")).partition(":")
        with deps.factory() as session:
            review = session.get(Review, int(review_id))
            if review is None:
                tell(client, channel, user, str(NoOpenReview()))
                return
            team = session.get(Team, review.team_id)
            period = Period(review.period_start, review.period_end, review.period_label)
            evidence = build_evidence(
                session, team.name, period, date.today(), deps.settings.fy_start_month
            )
        index = int(which or 0)
        if index > len(evidence.outcomes):
            tell(client, channel, user, "That outcome is no longer agreed: `/qpr outcomes`.")
            return
        problem = open_form(client, body["trigger_id"], detail_view(evidence, index))
        if problem:
            tell(client, channel, user, problem)

    return on_click
