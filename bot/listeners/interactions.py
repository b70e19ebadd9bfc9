"""Buttons and modals of step 1: carry over, propose anonymously, agree."""

from __future__ import annotations

from functools import partial

import sqlalchemy as sa
from slack_sdk.errors import SlackApiError

from bot.blocks import review as review_blocks
from bot.listeners.commands import open_agree_modal
from bot.listeners.context import Deps, modal_button, slack_error, tell
from bot.listeners.owed import deliver_all
from reviews import outbox, outcomes
from reviews.errors import QprError
from storage.models import OutcomeStatement, Review


def _post_in_thread(client, review: Review, text: str, blocks: list | None = None) -> str:
    posted = client.chat_postMessage(
        channel=review.slack_channel_id,
        thread_ts=review.slack_thread_ts,
        text=text,
        blocks=blocks,
        unfurl_links=False,
        unfurl_media=False,
    )
    return posted["ts"]


def _post_statement(
    deps: Deps, client, review: Review, outcome_id: int, text: str, user: str, kept: str
) -> None:
    """Post a statement in the thread for the bot, and remember the post so reactions to it
    count as support; if Slack refuses, the statement stays and the user is told."""
    try:
        ts = _post_in_thread(client, review, text)
    except SlackApiError as exc:
        tell(
            client,
            review.slack_channel_id,
            user,
            f"{kept}, but Slack would not post it in the thread ({slack_error(exc)}).",
        )
        return
    with deps.factory.unit_of_work() as session:
        outcomes.attach_message(session, session.get(OutcomeStatement, outcome_id), ts)


def carry_over(deps: Deps):
    def on_click(ack, body, client):
        ack()
        user, channel = body["user"]["id"], body["channel"]["id"]
        old_id = int(body["actions"][0]["value"])
        try:
            with deps.factory.unit_of_work() as session:
                review = outcomes.review_by_thread(session, channel, body["message"]["ts"])
                old = session.get(OutcomeStatement, old_id)
                if review is None or old is None or old.review_id == review.id:
                    raise QprError("That outcome can't be carried over from here.")
                outcome, _ = outcomes.propose(
                    session,
                    review,
                    old.text,
                    user,
                    None,
                    carried_from=old,
                    request_id=body.get("trigger_id"),
                )
                label = session.get(Review, old.review_id).period_label
                text = review_blocks.carried_over(old, label, user)
        except sa.exc.IntegrityError:
            tell(client, channel, user, "That outcome has already been carried over.")
            return
        except QprError as refused:
            tell(client, channel, user, str(refused))
            return
        _post_statement(deps, client, review, outcome.id, text, user, "The outcome is carried over")

    return on_click


def open_anonymous(deps: Deps):
    def on_click(ack, body, client):
        ack()
        with deps.factory() as session:
            review = session.get(Review, int(body["actions"][0]["value"]))
            # A review is reached only from its own channel.
            if review is not None and review.slack_channel_id != body["channel"]["id"]:
                review = None
            if review is None or str(review.stage) != "outcomes":
                tell(
                    client,
                    body["channel"]["id"],
                    body["user"]["id"],
                    "Proposals for this review are closed.",
                )
                return
            view = review_blocks.anonymous_modal(review)
        try:
            client.views_open(trigger_id=body["trigger_id"], view=view)
        except SlackApiError as exc:
            tell(
                client,
                body["channel"]["id"],
                body["user"]["id"],
                f"Slack would not open the form ({slack_error(exc)}): please try again.",
            )

    return on_click


def submit_anonymous(deps: Deps):
    def on_submit(ack, body, view, client):
        text = view["state"]["values"]["statement"]["text"].get("value") or ""
        if not text.strip():
            ack(response_action="errors", errors={"statement": "Write the statement first."})
            return
        try:
            with deps.factory.unit_of_work() as session:
                review = session.get(Review, int(view["private_metadata"]))
                # Stored with no proposer; the request id is left out too, as it would lead
                # back to whoever opened the form.
                outcome, _ = outcomes.propose(session, review, text, None, None, anonymous=True)
                post = review_blocks.anonymous_post(outcome.text)
        except QprError as refused:
            ack(response_action="errors", errors={"statement": str(refused)[:150]})
            return
        ack()
        _post_statement(
            deps, client, review, outcome.id, post, body["user"]["id"], "Your statement is saved"
        )

    return on_submit


def open_agree(deps: Deps):
    return modal_button(partial(open_agree_modal, deps))


def read_decisions(view: dict) -> tuple[list[outcomes.Decision], dict[str, str]]:
    """The facilitator's choices in the agreement modal, or the errors to show in it."""
    values = view["state"]["values"]
    ids_ = [int(block[len("do_") :]) for block in values if block.startswith("do_")]
    choice = {i: values[f"do_{i}"]["do"]["selected_option"]["value"] for i in ids_}
    text = {i: (values[f"text_{i}"]["text"].get("value") or "").strip() for i in ids_}
    links = {
        i: [
            int(o["value"])
            for o in (values.get(f"link_{i}", {}).get("link", {}).get("selected_options") or [])
        ]
        for i in ids_
    }
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
        linked = sorted({indicator for j in sources for indicator in links[j]})
        decisions.append(outcomes.Decision(text[i], sources, linked))
    if not decisions and ids_:
        errors[f"do_{ids_[0]}"] = "Agree at least one statement."
    return decisions, errors


def agree_metadata(view: dict) -> tuple[int, set[int]]:
    """The review and the proposals shown, as the agreement modal carries them."""
    review_id, _, shown = view["private_metadata"].partition(":")
    return int(review_id), {int(i) for i in shown.split(",") if i}


def submit_agree(deps: Deps):
    def on_submit(ack, body, view, client):
        decisions, errors = read_decisions(view)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        user = body["user"]["id"]
        review_id, shown = agree_metadata(view)
        try:
            # Committed before the form closes: a refusal rolls everything back and says why.
            with deps.factory.unit_of_work() as session:
                review = session.get(Review, review_id)
                outcomes.agree(session, review, user, decisions, shown, request_id=view.get("id"))
                # Owed with the agreement, so that a restart cannot lose them.
                owed = [
                    outbox.owe(session, outbox.AGREED, review.id, user),
                    outbox.owe(session, outbox.EVIDENCE, review.id, user),
                ]
        except QprError as refused:
            first = next(iter(view["state"]["values"]))
            ack(response_action="errors", errors={first: str(refused)[:150]})
            return
        ack()
        deps.later(deliver_all, deps, client, owed)

    return on_submit


def on_error(deps: Deps):
    def handle(error, body, logger):
        # The kind of failure only: a message would carry what people wrote.
        logger.error(
            "listener failed: %s (%s)",
            type(error).__name__,
            body.get("type") or body.get("command") or "request",
        )

    return handle
