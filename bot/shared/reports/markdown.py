"""The record of a review as a Markdown document."""

from __future__ import annotations

import re

from bot.shared.reports.report import Report, outcome_lines
from reviews.record import NeedRecord, ReviewRecord

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")
SETTLED = {"done": "done", "dropped": "dropped", "open": "still open"}


def file_name(record: ReviewRecord, extension: str) -> str:
    """qpr-older-people-s-services-2026-27-q2.md"""
    words = re.sub(r"[^a-z0-9]+", "-", f"qpr {record.team} {record.period_label}".lower())
    return f"{words.strip('-')}.{extension}"


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
    lines += ["", "## Outcomes", ""]
    if not record.outcomes:
        lines.append("No outcome statements agreed yet.")
    for i, o in enumerate(record.outcomes, start=1):
        lines += [f"### {i}. {md(o.text)}", ""]
        who = "anonymous" if o.anonymous else md(report.name(o.proposer))
        lines.append(f"- Proposed by: {who}")
        if o.carried_from:
            lines.append(f"- Carried over from {md(o.carried_from)}")
        lines.append(
            "- Supported by: "
            + (", ".join(md(report.name(u)) for u in o.supporters) or "nobody yet")
        )
        evidence = outcome_lines(report, o)
        if evidence.gap:
            lines.append("- Evidence: none loaded bears on it yet (an evidence gap)")
        for line in evidence.indicators:
            lines.append(f"- {md(line.text)}")
        if evidence.complaint_categories:
            lines.append("- Complaints about: " + ", ".join(map(md, evidence.complaint_categories)))
        if evidence.view_themes:
            lines.append("- User views on: " + ", ".join(map(md, evidence.view_themes)))
        lines += [f"- Survey: {md(q)}" for q in evidence.survey_questions]
        lines.append(f"- Rating: **{(o.rating if record.judged else None) or 'not judged'}**")
        if record.judged and o.rationale:
            lines += ["", *(f"> {md(line)}" for line in o.rationale.splitlines())]
        lines.append("")
    lines += ["## Overall", ""]
    lines.append(f"Rating: **{record.overall_rating or 'not judged yet'}**")
    if record.overall_rationale:
        lines += ["", *(f"> {md(line)}" for line in record.overall_rationale.splitlines())]
    lines += ["", "## Information needs", ""]
    lines += [f"- {_need(report, n)}" for n in record.needs] or ["None raised."]
    lines += ["", "## Needs from earlier reviews", ""]
    lines += [
        f"- {_need(report, n)}, raised {md(n.raised_in)}: **{SETTLED.get(n.status, n.status)}**"
        for n in record.earlier_needs
    ] or ["None were open."]
    return "\n".join(lines) + "\n"
