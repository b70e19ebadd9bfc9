"""Posts owed after a committed change (see reviews/outbox.py), sent to Slack: the worker
(bot/shared/worker.py) claims each when the inbox is empty, at once after the change or
within seconds of a restart, and hands it here."""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk.errors import SlackApiError

from bot.shared.people import known_names, people_in
from bot.slack.blocks.pulse import with_pulse
from bot.slack.blocks.record import closed_note, record_messages
from bot.slack.calls import slack_error, tell
from bot.slack.deps import Deps
from bot.slack.names import refresh_names
from bot.slack.posts import (
    POSTED,
    Owed,
    post_agreed,
    post_evidence,
    post_record,
    thread_of,
)
from reviews import outbox
from reviews.kinds import id_of
from reviews.record import review_record
from reviews.then import keep_indicators_then
from storage.models import Review

log = logging.getLogger(__name__)


def deliver_owed(deps: Deps, client, me: str, now: datetime | None = None) -> bool:
    """Send what is owed and claimable; True if anything was this process's to send."""
    return deps.worker.send_owed(SlackOwed(deps, client), me, now)


class SlackOwed:
    """The worker's sender of owed posts (see bot/shared/worker.py), posting to Slack."""

    def __init__(self, deps: Deps, client):
        self.deps = deps
        self.client = client

    def send(self, post: outbox.OwedPost) -> str | None:
        with self.deps.factory() as session:
            review = session.get_one(Review, post.review_id)
        owed = Owed(post.id, post.review_id)
        if post.tried_before:
            # Slack may have taken some or all of it before the process sending it stopped.
            owed = Owed(post.id, post.review_id, found_in_thread(self.client, review, post.id))
        return _send(self.deps, self.client, post.kind, review, post.user_id, owed)

    def tell(self, post: outbox.OwedPost, problem: str) -> None:
        with self.deps.factory() as session:
            review = session.get_one(Review, post.review_id)
        # A post is owed only for a review started in its team's channel.
        assert review.slack_channel_id is not None, "an owed post's review is in a channel"
        tell(self.client, review.slack_channel_id, post.user_id, problem)


def found_in_thread(client, review: Review, row_id: int) -> frozenset[int]:
    """The parts of an owed post already in the review's thread, by their metadata."""
    thread = thread_of(review)
    if thread is None:
        return frozenset()
    parts: set[int] = set()
    cursor = None
    try:
        while True:
            page = client.conversations_replies(
                channel=review.slack_channel_id,
                ts=thread,
                include_all_metadata=True,
                limit=200,
                cursor=cursor,
            )
            for message in page.get("messages") or []:
                metadata = message.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                ours = metadata.get("event_type") == POSTED and payload.get("owed") == row_id
                part = payload.get("part")  # a number in each of our posts (Owed.metadata)
                if ours and isinstance(part, int):
                    parts.add(part)
                parts |= _parts_named(message.get("blocks") or [], row_id)
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
    except SlackApiError as exc:
        # Not known: sent again in full, as twice is better than never.
        log.warning("thread not read for review %s: %s", review.id, slack_error(exc))
        return frozenset()
    return frozenset(parts)


def _parts_named(blocks: list[dict], row_id: int) -> set[int]:
    """The parts of an owed post that a message's blocks name, for a post that could carry
    no metadata (a file share: see Owed.block_id)."""
    prefix = f"{POSTED}:{row_id}:"
    named = [str(b.get("block_id", "")) for b in blocks]
    parts = [n.removeprefix(prefix) for n in named if n.startswith(prefix)]
    return {int(p) for p in parts if p.isdigit()}


def _send(deps: Deps, client, kind: str, review: Review, user: str, owed: Owed) -> str | None:
    """Send it; None, or a message for the person whose change it follows."""
    if kind == outbox.AGREED:
        return post_agreed(deps, client, review, owed)
    if kind == outbox.EVIDENCE:
        return post_evidence(deps, client, id_of(review), user, owed=owed)
    if kind == outbox.RECORD:
        with deps.factory.unit_of_work() as session:
            # Kept when the judgement was recorded; if the figures could not be read then,
            # the linked indicators as they read now.
            keep_indicators_then(session, review, deps.settings.fy_start_month)
        with deps.factory() as session:
            record = review_record(session, review)
        # Asked first: the record names whoever has nothing left to do, mentioning (and so
        # notifying) only the owners of needs still open. Kept for later reports too.
        people = people_in(record)
        refresh_names(client, deps.factory, people)
        names = _names(deps, people)
        messages = record_messages(record, names)
        if record.judged:
            # The two questions go under the record: no message of their own, no ping.
            messages = with_pulse(messages, id_of(review))
        return post_record(client, review, messages, owed)
    if kind == outbox.CLOSED:
        refresh_names(client, deps.factory, {user})
        return post_record(client, review, [closed_note(review, user, _names(deps, {user}))], owed)
    raise ValueError(f"no such owed post: {kind}")


def _names(deps: Deps, people: set[str]) -> dict[str, str]:
    with deps.factory() as session:
        return known_names(session, people)
