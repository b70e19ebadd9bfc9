"""The evidence summary as Slack messages: an overview, then one message per agreed outcome,
then the discussion prompt. Every figure carries its period. Slack's limits are kept by
splitting into more messages, never by dropping figures."""

from __future__ import annotations

from collections.abc import Sequence

from bot.base.wording import (
    category_line,
    complaint_lines,
    context_text,
    latest_text,
    plural,
    quote_text,
    rank_text,
    target_text,
    title_text,
    value_text,
    view_counts,
)
from bot.slack import ids
from bot.slack.blocks.kit import button, context, header, section, short
from bot.slack.blocks.messages import Message, split
from bot.slack.blocks.record import rating_text
from bot.slack.mrkdwn import escape, mention
from reviews.evidence.model import (
    TOO_FEW_POINTS,
    WITHHELD,
    Evidence,
    IndicatorEvidence,
    OutcomeEvidence,
    SurveyFinding,
    ViewSummary,
)
from reviews.evidence.spc import MIN_POINTS
from reviews.evidence.vocabulary import STALE_LIMITS, assurance_short, variation_short
from reviews.history import OutcomeStory
from reviews.needs import NewData

SECTION_LIMIT = 3000

# Making Data Count's colours, as near as Slack's emoji come: blue improvement, orange
# concern, purple neither, grey (white) common cause.
VARIATION_ICONS = {
    "special_cause_improvement": ":large_blue_circle:",
    "special_cause_concern": ":large_orange_circle:",
    "common_cause": ":white_circle:",
    "special_cause_neutral": ":large_purple_circle:",
}
GAP = (
    ":grey_question: *Evidence gap*: nothing loaded bears on this outcome yet; it can become "
    "an information need."
)
NO_SPC_ICON = ":heavy_minus_sign:"
DETAIL_NOTE = (
    "The quarter before and a year before are figures for context, not signals. "
    "`/qpr report` makes all of it, with the charts, as one document."
)
PROMPT = (
    "*For the meeting:* what works, for whom, in what circumstances, that these figures do "
    "not show? Reply here with what you know."
)


def indicator_line(e: IndicatorEvidence) -> str:
    parts = [latest_text(e)]
    target = target_text(e)  # None when there is no target
    if target is not None:
        parts.append(target)
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
        c = outcome.complaints
        rows = [escape(category_line(k)) for k in c.categories] if len(c.categories) > 1 else []
        blocks += _sections(f"Complaints about {about}", complaint_lines(c) + rows)
    if outcome.views is not None:
        v = outcome.views
        themes = ", ".join(escape(t) for t in outcome.view_themes)
        blocks += _sections(f"User views on {themes}: {escape(view_counts(v))}", quote_lines(v))
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
    return [escape(quote_text(q)) for q in v.quotes]


def glance_line(e: IndicatorEvidence) -> str:
    """An indicator in one line: its variation symbol, latest figure with period and age,
    its target with the assurance, and its place among peers. The quarter before and the
    year before wait for the detail."""
    symbol = VARIATION_ICONS.get(e.variation or "", NO_SPC_ICON)
    parts = [f"*{latest_text(e)}*"]
    target = target_text(e)  # None when there is no target
    if target is not None:
        if e.assurance:
            letter, _, words = assurance_short(e.assurance).partition(" ")
            parts.append(f"target {value_text(e, e.target)}: `{letter}` {words}")
        else:
            parts.append(target)
    parts.append(_variation_short(e))
    if e.assurance_why_not == STALE_LIMITS:
        parts.append("limits predate the change")
    if e.placement:
        parts.append(rank_text(e.placement))
    return f"{symbol} *{escape(e.code)}* {escape(title_text(e))}: " + "; ".join(parts)


def _variation_short(e: IndicatorEvidence) -> str:
    if e.variation is None:
        if e.no_spc_reason == TOO_FEW_POINTS:
            return f"no SPC: {plural(len(e.series), 'point')} of {MIN_POINTS}"
        return f"no SPC: {e.spc_note}" if e.spc_note else "no SPC"
    return variation_short(e.variation, e.variation_side)


def _counts_line(outcome: OutcomeEvidence) -> str | None:
    """Complaints, views and survey findings linked to an outcome, as counts: the quotes
    and figures are in its detail."""
    parts = []
    if outcome.complaints is not None:
        about = ", ".join(escape(c) for c in outcome.complaint_categories)
        received = outcome.complaints.received
        count = WITHHELD if received == WITHHELD else f"{received} this quarter"
        parts.append(f"complaints about {about}: {count}")
    if outcome.views is not None:
        themes = ", ".join(escape(t) for t in outcome.view_themes)
        parts.append(f"views on {themes}: {_some_views(outcome.views)}")
    if outcome.surveys:
        parts.append(plural(len(outcome.surveys), "survey finding"))
    line = "; ".join(parts)
    # Only the first letter: the rest holds category and theme names as people wrote them.
    return line[:1].upper() + line[1:] if parts else None


def _some_views(v: ViewSummary) -> str:
    """How many views, in a word or two: the kinds and themes wait for the detail."""
    if v.total == 0:
        return "none"
    if v.total == WITHHELD and v.part:
        return escape(view_counts(v))
    return str(v.total)


