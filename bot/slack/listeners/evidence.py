"""`/qpr evidence`: the evidence posted again in the review's thread (it goes up by itself
once the outcomes are agreed); and the buttons under it that show an outcome's evidence,
or every indicator, in full."""

from __future__ import annotations

from bot.slack.blocks.evidence import detail_view
from bot.slack.calls import open_form, tell
from bot.slack.deps import Deps, Invocation, asker
from bot.slack.mrkdwn import refusal
from bot.slack.posts import post_evidence
from reviews.cases import evidence
from reviews.errors import QprError
from reviews.kinds import id_of


def evidence_command(call: Invocation) -> None:
    review = evidence.to_post(call.deps.ctx, call.asker)
    problem = post_evidence(call.deps, call.client, id_of(review), call.user)
    call.respond(problem or f"The evidence for {review.period_label} is in the review thread.")


def open_detail(deps: Deps):
    """A read-only form with the evidence in full, built fresh: what it shows is what the
    database holds now, not what it held when the summary was posted. Only a review of the
    channel's own team is shown there."""

    def on_click(ack, body, client):
        ack()
        channel, user = body["channel"]["id"], body["user"]["id"]
        try:
            view = _detail(deps, channel, user, body["actions"][0].get("value", ""))
        except QprError as refused:
            view = refusal(refused)
        if isinstance(view, str):
            tell(client, channel, user, view)
            return
        problem = open_form(client, body["trigger_id"], view)
        if problem:
            tell(client, channel, user, problem)

    return on_click


def _detail(deps: Deps, channel: str, user: str, value: str) -> dict | str:
    """The form for a button's value (`review:outcome`, outcome 0 for every indicator), or
    what to say instead."""
    review_id, _, which = value.partition(":")
    if not (review_id.isdigit() and which.isdigit()):
        return "That button is not one of this bot's: nothing was shown."
    found = evidence.detail(deps.ctx, asker(user, channel), int(review_id))
    view = detail_view(found, int(which))
    return view or "That outcome is no longer agreed: `/qpr outcomes` lists the agreed ones."
