"""Posts owed after a committed change, sent by the worker when the inbox is empty (see
reviews/outbox.py): at once after the change, or within seconds of a restart."""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk.errors import SlackApiError

from bot.base.logs import kind as kind_of
from bot.shared.people import people_in
from bot.slack.blocks.record import closed_note, record_messages
from bot.slack.calls import slack_error, tell
from bot.slack.deps import INSTANCE, Deps
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
from reviews.record import review_record
from reviews.then import keep_indicators_then
from storage.models import Outbox, Review, utcnow

log = logging.getLogger(__name__)


def deliver_owed(deps: Deps, client, me: str, now: datetime | None = None) -> bool:
    """Send what is owed and claimable; True if anything was this process's to send."""
    with deps.factory() as session:
        due = outbox.owed(session, now or utcnow())
    sent = [deliver(deps, client, row_id, me, now) for row_id in due]  # each, not the first
    return any(sent)


def deliver(deps: Deps, client, row_id: int, me: str = INSTANCE, now: datetime | None = None):
    """Claim and send one owed post; False if it was not this process's to send."""
    with deps.factory.unit_of_work() as session:
        row = session.get(Outbox, row_id)
        tried_before = row is not None and (row.claimed_by is not None or row.attempts > 0)
        if not outbox.claim_one(session, row_id, me, now):
            return False
        session.refresh(row)
        kind, review_id, user = row.kind, row.review_id, row.user_id
        review = session.get(Review, review_id)
    try:
        with deps.worker.in_hand("outbox", row_id):
            owed = Owed(row_id, review_id)
            if tried_before:
                # Slack may have taken some or all of it before the process sending it stopped.
                owed = Owed(row_id, review_id, found_in_thread(client, review, row_id))
            problem = _send(deps, client, kind, review, user, owed)
    except Exception as exc:
        # Slack could not be reached (or answered nonsense): tried again later, untold.
        with deps.factory.unit_of_work() as session:
            attempts = outbox.failed(session, row_id, me, kind_of(exc), now)
        log.warning("owed %s post for review %s not sent (try %s)", kind, review_id, attempts)
        return True
    with deps.factory.unit_of_work() as session:
        if problem is None:
            outbox.sent(session, row_id, me, now)
            return True
        attempts = outbox.failed(session, row_id, me, problem, now)
    log.warning("owed %s post for review %s not sent (try %s)", kind, review_id, attempts)
    if attempts == 1:  # told once; the post is tried again later on its own
        tell(client, review.slack_channel_id, user, problem)
    return True


def found_in_thread(client, review: Review, row_id: int) -> frozenset[int]:
    """The parts of an owed post already in the review's thread, by their metadata."""
    thread = thread_of(review)
    if thread is None:
        return frozenset()
    parts, cursor = set(), None
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
                if metadata.get("event_type") == POSTED and payload.get("owed") == row_id:
                    parts.add(payload.get("part"))
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
    except SlackApiError as exc:
        # Not known: sent again in full, as twice is better than never.
        log.warning("thread not read for review %s: %s", review.id, slack_error(exc))
        return frozenset()
    return frozenset(parts)


def _send(deps: Deps, client, kind: str, review: Review, user: str, owed: Owed) -> str | None:
    """Send it; None, or a message for the person whose change it follows."""
    if kind == outbox.AGREED:
        return post_agreed(deps, client, review, owed)
    if kind == outbox.EVIDENCE:
        return post_evidence(deps, client, review.id, user, owed=owed)
    if kind == outbox.RECORD:
        with deps.factory.unit_of_work() as session:
            # Kept when the judgement was recorded; if the figures could not be read then,
            # the linked indicators as they read now.
            keep_indicators_then(session, review, deps.settings.fy_start_month)
        with deps.factory() as session:
            record = review_record(session, review)
        problem = post_record(client, review, record_messages(record), owed)
        if problem is None:
            # Kept now, so that a report made later (from the command line too) names all.
            refresh_names(client, deps.factory, people_in(record))
        return problem
    if kind == outbox.CLOSED:
        return post_record(client, review, [closed_note(review, user)], owed)
    raise ValueError(f"no such owed post: {kind}")
