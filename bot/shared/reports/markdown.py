"""The record of a review as a Markdown document, in the HTML's order: the summary, each
outcome with its evidence, the team as a whole, the needs, notes on the data."""

from __future__ import annotations

import re

from bot.base.wording import placement_line, quote_text, title_text
from bot.shared import pulse_words
from bot.shared.icons import CHART_KEY
from bot.shared.reports.report import OutcomeSection, Report
from bot.shared.reports.words import (
    CATEGORY_HEADINGS,
    SUMMARY_CAPTION,
    answer_places,
    answer_words,
    assurance_label,
    category_cells,
    complaint_text,
    complaints_caption,
    indicator_name,
    indicator_text,
    latest_cell,
    peers_cell,
    place_name,
    rating_text,
    serves_text,
    since_lines,
    survey_text,
    target_cell,
    variation_label,
    views_heading,
)
from reviews.evidence.model import IndicatorEvidence
from reviews.record import NeedRecord, ReviewRecord

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")
SETTLED = {"done": "done", "dropped": "dropped", "open": "still open"}


def file_name(record: ReviewRecord, extension: str) -> str:
    """qpr-older-people-s-services-2026-27-q2.md"""
    return named_file(f"qpr {record.team} {record.period_label}", extension)


def named_file(words: str, extension: str) -> str:
    """Words as a file name: lower case, each run of other characters one hyphen."""
    return f"{slug(words)}.{extension}"


def slug(words: str) -> str:
    """older-people-s-services"""
    return re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")


def md(text: str) -> str:
    """Text people wrote, with Markdown's own characters taken literally."""
    return _SPECIAL.sub(r"\\\1", text)


def _need(report: Report, need: NeedRecord) -> str:
    parts = [f"owner {md(report.name(need.owner)) or 'nobody'}"]
    if need.due:
        parts.append(f"due {need.due:%d %b %Y}")
    if need.outcome:
        parts.append(f"for: {md(need.outcome)}")
    if need.indicator_code:
        parts.append(f"about {md(need.indicator_code)}")
    return f"{md(need.text)} ({'; '.join(parts)})"


def _quote(text: str) -> list[str]:
    return ["", *(f"> {md(line)}" for line in text.splitlines()), ""] if text else []


def caption(words: str) -> list[str]:
    """A table's caption, as Pandoc and other readers of Markdown take one: a line before
    the table."""
    return [f"Table: {md(words)}", ""]


