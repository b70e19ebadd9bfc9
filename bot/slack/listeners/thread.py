"""Step 1 in the thread: replies become proposed outcome statements (edits and deletions
followed), and :+1: reactions support them.

Slack retries an event it thinks was not received, and with several instances any of them
may get it: each event is worked once (see `reviews.cases.step_one`)."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.slack import ids
from bot.slack.calls import slack_error, tell
from bot.slack.deps import Deps, asker
from bot.slack.mrkdwn import refusal, unescape
from reviews.cases import step_one

log = logging.getLogger(__name__)


def ignore(body, event, client) -> None:
    """Other message events (joins, topics, pins) in a subscribed channel: nothing to do,
    but Slack must hear a 200 or it retries them."""


def is_person(message: dict) -> bool:
    return bool(message.get("user")) and not message.get("bot_id")


def thread_reply(deps: Deps):
    def on_message(body, event, client):
        thread_ts = event.get("thread_ts")
        if not thread_ts or thread_ts == event.get("ts") or not is_person(event):
            return
        who = asker(event["user"], event["channel"], body.get("event_id"))
        text = unescape(event.get("text", ""))
        done = step_one.reply(deps.ctx, who, thread_ts, event["ts"], text)
        if done.refused is not None and text.strip():
            tell(
                client,
                event["channel"],
                event["user"],
                f"Your reply was not taken as an outcome statement: {refusal(done.refused)}",
            )
        if done.created:
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
        who = asker(message["user"], event["channel"], body.get("event_id"))
        text = unescape(message.get("text", ""))
        done = step_one.edit_reply(deps.ctx, who, thread_ts, message["ts"], text)
        if done.refused is not None:  # the proposal keeps its earlier wording
            tell(
                client,
                event["channel"],
                message["user"],
                "Your edit was not taken, so the proposal keeps its earlier wording: "
                f"{refusal(done.refused)}",
            )

    return on_edit


def reply_deleted(deps: Deps):
    def on_delete(body, event, client):
        previous = event.get("previous_message") or {}
        thread_ts = previous.get("thread_ts")
        if not thread_ts:
            return
        who = asker(previous.get("user") or "", event["channel"], body.get("event_id"))
        step_one.withdraw_reply(deps.ctx, who, thread_ts, event["deleted_ts"])

    return on_delete


def is_support(reaction: str) -> bool:
    """:+1: in any skin tone (`+1::skin-tone-3`)."""
    return reaction.split("::", 1)[0] in ids.SUPPORT_REACTIONS


def reaction(deps: Deps, supports: bool):
    def on_reaction(body, event, client):
        item = event.get("item") or {}
        if item.get("type") != "message" or not is_support(event.get("reaction", "")):
            return
        who = asker(event["user"], item["channel"], body.get("event_id"))
        step_one.support(deps.ctx, who, item["ts"], supports)

    return on_reaction
