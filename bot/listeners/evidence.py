"""Steps 2 and 3 in the thread: the evidence summary, its charts and the discussion prompt."""

from __future__ import annotations

from datetime import date

from slack_sdk.errors import SlackApiError

from bot.blocks.evidence import evidence_messages
from bot.charts import chart_file_name
from bot.listeners.context import Deps, log, slack_error
from bot.reports.report import CHART_KEY
from reviews import needs
from reviews.audit import record
from reviews.evidence import build_evidence
from reviews.evidence.charts import indicator_chart, overview_chart
from storage.models import Review, Team
from storage.periods import Period

CHARTS_PER_POST = 10


def post_evidence(
    deps: Deps, client, review_id: int, user_id: str, today: date | None = None
) -> str | None:
    """Post the evidence in the review's thread; a message for the user if Slack refused."""
    with deps.factory() as session:
        review = session.get(Review, review_id)
        team = session.get(Team, review.team_id)
        period = Period(review.period_start, review.period_end, review.period_label)
        evidence = build_evidence(
            session, team.name, period, today or date.today(), deps.settings.fy_start_month
        )
        followups = needs.new_data(session, team)
    where = {"channel": review.slack_channel_id, "thread_ts": review.slack_thread_ts}
    try:
        for message in evidence_messages(evidence, review_id, followups):
            client.chat_postMessage(
                **where,
                text=message.text,
                blocks=message.blocks,
                unfurl_links=False,
                unfurl_media=False,
            )
    except SlackApiError as exc:
        log.warning("evidence not posted for review %s: %s", review_id, slack_error(exc))
        return (
            f"Slack would not take the evidence messages ({slack_error(exc)}). "
            "`/qpr evidence` posts them again."
        )
    uploads = _charts(evidence)
    if uploads:
        try:
            client.files_upload_v2(
                channel=review.slack_channel_id,
                thread_ts=review.slack_thread_ts,
                file_uploads=uploads,
                initial_comment=f"Charts for {period.label}. {CHART_KEY}",
            )
        except SlackApiError as exc:
            log.warning("charts not uploaded for review %s: %s", review_id, slack_error(exc))
            return (
                f"The evidence is posted, but Slack would not take the charts ({slack_error(exc)})."
            )
    with deps.factory.unit_of_work() as session:
        record(
            session,
            user_id,
            "evidence.post",
            team_id=review.team_id,
            review_id=review_id,
            indicators=len(evidence.indicators),
            charts=len(uploads),
        )
    return None


def _charts(evidence) -> list[dict]:
    """The overview, then the charts of indicators that bear on an agreed outcome."""
    if not evidence.indicators:
        return []
    uploads = [
        {
            "content": overview_chart(evidence),
            "filename": "overview.png",
            "title": f"{evidence.team}: {evidence.period.label}",
        }
    ]
    linked = {code for o in evidence.outcomes for code in o.indicator_codes}
    for indicator in evidence.indicators:
        if indicator.code in linked and len(uploads) < CHARTS_PER_POST:
            png = indicator_chart(indicator)
            if png is not None:
                uploads.append(
                    {
                        "content": png,
                        "filename": chart_file_name(indicator.code),
                        "title": f"{indicator.code}: {indicator.title}"[:250],
                    }
                )
    return uploads