def glance_blocks(evidence: Evidence, review_id: int | None = None) -> list[dict]:
    """The agreed outcomes, each with its indicators in one line apiece and counts of the
    rest; key indicators no outcome claims; the team's complaints, views and findings.
    With a review, a button beside each outcome (and the team's totals) opens it in full."""
    period = evidence.period
    by_code = {e.code: e for e in evidence.indicators}
    blocks: list[dict] = [
        header(f"Evidence at a glance: {period.label}"),
        context(f"{escape(evidence.team)}, figures as of {evidence.as_of:%d %b %Y}."),
    ]
    shown: set[str] = set()
    for index, outcome in enumerate(evidence.outcomes, start=1):
        lines = []
        for code in outcome.indicator_codes:
            if code not in by_code:
                continue
            # An indicator is shown in full once; later outcomes point back to it.
            lines.append(f"{escape(code)} (above)" if code in shown else glance_line(by_code[code]))
            shown.add(code)
        counts = _counts_line(outcome)
        if counts:
            lines.append(counts)
        if outcome.is_gap:
            lines.append(GAP)
        found = _sections(f"{index}. {escape(short(outcome.text))}", lines)
        if review_id is not None and outcome.outcome_id is not None:
            found[0]["accessory"] = button(
                "In full", ids.OPEN_DETAIL, f"{review_id}:{outcome.outcome_id}"
            )
        blocks += found
    unclaimed = [e for e in evidence.indicators if e.key and e.code not in shown]
    if unclaimed:
        blocks += _sections("Other key indicators", [glance_line(e) for e in unclaimed])
        shown |= {e.code for e in unclaimed}
    found = _sections(f"Across the team in {period.label}", [_team_counts(evidence, shown)])
    if review_id is not None:
        found[0]["accessory"] = button("All in full", ids.OPEN_DETAIL, f"{review_id}:0")
    return blocks + found


def _team_counts(evidence: Evidence, shown: set[str]) -> str:
    c = evidence.complaints
    still_open = "open at the quarter's end"
    parts = [
        f"{plural(c.received, 'complaint')} received; "
        + (
            f"{still_open}: {WITHHELD}"
            if c.open_at_period_end == WITHHELD
            else f"{c.open_at_period_end} {still_open}"
        )
    ]
    parts.append(f"views {_some_views(evidence.views)}")
    parts.append(plural(len(evidence.surveys), "survey finding"))
    others = sum(1 for e in evidence.indicators if e.code not in shown)
    parts.append(plural(others, "more indicator"))
    return "; ".join(parts)


def since_line(number: int, story: OutcomeStory) -> str:
    """A carried-over outcome in one line: how it was judged last, and what its latest need
    found."""
    last = story.quarters[-1]
    line = f"*{number}.* {escape(last.period_label)}: {rating_text(last.rating)}"
    if last.indicators:
        then = ", ".join(
            f"{escape(i.code)} {variation_short(i.variation, i.variation_side)}"
            for i in last.indicators[:3]
        )
        line += f" (then {then})"
    settled = [n for n in story.needs if n.status != "open"]
    if settled:
        need = settled[-1]
        said = "we found" if need.status == "done" else "dropped, because"
        line += f"; we asked _{escape(short(need.text, 80))}_: {said} "
        line += escape(short(need.answer or "nothing recorded", 160))
    return line


def evidence_messages(
    evidence: Evidence,
    review_id: int | None = None,
    followups: Sequence[NewData] = (),
    since: dict[int, OutcomeStory] | None = None,
) -> list[Message]:
    """The evidence at a glance, within Slack's limits, with the prompt for the meeting and
    the buttons that open the rest. `since`: the outcomes carried over, by outcome id, with
    their story so far."""
    blocks = glance_blocks(evidence, review_id)
    lines = [
        since_line(number, since[o.outcome_id])
        for number, o in enumerate(evidence.outcomes, start=1)
        if since and o.outcome_id in since
    ]
    if lines:
        blocks += _sections("Since last time", lines)
    if followups:
        blocks += _sections("Information needs still open", [followup_line(f) for f in followups])
    blocks.append(section(PROMPT))
    if review_id is not None:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    button("Record the judgement", ids.OPEN_JUDGE, str(review_id), "primary"),
                    button("Change what is linked", ids.OPEN_LINKS, str(review_id)),
                ],
            }
        )
    return split(f"Evidence at a glance for {evidence.period.label}", blocks)


def detail_view(evidence: Evidence, which: int) -> dict | None:
    """A read-only form with the evidence in full: of the outcome whose id is `which`, or
    with 0, every indicator; None if that outcome is not among the agreed ones."""
    if which == 0:
        title = "All indicators"
        ordered = sorted(evidence.indicators, key=lambda e: not e.key)
        blocks = _sections(
            f"Indicators for {evidence.period.label}", [indicator_line(e) for e in ordered]
        )
        if evidence.surveys:
            blocks += _sections("Survey findings", [survey_line(s) for s in evidence.surveys])
        blocks += _sections("Complaints", complaint_lines(evidence.complaints))
        v = evidence.views
        blocks += _sections(f"User views: {view_counts(v)}", quote_lines(v))
    else:
        numbered = {o.outcome_id: (i, o) for i, o in enumerate(evidence.outcomes, start=1)}
        if which not in numbered:
            return None
        index, outcome = numbered[which]
        title = f"Outcome {index}"
        blocks = _outcome_blocks(index, outcome, evidence)
    blocks.append(context(DETAIL_NOTE))
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title[:24]},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": blocks[:100],
    }


def followup_line(found: NewData) -> str:
    """An open need, and whether figures loaded since it was raised may answer it."""
    need = found.need
    line = escape(need.text)  # the list's bullet is added with it
    if need.owner_user_id:
        line += f" ({mention(need.owner_user_id)})"
    if found.code is None:
        return line
    code = escape(found.code)
    if found.latest_period_end is None:
        return line + f": no new figures for {code} since it was raised."
    return (
        line + f": new figures for {code} have been loaded since it was raised (latest "
        f"{found.latest_period_end:%d %b %Y}): do they answer it?"
    )
