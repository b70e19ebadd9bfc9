"""The report as an A4 PDF for a committee: the HTML page printed by WeasyPrint, so the two
never drift apart. The PDF is tagged (PDF/UA-1: headings, tables with their captions, lists
and figures with their alt text, the language and the title; the running footer marked as
pagination), as published documents of UK public bodies must be accessible."""

from __future__ import annotations

from bot.shared.reports.as_html import as_html
from bot.shared.reports.report import Report
from bot.shared.reports.tagged_pdf import tagged_pdf


def as_pdf(report: Report) -> bytes:
    return tagged_pdf(as_html(report))
