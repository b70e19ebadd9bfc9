"""Step 1 in Slack: starting a review, carrying outcomes over, anonymous proposals and the
list so far (replies and reactions in the thread are in thread.py, agreeing the set in
agree.py)."""

from __future__ import annotations

from datetime import date

from bot.slack.blocks import review as review_blocks
from bot.slack.blocks.kit import short
from bot.slack.calls import open_form, tell
from bot.slack.deps import Deps, Invocation, asker
from bot.slack.mrkdwn import escape, form_error, refusal
from bot.slack.posts import post_kickoff, post_statement
from reviews.cases import step_one
from reviews.errors import QprError
from reviews.kinds import id_of
from reviews.periods import Period, PeriodError, last_ended_quarter, parse_quarter

MAX_KEPT_LISTED = 100  # lines of up to 200 characters: an answer stays readable


def _period(text: str, fy_start_month: int) -> Period:
    if not text:
        return last_ended_quarter(date.today(), fy_start_month)
    try:
        return parse_quarter(text, fy_start_month)
    except PeriodError as exc:
        raise QprError(
            f"{exc!s}. Usage: `/qpr start [period]`, e.g. `/qpr start 2026/27 Q2`."
        ) from None


def start_command(call: Invocation) -> None:
    deps = call.deps
    period = _period(call.rest, deps.settings.fy_start_month)
    review_id = id_of(step_one.start(deps.ctx, call.asker, period))
    result = post_kickoff(deps, call.client, review_id)
    if result == "posting":
        call.respond(
            f"The kick-off of {period.label} is being posted. If it does not "
            "appear, run this again in a minute."
        )
    elif result == "already":
        call.respond(f"The review of {period.label} is already under way in its thread.")
    elif result != "posted":
        call.respond(
            f"The review of {period.label} is started, but Slack would not take the "
            f"kick-off message ({result}). Run `/qpr start {period.label}` again "
            "to post it."
        )


def outcomes_command(call: Invocation) -> None:
    found = step_one.so_far(call.deps.ctx, call.asker)
    review, agreed = found.review, found.agreed
    if agreed:
        lines = "\n".join(f"{i}. {escape(o.text)}" for i, o in enumerate(agreed, start=1))
        call.respond(f"*Agreed outcome statements for {review.period_label}*\n{lines}")
        return
    if not found.proposals:
        said = f"No outcome statements proposed yet for {review.period_label}."
    else:
        lines = "\n".join(
            f"{i}. {escape(p.outcome.text)} ({len(p.supporters)} :+1:)"
            for i, p in enumerate(found.proposals, start=1)
        )
        said = f"*Proposed for {review.period_label}*\n{lines}"
    if found.kept:
        listed = [f"• {escape(short(o.text, 200))}" for o in found.kept[:MAX_KEPT_LISTED]]
        if len(found.kept) > MAX_KEPT_LISTED:
            listed.append(f"And {len(found.kept) - MAX_KEPT_LISTED} more with less support.")
        said += (
            f"\n\n*Kept from last time ({len(found.kept)})*: propose one again by replying "
            "in the review thread (the kick-off has buttons for the most supported).\n"
            + "\n".join(listed)
        )
    call.respond(said)


def carry_over_clicked(deps: Deps, body, client, respond) -> None:
    """*Carry over* on an earlier quarter's outcome (kept by the inbox, then worked here)."""
    user, channel = body["user"]["id"], body["channel"]["id"]
    try:
        done = step_one.carry_over(
            deps.ctx,
            asker(user, channel, body.get("trigger_id")),
            body["message"]["ts"],
            int(body["actions"][0]["value"]),
        )
    except QprError as refused:
        tell(client, channel, user, refusal(refused))
        return
    text = review_blocks.carried_over(done.earlier, done.earlier_label, user)
    post_statement(
        deps, client, done.review, id_of(done.outcome), text, user, "The outcome is carried over"
    )


def open_anonymous(deps: Deps):
    def on_click(ack, body, client):
        ack()
        channel, user = body["channel"]["id"], body["user"]["id"]
        try:
            review = step_one.open_for_proposals(
                deps.ctx, asker(user, channel), int(body["actions"][0]["value"])
            )
        except QprError as refused:
            tell(client, channel, user, refusal(refused))
            return
        problem = open_form(client, body["trigger_id"], review_blocks.anonymous_modal(review))
        if problem:
            tell(client, channel, user, problem)

    return on_click


def submit_anonymous(deps: Deps):
    def on_submit(ack, body, view, client):
        text = view["state"]["values"]["statement"]["text"].get("value") or ""
        if not text.strip():
            ack(response_action="errors", errors={"statement": "Write the statement first."})
            return
        # The form carries the review and the channel it was opened in.
        review_id, _, channel = view["private_metadata"].partition(":")
        user = body["user"]["id"]
        try:
            done = step_one.propose_anonymously(
                deps.ctx, asker(user, channel), int(review_id), text
            )
        except QprError as refused:
            ack(response_action="errors", errors={"statement": form_error(refused)})
            return
        ack()
        post = review_blocks.anonymous_post(done.outcome.text)
        post_statement(
            deps, client, done.review, id_of(done.outcome), post, user, "Your statement is saved"
        )

    return on_submit
