"""The evidence summary as Slack messages: an overview, then one message per agreed outcome,
then the discussion prompt. Every figure carries its period. Slack's limits are kept by
splitting into more messages, never by dropping figures."""

from __future__ import annotations

from collections.abc import Sequence

from bot.base.wording import (
    complaint_lines,
    context_text,
    latest_text,
    target_text,
    title_text,
    view_counts,
)
from bot.slack import ids
from bot.slack.blocks.kit import button, section
from bot.slack.blocks.messages import Message, split
from bot.slack.mrkdwn import escape
from reviews.evidence.model import (
    Evidence,
    IndicatorEvidence,
    OutcomeEvidence,
    SurveyFinding,
    ViewSummary,
)
from reviews.needs import NewData

SECTION_LIMIT = 3000
KEY_INDICATORS = 8

# Making Data Count's colours, as near as Slack's emoji come: blue improvement, orange
# concern, purple neither, grey (white) common cause.
VARIATION_ICONS = {
    "special_cause_improvement": ":large_blue_circle:",
    "special_cause_concern": ":large_orange_circle:",
    "common_cause": ":white_circle:",
    "special_cause_neutral": ":large_purple_circle:",
}
GAP = (
    ":grey_question: *Evidence gap*: nothing loaded bears on this outcome yet. It can become "
    "an information need when the judgement is recorded."
)
LEGEND = (
    ":large_blue_circle: special cause improvement, :large_orange_circle: special cause "
    "concern, :white_circle: common cause variation, from SPC charts (12 points or more; "
    "never for rolling or year-to-date series). The quarter before and a year before are "
    "figures for context, not signals."
)
PROMPT = (
    "*For the meeting.* What do these figures not tell us? What works, for whom, and in "
    "what circumstances? Reply in this thread with what you know that the numbers don't."
)


def indicator_line(e: IndicatorEvidence) -> str:
    parts = [latest_text(e)]
    if e.target is not None:
        parts.append(target_text(e))
    parts += context_text(e)
    icon = VARIATION_ICONS.get(e.variation or "")
    parts.append(f"{icon} {e.reading}" if icon else e.reading)
    # Late figures, missing periods and recalculation advice are for whoever keeps the
    # data: facilitators see them once, on the App Home, not beside every figure here.
    return f"*{escape(e.code)}* {escape(title_text(e))}: " + "; ".join(parts)


def survey_line(s: SurveyFinding) -> str:
    where = f"{escape(s.survey)} {escape(s.wave)}"
    if s.percent is None:
        return (
            f"{escape(s.question)}: {where}, base {s.base}; percentage withheld (fewer "
            "than 5 answered one way)"
        )
    line = (
        f"{escape(s.question)}: *{s.percent:.0f}%* positive, {where} (95% CI "
        f"{s.ci_low:.0f}-{s.ci_high:.0f}%, base {s.base})"
    )
    if s.change:
        line += f"; {s.change} since {escape(s.previous_wave or '')}"
    if s.small_base:
        line += " _(:warning: small base)_"
    return line


def _sections(title: str, lines: list[str]) -> list[dict]:
    """A heading line and bullet lines, packed into sections of at most 3000 characters."""
    blocks, current = [], f"*{title}*"
    for line in lines:
        bullet = "\n• " + line[: SECTION_LIMIT - 10]
        if len(current) + len(bullet) > SECTION_LIMIT:
            blocks.append(current)
            current = bullet.lstrip("\n")
        else:
            current += bullet
    blocks.append(current)
    return [{"type": "section", "text": {"type": "mrkdwn", "text": b}} for b in blocks]


