"""What the bot posts in a review's channel and thread: the kick-off, statements posted for
someone, the agreed list, the evidence with its charts, the record and the report file.

Each post returns None, or a message for the person whose action it follows when Slack
refused it; nothing here decides when to post (the listeners, the outbox and the scheduler
do)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date

from slack_sdk.errors import SlackApiError

from bot.base.logs import kind
from bot.slack.blocks import review as review_blocks
from bot.slack.blocks.evidence import evidence_messages
from bot.slack.blocks.messages import Message, with_files
from bot.slack.calls import slack_error, tell
from bot.slack.deps import Deps
from reviews import needs, outcomes
from reviews.audit import record
from reviews.cases import evidence as cases_evidence
from storage.models import OutcomeStatement, Review, Team

log = logging.getLogger(__name__)
CHARTS_PER_POST = 10  # what Slack shows of one message's files; the report has every chart
QUIET = {"unfurl_links": False, "unfurl_media": False}
POSTED = "qpr_owed_post"  # the message metadata's event type on each part of an owed post


@dataclass(frozen=True)
class Owed:
    """An owed post on its way: each message of it carries metadata naming the outbox row
    and its part, and the parts Slack has already (found in the thread when the post is
    tried again after a crash) are not sent twice."""

    row_id: int
    review_id: int
    already: frozenset[int] = frozenset()

    def metadata(self, part: int) -> dict:
        payload = {"review": self.review_id, "owed": self.row_id, "part": part}
        return {"event_type": POSTED, "event_payload": payload}

    def block_id(self, part: int) -> str:
        """The id of a block naming this part, where a post can carry no metadata."""
        return f"{POSTED}:{self.row_id}:{part}"


def _post(client, owed: Owed | None, part: int, **message) -> None:
    if owed is not None:
        if part in owed.already:
            return
        message["metadata"] = owed.metadata(part)
    client.chat_postMessage(**message, **QUIET)


def thread_of(review: Review) -> str | None:
    """The review's thread; the channel itself if its kick-off never got posted."""
    ts = review.slack_thread_ts
    return None if ts is None or outcomes.posting(ts) else ts


def post_kickoff(deps: Deps, client, review_id: int) -> str:
    """Post a review's kick-off once: "posted", "already" (posted before), "posting" (being
    posted elsewhere), or what Slack said when it refused."""
    with deps.factory.unit_of_work() as session:
        review = session.get_one(Review, review_id)
        team = session.get_one(Team, review.team_id)
        if not outcomes.claim_kickoff(session, review):
            return "posting" if outcomes.posting(review.slack_thread_ts) else "already"
        before = outcomes.previous_review(session, review)
        blocks = review_blocks.kickoff(
            review,
            team.name,
            outcomes.carry_over_candidates(session, review),
            before.period_label if before else None,
            needs.open_for_team(session, team),
            needs.settled_since(session, review),
        )
        text = review_blocks.kickoff_text(review, team.name)
        channel = team.slack_channel_id
    try:
        posted = client.chat_postMessage(channel=channel, text=text, blocks=blocks, **QUIET)
    except Exception as exc:
        # Whatever went wrong (Slack refused, the connection failed), the claim is let go,
        # so the next try can post it.
        problem = slack_error(exc) if isinstance(exc, SlackApiError) else kind(exc)
        log.warning("kick-off not posted for review %s: %s", review_id, problem)
        with deps.factory.unit_of_work() as session:
            outcomes.release_kickoff(session, review_id)
        return problem
    with deps.factory.unit_of_work() as session:
        outcomes.set_thread(session, session.get_one(Review, review_id), posted["ts"])
    return "posted"


def post_statement(
    deps: Deps, client, review: Review, outcome_id: int, text: str, user: str, kept: str
) -> None:
    """Post a statement in the thread for the bot, and remember the post so reactions to it
    count as support; if Slack refuses, the statement stays and the user is told."""
    channel = review.slack_channel_id
    assert channel is not None, "a statement is taken only in its review's channel"
    try:
        posted = client.chat_postMessage(
            channel=channel, thread_ts=review.slack_thread_ts, text=text, **QUIET
        )
    except SlackApiError as exc:
        tell(
            client,
            channel,
            user,
            f"{kept}, but Slack would not post it in the thread ({slack_error(exc)}).",
        )
        return
    with deps.factory.unit_of_work() as session:
        outcomes.attach_message(
            session, session.get_one(OutcomeStatement, outcome_id), posted["ts"]
        )


def post_agreed(deps: Deps, client, review: Review, owed: Owed | None = None) -> str | None:
    """The agreed outcome statements in the thread."""
    with deps.factory() as session:
        text, blocks = review_blocks.agreed_message(review, outcomes.agreed(session, review))
    try:
        _post(
            client,
            owed,
            0,
            channel=review.slack_channel_id,
            thread_ts=review.slack_thread_ts,
            text=text,
            blocks=blocks,
        )
    except SlackApiError as exc:
        return (
            f"The outcomes are agreed and saved, but Slack would not post them in the "
            f"thread ({slack_error(exc)}). `/qpr outcomes` shows them."
        )
    return None


