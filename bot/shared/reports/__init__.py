"""The record of a review, and every team's review of a quarter, as files to keep and
share: Markdown, HTML, PDF, CSV and JSON."""

from __future__ import annotations

from collections.abc import Callable

FORMATS = ("md", "html", "pdf", "csv", "json")


def render(report, fmt: str) -> bytes:
    """The report in one format, as the bytes of its file."""
    writer: Callable[..., str | bytes]
    if fmt == "md":
        from bot.shared.reports.markdown import markdown as writer
    elif fmt == "html":
        from bot.shared.reports.as_html import as_html as writer
    elif fmt == "pdf":
        from bot.shared.reports.as_pdf import as_pdf as writer
    elif fmt == "csv":
        from bot.shared.reports.as_csv import as_csv as writer
    elif fmt == "json":
        from bot.shared.reports.as_json import dumps as writer
    else:
        raise ValueError(f"no such format: {fmt}")
    made = writer(report)
    return made if isinstance(made, bytes) else made.encode("utf-8")


def render_teams(report, fmt: str) -> bytes:
    """Every team's review of a quarter (`teams.TeamsReport`) in one format."""
    from bot.shared.reports import teams

    made: str | bytes
    if fmt == "md":
        made = teams.markdown(report)
    elif fmt == "csv":
        made = teams.as_csv(report)
    elif fmt == "json":
        made = teams.as_json(report)
    elif fmt in ("html", "pdf"):
        from bot.shared.reports import teams_html

        made = teams_html.as_html(report) if fmt == "html" else teams_html.as_pdf(report)
    else:
        raise ValueError(f"no such format: {fmt}")
    return made if isinstance(made, bytes) else made.encode("utf-8")