def _outcome_blocks(index: int, outcome: OutcomeEvidence, evidence: Evidence) -> list[dict]:
    blocks: list[dict] = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": f"*Outcome {index}: {escape(outcome.text)}*"[:SECTION_LIMIT],
            },
        }
    ]
    if outcome.is_gap:
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": (GAP),
                },
            }
        )
    by_code = {e.code: e for e in evidence.indicators}
    indicators = [indicator_line(by_code[c]) for c in outcome.indicator_codes if c in by_code]
    if indicators:
        blocks += _sections("Indicators", indicators)
    if outcome.surveys:
        blocks += _sections("Survey findings", [survey_line(s) for s in outcome.surveys])
    if outcome.complaints is not None:
        about = ", ".join(escape(c) for c in outcome.complaint_categories)
        blocks += _sections(f"Complaints about {about}", complaint_lines(outcome.complaints))
    if outcome.views is not None:
        v = outcome.views
        themes = ", ".join(escape(t) for t in outcome.view_themes)
        blocks += _sections(f"User views on {themes}: {view_counts(v)}", quote_lines(v))
    if outcome.suggestions:
        offered = "; ".join(f"{escape(s.key)} ({s.reason})" for s in outcome.suggestions)
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": (
                            f"Perhaps also relevant: {offered}. A facilitator links them with "
                            "`/qpr links`."
                        )[:2900],
                    }
                ],
            }
        )
    return blocks


def quote_lines(v: ViewSummary) -> list[str]:
    return [
        f"\u201c{escape(q.text)}\u201d ({escape(q.kind)}, {escape(q.theme)}, {q.received:%d %b %Y})"
        for q in v.quotes
    ]


def overview_blocks(evidence: Evidence) -> list[dict]:
    period = evidence.period
    key = [e for e in evidence.indicators if e.key][:KEY_INDICATORS] or evidence.indicators[
        :KEY_INDICATORS
    ]
    blocks: list[dict] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": f"Evidence for {period.label}"[:150]},
        },
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": (
                        f"{escape(evidence.team)}, {period.start:%d %b} to "
                        f"{period.end:%d %b %Y}; figures as of {evidence.as_of:%d %b %Y}. " + LEGEND
                    ),
                }
            ],
        },
    ]
    if key:
        blocks += _sections("Key indicators", [indicator_line(e) for e in key])
    else:
        blocks += _sections("Key indicators", ["no indicator values loaded for this team"])
    if evidence.surveys:
        blocks += _sections("Survey findings", [survey_line(s) for s in evidence.surveys])
    blocks += _sections("Complaints", complaint_lines(evidence.complaints))
    v = evidence.views
    blocks += _sections(f"User views in {v.period.label}: {view_counts(v)}", quote_lines(v))
    gaps = evidence.gaps
    if gaps:
        blocks += _sections("Evidence gaps", [escape(g.text) for g in gaps])
    return blocks


def evidence_messages(
    evidence: Evidence, review_id: int | None = None, followups: Sequence[NewData] = ()
) -> list[Message]:
    """The whole summary, split into messages within Slack's limits."""
    groups = [("Evidence overview", overview_blocks(evidence))]
    for index, outcome in enumerate(evidence.outcomes, start=1):
        groups.append((f"Evidence for outcome {index}", _outcome_blocks(index, outcome, evidence)))
    others = [e for e in evidence.indicators if not e.key]
    if others:
        groups.append(
            (
                "Other indicators",
                _sections("All other indicators", [indicator_line(e) for e in others]),
            )
        )
    messages = []
    for title, blocks in groups:
        messages += split(f"{title} for {evidence.period.label}", blocks)
    if followups:
        messages += split(
            f"Information needs still open, {evidence.period.label}",
            _sections("Information needs still open", [followup_line(f) for f in followups]),
        )
    prompt = [section(PROMPT)]
    if review_id is not None:
        prompt.append(
            {
                "type": "actions",
                "elements": [
                    button("Record the judgement", ids.OPEN_JUDGE, str(review_id), "primary"),
                    button("Change what is linked", ids.OPEN_LINKS, str(review_id)),
                ],
            }
        )
    messages.append(Message("For the meeting", prompt))
    return messages


def followup_line(found: NewData) -> str:
    """An open need, and whether figures loaded since it was raised may answer it."""
    need = found.need
    line = f"• {escape(need.text)}"
    if need.owner_user_id:
        line += f" (<@{need.owner_user_id}>)"
    if found.code is None:
        return line
    code = escape(found.code)
    if found.latest_period_end is None:
        return line + f": no new figures for {code} since it was raised."
    return (
        line + f": new figures for {code} have been loaded since it was raised (latest "
        f"{found.latest_period_end:%d %b %Y}): do they answer it?"
    )
