"""The report as an A4 PDF for a committee: the HTML page printed by WeasyPrint, so the two
never drift apart. The PDF is tagged (PDF/UA-1: headings, tables, lists and figures with
their alt text, the language and the title), as published documents of UK public bodies
must be accessible."""

from __future__ import annotations

from bot.shared.reports.as_html import as_html
from bot.shared.reports.report import Report


def as_pdf(report: Report) -> bytes:
    # Loaded here: WeasyPrint (and Pango under it) is needed only when a PDF is made.
    from weasyprint import HTML

    return HTML(string=as_html(report)).write_pdf(pdf_variant="pdf/ua-1")
