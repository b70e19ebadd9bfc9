"""Step 1 in the thread: replies become proposed outcome statements (edits and deletions
followed), and :+1: reactions support them.

Slack retries an event it thinks was not received, and with several instances any of them
may get it. Each event's id is written in the same transaction as what the event changes:
a second delivery finds it taken and changes nothing, and a delivery that failed half way
leaves no claim behind, so its retry is still handled."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from slack_sdk.errors import SlackApiError
from sqlmodel import Session, select

from bot.slack import ids
from bot.slack.calls import slack_error, tell
from bot.slack.deps import Deps
from bot.slack.mrkdwn import refusal, unescape
from reviews import outcomes
from reviews.errors import QprError
from storage.models import OutcomeStatement, ProcessedEvent, Review

log = logging.getLogger(__name__)


@contextmanager
def claimed(deps: Deps, body: dict) -> Iterator[Session | None]:
    """A unit of work that holds this event's claim; None when it was claimed before."""
    event_id = body.get("event_id")
    with deps.factory.unit_of_work() as session:
        if event_id:
            session.add(ProcessedEvent(event_id=str(event_id)))
            try:
                session.flush()  # the claim comes first, before anything it would change
            except sa.exc.IntegrityError:
                session.rollback()
                yield None
                return
        yield session


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
            review = session.exec(
                select(Review)
                .join(OutcomeStatement, OutcomeStatement.review_id == Review.id)
                .where(
                    Review.slack_channel_id == item["channel"],
                    OutcomeStatement.slack_message_ts == item["ts"],
                )
            ).first()
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