def _summary(report: Report) -> list[str]:
    lines = [
        *caption(SUMMARY_CAPTION),
        "| Indicator | Latest | Target | Variation | Assurance | Among peers |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in report.summary_rows:
        e = row.indicator
        why = serves_text(row.outcomes, e.key)
        cells = [
            f"**{md(e.code)}** {md(title_text(e))}" + (f" ({why})" if why else ""),
            md(latest_cell(e)),
            md(target_cell(e)),
            md(variation_label(e)),
            md(assurance_label(e)),
            md(peers_cell(e)),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _indicators(indicators: list[IndicatorEvidence]) -> list[str]:
    lines = []
    for e in indicators:
        lines.append(f"- **{md(indicator_name(e))}**: {md(indicator_text(e))}")
        if e.placement:
            lines.append(f"  - Among peers: {md(placement_line(e.placement))}")
    return lines


def _outcome(report: Report, section: OutcomeSection) -> list[str]:
    o, found = section.outcome, section.found
    lines = [f"### {section.number}. {md(o.text)}", ""]
    who = "anonymous" if o.anonymous else md(report.name(o.proposer))
    lines.append(f"- Proposed by: {who}")
    if o.carried_from:
        lines.append(f"- Carried over from {md(o.carried_from)}")
    lines.append(
        "- Supported by: " + (", ".join(md(report.name(u)) for u in o.supporters) or "nobody yet")
    )
    lines.append(f"- Judgement: **{rating_text(report.rating(o))}**")
    lines += _quote(report.rationale(o)) or [""]
    if o.before is not None:
        lines += ["#### Since last time", ""]
        lines += [f"- {md(line)}" for line in since_lines(o.before)] + [""]
    if section.gap:
        lines += ["Evidence: none loaded bears on it yet (an evidence gap).", ""]
    if section.indicators:
        lines += ["#### Indicators", "", *_indicators(section.indicators), ""]
    if found.surveys:
        lines += ["#### Survey findings", ""]
        lines += [f"- {md(survey_text(s))}" for s in found.surveys] + [""]
    if found.complaints is not None:
        title = f"Complaints about {', '.join(found.complaint_categories)}"
        lines += [f"#### {md(title)}", ""]
        lines += _complaint_lines(title, found.complaints)
    if found.views is not None:
        lines += [f"#### {md(views_heading(found.view_themes, found.views))}", ""]
        lines += [f"> {md(quote_text(q))}\n" for q in found.views.quotes]
    return lines


def _complaint_lines(title: str, c) -> list[str]:
    """The complaints in bullets, then a table a row a category."""
    lines = [f"- {md(line)}" for line in complaint_text(c, table=True)] + [""]
    if c.categories:
        lines += [
            *caption(complaints_caption(title, c)),
            "| " + " | ".join(CATEGORY_HEADINGS) + " |",
            "| " + " | ".join("---" for _ in CATEGORY_HEADINGS) + " |",
        ]
        lines += [
            "| " + " | ".join(md(cell) for cell in category_cells(k)) + " |" for k in c.categories
        ]
        lines.append("")
    return lines


def _team(report: Report) -> list[str]:
    evidence = report.evidence
    lines = ["## The team as a whole", ""]
    if report.other_key:
        lines += [
            "### Other key indicators",
            "",
            "Key indicators that no outcome is linked to.",
            "",
        ]
        lines += [*_indicators(report.other_key), ""]
    if report.other_surveys:
        lines += ["### Survey findings no outcome is linked to", ""]
        lines += [f"- {md(survey_text(s))}" for s in report.other_surveys] + [""]
    lines += ["### All complaints", ""]
    lines += _complaint_lines("All complaints", evidence.complaints)
    lines += [f"### {md(views_heading([], evidence.views))}", ""]
    lines += [f"> {md(quote_text(q))}\n" for q in evidence.views.quotes]
    if evidence.comparators:
        lines += ["### Places among peers", ""]
        lines += [
            f"- **{md(place_name(p, report.indicators.get(p.code)))}**: {md(placement_line(p))}"
            for p in evidence.comparators
        ] + [""]
    return lines


def _pulse(report: Report) -> list[str]:
    lines = [f"## {pulse_words.TITLE}", "", pulse_words.ASKED, ""]
    this = report.this_pulse
    if this is None:
        lines += ["Asked once the judgement is recorded.", ""]
    else:
        lines += [f"- {md(line)}" for line in pulse_words.question_lines(this)]
        if this.comments:
            lines += ["", "Comments:", *(f"> {md(c)}" for c in this.comments)]
        lines.append("")
    if len(report.pulse) > 1:
        lines += ["The team's last reviews:", ""]
        lines += [f"- {md(pulse_words.history_line(p))}" for p in report.pulse]
        lines += ["", pulse_words.CAUTION, ""]
    return lines


def markdown(report: Report) -> str:
    record = report.record
    lines = [
        f"# QPR {md(record.period_label)}: {md(record.team)}",
        "",
        f"Quarter {record.period_start:%d %b %Y} to {record.period_end:%d %b %Y}."
        + (f" Meeting {record.meeting_date:%d %b %Y}." if record.meeting_date else ""),
        "Facilitators: " + ", ".join(md(report.name(u)) for u in record.facilitators) + ".",
    ]
    if record.judged and record.closed_at and record.judged_by:
        judge = md(report.name(record.judged_by))
        lines.append(f"Judgement recorded by {judge} on {record.closed_at:%d %b %Y}.")
    elif record.stage == "closed":
        lines.append("Closed without a judgement.")
    else:
        lines.append(f"In progress: {record.stage}.")
    lines += ["", "## Judgements at a glance", ""]
    lines += [
        f"- Outcome {s.number}, {md(s.outcome.text)}: **{rating_text(report.rating(s.outcome))}**"
        for s in report.sections
    ]
    lines.append(f"- Overall: **{rating_text(record.overall_rating)}**")
    lines += ["", "## Key and linked indicators", ""]
    lines += _summary(report) if report.summary_rows else ["None are key or linked."]
    lines += ["", "## Outcomes", ""]
    if not record.outcomes:
        lines += ["No outcome statements agreed yet.", ""]
    for section in report.sections:
        lines += _outcome(report, section)
    lines += ["## Overall", ""]
    lines.append(f"Judgement: **{rating_text(record.overall_rating)}**")
    lines += _quote(record.overall_rationale) or [""]
    lines += _team(report)
    lines += ["## Information needs", ""]
    lines += [f"- {_need(report, n)}" for n in record.needs] or ["None raised."]
    lines += ["", "## Needs from earlier reviews", ""]
    for n in record.earlier_needs:
        lines.append(
            f"- {_need(report, n)}, raised {md(n.raised_in)}: **{SETTLED.get(n.status, n.status)}**"
        )
        if n.answer:
            lines.append(f"  {answer_words(n.status)} {md(n.answer)}")
        lines += [f"  {md(name)}: <{url}>" for name, url in answer_places(n)]
    if not record.earlier_needs:
        lines.append("None were open.")
    lines += ["", *_pulse(report)]
    lines += ["## About the data", ""]
    lines += [f"- {md(n.code)}: {md(n.text)}" for n in report.data_notes]
    lines += ["", md(CHART_KEY)]
    return "\n".join(lines) + "\n"
