"""A team's evidence for a quarter as plain text, for the terminal (`qpr evidence`)."""

from __future__ import annotations

from bot.base.wording import (
    category_line,
    complaint_lines,
    context_text,
    latest_text,
    limits_text,
    placement_line,
    quote_text,
    target_text,
    title_text,
    view_counts,
)
from reviews.evidence.model import Evidence, IndicatorEvidence, SurveyFinding
from reviews.evidence.quality import data_notes


def _indicator_lines(e: IndicatorEvidence) -> list[str]:
    parts = [latest_text(e)]
    target = target_text(e)  # None when there is no target
    if target is not None:
        parts.append(target)
    parts += context_text(e)
    lines = [
        f"  {e.code:<15} {title_text(e)}",
        f"  {'':<15} " + "; ".join(parts),
        f"  {'':<15} reading: {e.reading}",
    ]
    if limits_text(e):
        lines.append(f"  {'':<15} {limits_text(e)}")
    if e.caveats:
        lines.append(f"  {'':<15} caveat: {e.caveats}")
    return lines


def _survey_line(s: SurveyFinding) -> str:
    if s.percent is None:
        return (
            f"  {s.question}\n      {s.wave}: base {s.base}; percentage withheld, as fewer "
            "than 5 answered one way"
        )
    line = (
        f"  {s.question}\n      {s.wave}: {s.percent:.0f}% positive "
        f"(95% CI {s.ci_low:.0f}-{s.ci_high:.0f}%, base {s.base})"
    )
    if s.change:
        line += f"; {s.change} since {s.previous_wave} ({s.previous_percent:.0f}%)"
    if s.small_base:
        line += "; small base: read with caution"
    return line


def render_evidence(evidence: Evidence) -> str:
    period = evidence.period
    lines = [
        f"{evidence.team}: evidence for {period.label} "
        f"({period.start:%d %b %Y} to {period.end:%d %b %Y}), as of {evidence.as_of:%d %b %Y}",
        "",
        "Indicators (key indicators first)",
    ]
    for e in evidence.indicators:
        lines += _indicator_lines(e)
    if not evidence.indicators:
        lines.append("  no indicator values loaded for this team up to the end of the quarter")
    if evidence.comparators:
        lines += ["", "Among peers"]
        lines += [f"  {p.code:<15} {placement_line(p)}" for p in evidence.comparators]
    if evidence.surveys:
        lines += ["", "Survey findings"]
        lines += [_survey_line(s) for s in evidence.surveys]
    c = evidence.complaints
    lines += ["", f"Complaints in {c.period.label}"]
    lines += [f"  {line}" for line in complaint_lines(c)]
    lines += [f"  {category_line(k)}" for k in c.categories]
    v = evidence.views
    lines += ["", f"User views in {v.period.label}: {view_counts(v)}"]
    lines += [f"  {quote_text(q)}" for q in v.quotes]
    for outcome in evidence.outcomes:
        lines += ["", f"Outcome: {outcome.text}"]
        if outcome.is_gap:
            lines.append("  EVIDENCE GAP: nothing loaded bears on this outcome yet")
        if outcome.indicator_codes:
            lines.append(f"  indicators: {', '.join(outcome.indicator_codes)}")
        for finding in outcome.surveys:
            lines.append(_survey_line(finding))
        if outcome.complaints is not None:
            lines.append(f"  complaints about {', '.join(outcome.complaint_categories)}:")
            lines += [f"    {line}" for line in complaint_lines(outcome.complaints)]
        if outcome.views is not None:
            counts = view_counts(outcome.views)
            lines.append(f"  user views on {', '.join(outcome.view_themes)}: {counts}")
            lines += [f"    {quote_text(q)}" for q in outcome.views.quotes]
        for s in outcome.suggestions:
            lines.append(f"  perhaps also: {s.key} ({s.reason})")
    notes = data_notes(evidence)
    if notes:
        lines += ["", "Data notes (for whoever keeps the data)"]
        lines += [f"  {n.code:<15} {n.text}" for n in notes]
    return "\n".join(lines)
