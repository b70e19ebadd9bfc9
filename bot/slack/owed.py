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
from reviews.record import review_record
from reviews.then import keep_indicators_then
from storage import leases
from storage.models import Review, utcnow

log = logging.getLogger(__name__)


def deliver_owed(deps: Deps, client, me: str, now: datetime | None = None) -> bool:
    """Send what is owed and claimable, one claim at a time; True if anything was this
    process's to send."""
    any_sent = False
    while True:
        with deps.factory.unit_of_work() as session:
            claimed = outbox.claim(session, me, now)
        if not claimed:
            return any_sent
        any_sent = True
        deliver(deps, client, claimed[0], me, now)


def deliver(deps: Deps, client, post: outbox.OwedPost, me: str, now: datetime | None = None):
    """Send one claimed owed post."""
    with deps.factory() as session:
        review = session.get(Review, post.review_id)
    try:
        with deps.worker.in_hand(outbox.QUEUE, post.id):
            owed = Owed(post.id, post.review_id)
            if post.tried_before:
                # Slack may have taken some or all of it before the process sending it stopped.
                owed = Owed(post.id, post.review_id, found_in_thread(client, review, post.id))
            problem = _send(deps, client, post.kind, review, post.user_id, owed)
    except Exception as exc:
        # Slack could not be reached (or answered nonsense): tried again later, untold.
        with deps.factory.unit_of_work() as session:
            failed = leases.fail(session, outbox.QUEUE, post.id, me, kind_of(exc), now or utcnow())
        _not_sent(post, failed)
        return
    with deps.factory.unit_of_work() as session:
        if problem is None:
            leases.finish(session, outbox.QUEUE, post.id, me, now or utcnow())
            return
        failed = leases.fail(session, outbox.QUEUE, post.id, me, problem, now or utcnow())
    _not_sent(post, failed)
    if failed is not None and failed.attempts == 1:  # told once; tried again later on its own
        tell(client, review.slack_channel_id, post.user_id, problem)


def _not_sent(post: outbox.OwedPost, failed: leases.Failure | None) -> None:
    tries = failed.attempts if failed else "lost: another process has it"
    log.warning("owed %s post for review %s not sent (try %s)", post.kind, post.review_id, tries)


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
