"""What an import did, or why it refused a file, in plain words for the terminal and the
demo. Kept apart from the evidence's text so that `qpr import` starts without loading the
evidence engine."""

from __future__ import annotations

from bot.base.wording import plural
from storage.imports import ImportReport, Problem


def describe_import(report: ImportReport) -> str:
    verb = "would import" if report.dry_run else "imported"
    lines = [
        f"{report.file_name}: {verb} {plural(report.rows, 'row')} of {report.kind}: "
        f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged"
        + (f", {report.skipped} without a value skipped" if report.skipped else "")
        + "."
    ]
    if report.new_teams:
        new = "New team" if len(report.new_teams) == 1 else "New teams"
        lines.append(f"{new}: {', '.join(report.new_teams)}.")
    if report.warnings:
        lines.append("To check (imported all the same):")
        lines += [f"  {line}" for line in problem_lines(report.warnings)]
    if report.dry_run:
        lines.append("Dry run: nothing was written.")
    return "\n".join(lines)


REPEATS_LISTED = 5


def problem_lines(problems: list[Problem]) -> list[str]:
    """One line a problem, except that the same problem in many rows is said once."""
    groups: dict[tuple[str, str], list[Problem]] = {}
    for problem in problems:
        groups.setdefault((problem.column, problem.message), []).append(problem)
    lines: list[str] = []
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