def post_evidence(
    deps: Deps,
    client,
    review_id: int,
    user_id: str,
    today: date | None = None,
    owed: Owed | None = None,
) -> str | None:
    """The evidence in the review's thread, its charts attached to its last message: one
    post, one notification to those who follow the thread. If Slack will not take blocks
    with files, the charts follow in a post of their own."""
    found = cases_evidence.for_thread(deps.ctx, review_id, today)
    review, evidence = found.review, found.evidence
    followups, since = found.followups, found.since
    where = {"channel": review.slack_channel_id, "thread_ts": review.slack_thread_ts}
    *before, last = evidence_messages(evidence, review_id, followups, since)
    # The parts of the post: each message, then the charts. Those Slack has already (found
    # in the thread when tried again) are not sent again.
    last_part, charts_part = len(before), len(before) + 1
    already = owed.already if owed is not None else frozenset()
    charts = [] if charts_part in already else _charts(evidence)
    apart = charts
    try:
        for part, message in enumerate(before):
            _post(client, owed, part, **where, text=message.text, blocks=message.blocks)
        if last_part not in already:
            parts = (last_part, charts_part)
            if charts and _together(client, owed, parts, where, last, charts):
                apart = []
            else:
                _post(client, owed, last_part, **where, text=last.text, blocks=last.blocks)
    except SlackApiError as exc:
        log.warning("evidence not posted for review %s: %s", review_id, slack_error(exc))
        return (
            f"The outcomes are agreed and saved, but Slack would not post them with their "
            f"evidence ({slack_error(exc)}). `/qpr evidence` posts them again."
        )
    if apart:
        try:
            client.files_upload_v2(
                **where,
                file_uploads=apart,
                initial_comment=f"Charts for {review.period_label}, each with its key.",
            )
        except SlackApiError as exc:
            log.warning("charts not uploaded for review %s: %s", review_id, slack_error(exc))
            return (
                f"The evidence is posted, but Slack would not take the charts "
                f"({slack_error(exc)}): they are tried again."
            )
    with deps.factory.unit_of_work() as session:
        record(
            session,
            user_id,
            "evidence.post",
            team_id=review.team_id,
            review_id=review_id,
            indicators=len(evidence.indicators),
            charts=len(charts),
        )
    return None


# What Slack answers when it will not show these blocks with files (a file share takes
# fewer kinds of block than a message): the evidence then goes as a message, and the charts
# after it. Any other error is Slack's or the connection's, and the whole is tried again.
BLOCKS_REFUSED = {"invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long"}


def _together(
    client,
    owed: Owed | None,
    parts: tuple[int, int],
    where: dict,
    message: Message,
    uploads: list[dict],
) -> bool:
    """The last message of the evidence with the charts attached, as one file share; False
    if Slack will not take its blocks with files."""
    shown = with_files(message.blocks)
    if shown is None:
        return False
    if owed is not None:
        # A file share carries no metadata: blocks' ids name the parts it holds instead.
        shown = _marked(shown, [owed.block_id(part) for part in parts])
    try:
        client.files_upload_v2(**where, file_uploads=uploads, blocks=json.dumps(shown))
    except SlackApiError as exc:
        if slack_error(exc) not in BLOCKS_REFUSED:
            raise
        log.warning("evidence and charts not taken as one post: %s", slack_error(exc))
        return False
    return True


def _marked(blocks: list[dict], block_ids: list[str]) -> list[dict]:
    """The blocks with `block_ids` given, in turn, to those that have none of their own."""
    marked, free = [], iter(block_ids)
    for block in blocks:
        if "block_id" not in block and (block_id := next(free, None)) is not None:
            block = {**block, "block_id": block_id}
        marked.append(block)
    return marked


def _charts(evidence) -> list[dict]:
    """The charts of the indicators in the evidence at a glance (linked to an outcome, or
    key), in its order. The overview of every indicator is too tall for a phone: it is in
    `qpr evidence --charts` and the report."""
    # Loaded here: matplotlib is needed only when charts are drawn, not to serve requests.
    from bot.shared.chart_words import chart_alt_text
    from bot.shared.charts import chart_file_name, indicator_chart

    by_code = {e.code: e for e in evidence.indicators}
    linked = [code for o in evidence.outcomes for code in o.indicator_codes if code in by_code]
    shown = list(dict.fromkeys(linked + [e.code for e in evidence.indicators if e.key]))
    uploads = []
    for code in shown[:CHARTS_PER_POST]:
        indicator = by_code[code]
        png = indicator_chart(indicator)
        if png is not None:
            uploads.append(
                {
                    "content": png,
                    "filename": chart_file_name(code),
                    "title": f"{code}: {indicator.title}"[:250],
                    "alt_txt": chart_alt_text(indicator)[:1000],
                }
            )
    return uploads


def post_record(
    client, review: Review, messages: list[Message], owed: Owed | None = None
) -> str | None:
    """The record (or a note that the review closed) in the review's thread."""
    try:
        for part, message in enumerate(messages):
            _post(
                client,
                owed,
                part,
                channel=review.slack_channel_id,
                thread_ts=thread_of(review),
                text=message.text,
                blocks=message.blocks,
            )
    except SlackApiError as exc:
        log.warning("record not posted for review %s: %s", review.id, slack_error(exc))
        return (
            f"Slack would not post the record in the thread ({slack_error(exc)}). "
            "`/qpr report` posts it as a file."
        )
    return None


def post_report_file(
    client, review: Review, content: bytes, filename: str, title: str, comment: str
) -> str | None:
    """A report as a file in the review's thread."""
    try:
        client.files_upload_v2(
            channel=review.slack_channel_id,
            thread_ts=thread_of(review),
            content=content,
            filename=filename,
            title=title,
            initial_comment=comment,
        )
    except SlackApiError as exc:
        log.warning("report not uploaded for review %s: %s", review.id, slack_error(exc))
        return f"Slack would not take the report ({slack_error(exc)}): please try again."
    return None
