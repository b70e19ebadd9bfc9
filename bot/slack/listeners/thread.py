"""Step 1 in the thread: replies become proposed outcome statements (edits and deletions
followed), and :+1: reactions support them.

Slack retries an event it thinks was not received, and with several instances any of them
may get it: each event is worked once (`reviews.work.claimed`)."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.slack import ids
from bot.slack.calls import slack_error, tell
from bot.slack.deps import Deps
from bot.slack.mrkdwn import refusal, unescape
from reviews import outcomes, work
from reviews.errors import QprError
from reviews.kinds import Review

log = logging.getLogger(__name__)


def claimed(deps: Deps, body: dict):
    """A unit of work that holds this event's claim; None when it was claimed before."""
    return work.claimed(deps.factory, body.get("event_id"))


def ignore(body, event, client) -> None:
    """Other message events (joins, topics, pins) in a subscribed channel: nothing to do,
    but Slack must hear a 200 or it retries them."""


def _collecting_review(session, channel: str, thread_ts: str) -> Review | None:
    """The review whose thread this is, while it still takes proposals."""
    review = outcomes.review_by_thread(session, channel, thread_ts)
    return review if review is not None and str(review.stage) == "outcomes" else None


def is_person(message: dict) -> bool:
    return bool(message.get("user")) and not message.get("bot_id")


def thread_reply(deps: Deps):
    def on_message(body, event, client):
        thread_ts = event.get("thread_ts")
        if not thread_ts or thread_ts == event.get("ts") or not is_person(event):
            return
        with claimed(deps, body) as session:
            if session is None:
                return
            review = _collecting_review(session, event["channel"], thread_ts)
            if review is None:
                return
            try:
                _, created = outcomes.propose(
                    session,
                    review,
                    unescape(event.get("text", "")),
                    event["user"],
                    event["ts"],
                    request_id=body.get("event_id"),
                )
            except QprError as refused:
                refused_because = refusal(refused)
                created = False
            else:
                refused_because = None
        if refused_because and event.get("text", "").strip():
            tell(
                client,
                event["channel"],
                event["user"],
                f"Your reply was not taken as an outcome statement: {refused_because}",
            )
        if created:
            try:
                client.reactions_add(
                    channel=event["channel"], timestamp=event["ts"], name=ids.ACK_REACTION
                )
            except SlackApiError as exc:
                log.warning("could not acknowledge a proposal: %s", slack_error(exc))

    return on_message


def reply_edited(deps: Deps):
    def on_edit(body, event, client):
        message = event.get("message") or {}
        thread_ts = message.get("thread_ts")
        if not thread_ts or not is_person(message):
            return
        with claimed(deps, body) as session:
            if session is None:
                return
            review = _collecting_review(session, event["channel"], thread_ts)
            if review is None:
                return
            try:
                outcomes.edit_proposal(
                    session,
                    review,
                    message["ts"],
                    unescape(message.get("text", "")),
                    message.get("user"),
                    request_id=body.get("event_id"),
                )
                refused_because = None
            except QprError as refused:
                refused_because = refusal(refused)  # the proposal keeps its earlier wording
        if refused_because:
            tell(
                client,
                event["channel"],
                message["user"],
                "Your edit was not taken, so the proposal keeps its earlier wording: "
                f"{refused_because}",
            )

    return on_edit


def reply_deleted(deps: Deps):
    def on_delete(body, event, client):
        previous = event.get("previous_message") or {}
        thread_ts = previous.get("thread_ts")
        if not thread_ts:
            return
        with claimed(deps, body) as session:
            if session is None:
                return
            review = _collecting_review(session, event["channel"], thread_ts)
            if review is not None:
                outcomes.withdraw_proposal(
                    session,
                    review,
                    event["deleted_ts"],
                    previous.get("user"),
                    request_id=body.get("event_id"),
                )

    return on_delete


def is_support(reaction: str) -> bool:
    """:+1: in any skin tone (`+1::skin-tone-3`)."""
    return reaction.split("::", 1)[0] in ids.SUPPORT_REACTIONS


def reaction(deps: Deps, supports: bool):
    def on_reaction(body, event, client):
        item = event.get("item") or {}
        if item.get("type") != "message" or not is_support(event.get("reaction", "")):
            return
        with claimed(deps, body) as session:
            if session is None:
                return
            review = outcomes.review_by_statement(session, item["channel"], item["ts"])
            if review is not None and str(review.stage) == "outcomes":
                outcomes.set_support(
                    session,
                    review,
                    item["ts"],
                    event["user"],
                    supports,
                    request_id=body.get("event_id"),
                )

    return on_reaction
