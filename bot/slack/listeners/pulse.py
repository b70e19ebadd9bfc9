"""The two questions under a review's record: a click keeps an answer (through the inbox,
as every change does) and thanks the person privately; *Add a comment* opens a form."""

from __future__ import annotations

from bot.slack.blocks.pulse import comment_form, thanks
from bot.slack.calls import open_form
from bot.slack.deps import Deps, asker
from bot.slack.mrkdwn import form_error, refusal
from reviews.cases import pulse
from reviews.errors import QprError


def answered(deps: Deps, body, client, respond) -> None:
    """A point of the scale clicked (kept by the inbox, then worked here)."""
    review_id, question, score = (int(p) for p in body["actions"][0]["value"].split(":"))
    channel = (body.get("channel") or {}).get("id")
    who = asker(body["user"]["id"], channel, body.get("trigger_id"))
    try:
        done = pulse.answer(deps.ctx, who, review_id, question, score)
    except QprError as refused:
        respond(replace_original=False, response_type="ephemeral", text=refusal(refused))
        return
    respond(
        replace_original=False,
        response_type="ephemeral",
        **thanks(done.unanswered, done.may_comment, review_id),
    )


def open_comment(deps: Deps):
    """*Add a comment*: its form (opened within 3 seconds of the click, before the ack)."""

    def on_click(ack, body, client, respond):
        ack()
        review_id = int(body["actions"][0]["value"])
        channel = (body.get("channel") or {}).get("id")
        try:
            review = pulse.commenting(deps.ctx, asker(body["user"]["id"], channel), review_id)
            message = open_form(
                client, body["trigger_id"], comment_form(review_id, review.period_label)
            )
        except QprError as refused:
            message = refusal(refused)
        if message:
            respond(replace_original=False, response_type="ephemeral", text=message)

    return on_click


def submit_comment(deps: Deps):
    def on_submit(ack, body, view):
        text = view["state"]["values"]["comment"]["comment"].get("value") or ""
        try:
            pulse.comment(
                deps.ctx, asker(body["user"]["id"], None), int(view["private_metadata"]), text
            )
        except QprError as refused:
            ack(response_action="errors", errors={"comment": form_error(refused)})
            return
        ack()

    return on_submit
