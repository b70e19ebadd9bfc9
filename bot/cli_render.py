"""Plain-text renderings for the terminal."""

from __future__ import annotations

from reviews.snapshot import IndicatorLine, TeamSnapshot
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


def format_value(value: float, unit: str) -> str:
    if unit == "percent":
        return f"{value:.1f}%"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:g}"


def _indicator_line(line: IndicatorLine) -> str:
    parts = [f"{format_value(line.value, line.unit)} ({line.period_end:%b %Y})"]
    if line.target is not None:
        verdict = {True: "meets", False: "misses", None: "against"}[line.meets_target]
        parts.append(f"{verdict} target {format_value(line.target, line.unit)}")
    if line.year_before is not None:
        parts.append(f"a year before {format_value(line.year_before, line.unit)}")
    if line.out_of_date:
        parts.append(f"OUT OF DATE: {line.age_days} days old")
    return f"  {line.code:<15} {line.title}\n  {'':<15} " + "; ".join(parts)


def render_snapshot(snapshot: TeamSnapshot | None) -> str:
    if snapshot is None:
        return "No such team."
    lines = [
        f"{snapshot.team}: latest figures for {snapshot.period.label} "
        f"({snapshot.period.start:%d %b %Y} to {snapshot.period.end:%d %b %Y})",
        "",
        "Indicators",
    ]
    lines += [_indicator_line(line) for line in snapshot.indicators]
    lines += [
        "",
        f"Complaints received: {_count(snapshot.complaints)} in the quarter, "
        f"{_count(snapshot.complaints_previous_quarter)} in the quarter before.",
    ]
    return "\n".join(lines)


def _count(n: int) -> str:
    # Small numbers are suppressed, as official statistics do, so nobody can be identified.
    return "fewer than 5" if 0 < n < 5 else str(n)
