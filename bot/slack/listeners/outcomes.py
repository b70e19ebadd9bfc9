"""Step 1 in Slack: starting a review, carrying outcomes over, anonymous proposals, the
list so far, and agreeing the set (replies and reactions in the thread are in thread.py)."""

from __future__ import annotations

from datetime import date
from functools import partial

from bot.slack.blocks import review as review_blocks
from bot.slack.blocks.links import Choices, links_modal
from bot.slack.calls import form_command, modal_button, open_form, tell
from bot.slack.deps import Deps, Invocation, asker
from bot.slack.mrkdwn import escape, refusal
from bot.slack.posts import post_kickoff, post_statement
from reviews import outcomes
from reviews.cases import agree, step_one
from reviews.errors import QprError
from reviews.periods import Period, PeriodError, last_ended_quarter, parse_quarter


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
    review_id = step_one.start(deps.ctx, call.asker, period).id
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
    elif not found.proposals:
        call.respond(f"No outcome statements proposed yet for {review.period_label}.")
    else:
        lines = "\n".join(
            f"{i}. {escape(p.outcome.text)} ({len(p.supporters)} :+1:)"
            for i, p in enumerate(found.proposals, start=1)
        )
        call.respond(f"*Proposed for {review.period_label}*\n{lines}")


def open_agree_modal(
    deps: Deps, client, channel: str, user: str, trigger_id: str, review_id: int | None = None
) -> str | None:
    """Open the agreement modal; a message for the user if it cannot be opened."""
    form = agree.agree_form(deps.ctx, asker(user, channel, trigger_id), review_id)
    choices = Choices.of(form.linkable)
    view = review_blocks.agree_modal(form.review, form.proposals, choices, form.suggested)
    return open_form(client, trigger_id, view)


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
        deps, client, done.review, done.outcome.id, text, user, "The outcome is carried over"
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
            ack(response_action="errors", errors={"statement": refusal(refused)[:150]})
            return
        ack()
        post = review_blocks.anonymous_post(done.outcome.text)
        post_statement(
            deps, client, done.review, done.outcome.id, post, user, "Your statement is saved"
        )

    return on_submit


def open_agree(deps: Deps):
    return modal_button(partial(open_agree_modal, deps))


def selected(values: dict, block_id: str) -> list[dict]:
    """The options left chosen in a form's multi-select."""
    return values.get(block_id, {}).get("link", {}).get("selected_options") or []


def read_decisions(view: dict, choices: Choices) -> tuple[list[outcomes.Decision], dict[str, str]]:
    """The facilitator's choices in the agreement modal, or the errors to show in it."""
    values = view["state"]["values"]
    ids_ = [int(block[len("do_") :]) for block in values if block.startswith("do_")]
    choice = {i: values[f"do_{i}"]["do"]["selected_option"]["value"] for i in ids_}
    text = {i: (values[f"text_{i}"]["text"].get("value") or "").strip() for i in ids_}
    links = {i: choices.read(selected(values, f"link_{i}")) for i in ids_}
    errors: dict[str, str] = {}
    merged_into: dict[int, list[int]] = {}
    for i, what in choice.items():
        if what.startswith("merge:"):
            target = int(what.split(":", 1)[1])
            if choice.get(target) != "agree":
                errors[f"do_{i}"] = "Merge into a statement that is agreed."
            merged_into.setdefault(target, []).append(i)
    decisions = []
    for i in ids_:
        if choice[i] != "agree":
            continue
        if not text[i]:
            errors[f"text_{i}"] = "An agreed statement needs some words."
        sources = [i, *merged_into.get(i, [])]
        linked = sorted({indicator for j in sources for indicator in links[j][0]})
        named: dict[str, list[str]] = {}
        for j in sources:
            for kind, keys in links[j][1].items():
                named.setdefault(kind, []).extend(keys)
        decisions.append(outcomes.Decision(text[i], sources, linked, named))
    if not decisions and ids_:
        errors[f"do_{ids_[0]}"] = "Agree at least one statement."
    return decisions, errors


def agree_metadata(view: dict) -> tuple[int, set[int]]:
    """The review and the proposals shown, as the agreement modal carries them."""
    review_id, _, shown = view["private_metadata"].partition(":")
    return int(review_id), {int(i) for i in shown.split(",") if i}


def submit_agree(deps: Deps):
    def on_submit(ack, body, view, client):
        review_id, shown = agree_metadata(view)
        first = next(iter(view["state"]["values"]))
        try:
            linkable = agree.linkable(deps.ctx, review_id)
            decisions, errors = read_decisions(view, Choices.of(linkable))
            if errors:
                ack(response_action="errors", errors=errors)
                return
            # Committed before the form closes: a refusal rolls everything back and says why.
            agree.agree(
                deps.ctx,
                asker(body["user"]["id"], None, view.get("id")),
                review_id,
                decisions,
                shown,
            )
        except QprError as refused:
            ack(response_action="errors", errors={first: refusal(refused)[:150]})
            return
        ack()
        deps.wake()  # the worker sends the evidence, owed with the agreement

    return on_submit


def open_links_modal(
    deps: Deps, client, channel: str, user: str, trigger_id: str, review_id: int | None = None
) -> str | None:
    """The form that changes what each agreed outcome is linked to; a message instead if it
    cannot be opened."""
    form = agree.links_form(deps.ctx, asker(user, channel, trigger_id), review_id)
    choices = Choices.of(form.linkable)
    rows = [(r.outcome, r.links, r.offered) for r in form.rows]
    return open_form(client, trigger_id, links_modal(form.review, rows, choices))


agree_command = form_command(open_agree_modal)
links_command = form_command(open_links_modal)


def open_links(deps: Deps):
    return modal_button(partial(open_links_modal, deps))


def submit_links(deps: Deps):
    def on_submit(ack, body, view, client):
        values = view["state"]["values"]
        review_id = int(view["private_metadata"])
        try:
            choices = Choices.of(agree.linkable(deps.ctx, review_id))
            chosen = {
                int(block[len("link_") :]): choices.read(selected(values, block))
                for block in values
                if block.startswith("link_")
            }
            # The evidence goes up again with the new links, owed with the change.
            agree.relink(
                deps.ctx,
                asker(body["user"]["id"], None, view.get("id")),
                review_id,
                chosen,
                offered=set(choices.by_key),
            )
        except QprError as refused:
            first = next(iter(values), "link")
            ack(response_action="errors", errors={first: refusal(refused)[:150]})
            return
        ack()
        deps.wake()  # the worker sends what is owed

    return on_submit
