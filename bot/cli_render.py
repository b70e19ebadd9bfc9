"""Plain-text renderings for the terminal."""

from __future__ import annotations

from reviews.evidence.model import (
    ComplaintSummary,
    Evidence,
    Figure,
    IndicatorEvidence,
    Placement,
    SurveyFinding,
)
from storage.imports import ImportReport, Problem


def describe_import(report: ImportReport) -> str:
    verb = "would import" if report.dry_run else "imported"
    lines = [
        f"{report.file_name}: {verb} {report.rows} {report.kind} row(s): "
        f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged"
        + (f", {report.skipped} without a value skipped" if report.skipped else "")
        + "."
    ]
    if report.new_teams:
        lines.append(f"New team(s): {', '.join(report.new_teams)}.")
    if report.dry_run:
        lines.append("Dry run: nothing was written.")
    return "\n".join(lines)


REPEATS_LISTED = 5


def problem_lines(problems: list[Problem]) -> list[str]:
    """One line a problem, except that the same problem in many rows is said once."""
    groups: dict[tuple[str, str], list[Problem]] = {}
    for problem in problems:
        groups.setdefault((problem.column, problem.message), []).append(problem)
    lines = []
    for problem in problems:
        group = groups.pop((problem.column, problem.message), None)
        if group is None:
            continue
        if len(group) <= REPEATS_LISTED:
            lines.extend(str(p) for p in group)
        else:
            shown = ", ".join(str(p.row) for p in group[:REPEATS_LISTED])
            lines.append(
                f"rows {shown} and {len(group) - REPEATS_LISTED} more, "
                f"column {problem.column}: {problem.message}"
            )
    return lines


def placement_line(p: Placement) -> str:
    """A team's place among its peers, in the indicator's own unit and precision."""
    england = f"; England {format_value(p.england, p.unit)}" if p.england is not None else ""
    gap = format_value(abs(p.gap_to_average), p.unit).rstrip("%")
    sign = "+" if p.gap_to_average >= 0 else "-"
    points = " points" if p.unit == "percent" else ""
    return (
        f"{p.period_label}: {format_value(p.team_value, p.unit)}, rank {p.rank} of {p.of} "
        f"(quartile {p.quartile}), {sign}{gap}{points} against the peer average "
        f"{format_value(p.peer_average, p.unit)}{england}"
    )


def format_value(value: float | str | None, unit: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if unit == "percent":
        return f"{value:.1f}%"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}".removesuffix(".0")


def figure_text(e: IndicatorEvidence, figure: Figure) -> str:
    """A figure of an indicator with its period, small counts suppressed."""
    return f"{format_value(e.shown(figure.value), e.unit)} ({figure.period_end:%b %Y})"


def target_text(e: IndicatorEvidence) -> str | None:
    if e.target is None:
        return None
    verdict = {True: "meets", False: "misses", None: "against"}[e.meets_target]
    return f"{verdict} target {format_value(e.target, e.unit)}"


def _indicator_lines(e: IndicatorEvidence) -> list[str]:
    parts = [f"{figure_text(e, e.latest)[:-1]}, {e.age_days} days old)"]
    if e.target is not None:
        parts.append(target_text(e))
    if e.previous_quarter:
        c = e.previous_quarter
        parts.append(f"{figure_text(e, c.against)} the quarter before ({c.reading})")
    if e.year_before:
        parts.append(f"a year before {figure_text(e, e.year_before.against)}")
    if e.spc:
        reading = e.reading
    else:
        against = f" on {figure_text(e, e.reading_against)}" if e.reading_against else ""
        reading = f"too few points for a signal: {e.reading}{against}"
    if e.assurance:
        reading += f"; target {e.assurance.replace('_', ' ')}"
    lines = [
        f"  {e.code:<15} {e.title}",
        f"  {'':<15} " + "; ".join(parts),
        f"  {'':<15} reading: {reading}",
    ]
    flags = []
    if e.out_of_date:
        flags.append("OUT OF DATE")
    if e.missing_periods:
        flags.append("missing " + ", ".join(f"{d:%b %Y}" for d in e.missing_periods))
    flags += e.notes
    if e.caveats:
        flags.append(f"caveat: {e.caveats}")
    if flags:
        lines.append(f"  {'':<15} " + "; ".join(flags))
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


def complaint_lines(c: ComplaintSummary) -> list[str]:
    """The quarter's complaints in a few plain lines (mrkdwn-safe: no user text)."""
    lines = [
        f"received {c.received} in {c.period.label} (the quarter before "
        f"{c.previous_quarter}, the same quarter last year {c.same_quarter_last_year}); "
        f"{c.open_at_period_end} open at the end of the quarter"
    ]
    if c.upheld_percent is not None:
        lines.append(f"{c.upheld_percent:.0f}% of {c.decided} decided were upheld or partly")
    if c.median_days_to_close is not None:
        within = (
            f"; {c.closed_within_target_percent:.0f}% within {c.response_target_days} days"
            if c.closed_within_target_percent is not None
            else f"; the share within {c.response_target_days} days is withheld (fewer than 5 "
            "either way)"
        )
        lines.append(f"median {c.median_days_to_close:g} days to close{within}")
    return lines


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
    for category in c.top_categories:
        lines.append(
            f"  {category.category}: {category.count} "
            f"(quarter before {category.previous_quarter}, {category.movement})"
        )
    v = evidence.views
    kinds = ", ".join(f"{n} {k}s" for k, n in v.by_kind.items())
    lines += ["", f"User views in {v.period.label}: {kinds}"]
    lines += [f'  "{q.text}" ({q.kind}, {q.theme}, {q.received:%d %b %Y})' for q in v.quotes]
    for outcome in evidence.outcomes:
        lines += ["", f"Outcome: {outcome.text}"]
        if outcome.is_gap:
            lines.append("  EVIDENCE GAP: nothing loaded bears on this outcome yet")
        else:
            lines.append(f"  indicators: {', '.join(outcome.indicator_codes) or '-'}")
        if outcome.suggested_codes:
            lines.append(f"  perhaps also: {', '.join(outcome.suggested_codes)}")
    return "\n".join(lines)
