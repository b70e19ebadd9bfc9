"""The report as an A4 PDF for a committee, made with reportlab. The DejaVu fonts that ship
with matplotlib carry every character people type (curly quotes, accents, dashes)."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from bot.shared.charts import CHART_KEY
from bot.shared.reports.report import Report, outcome_lines
from reviews.record import NeedRecord

ACCENT = colors.HexColor("#005eb8")
MUTED = colors.HexColor("#5b6673")
RATING_COLOURS = {
    "good progress": "#d8f0de",
    "some progress": "#fdf1c7",
    "not enough progress": "#f8d7d3",
    "cannot judge yet": "#e4e7eb",
}
WIDTH = A4[0] - 36 * mm


@cache
def _fonts() -> tuple[str, str]:
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont("QPRSans", str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("QPRSans-Bold", str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily("QPRSans", normal="QPRSans", bold="QPRSans-Bold")
    return "QPRSans", "QPRSans-Bold"


@cache
def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = _fonts()
    base = ParagraphStyle("body", fontName=regular, fontSize=10, leading=14, alignment=TA_LEFT)
    return {
        "body": base,
        "title": ParagraphStyle(
            "title", base, fontName=bold, fontSize=18, leading=23, textColor=ACCENT, spaceAfter=4
        ),
        "h2": ParagraphStyle(
            "h2",
            base,
            fontName=bold,
            fontSize=13,
            leading=17,
            textColor=ACCENT,
            spaceBefore=12,
            spaceAfter=4,
        ),
        "h3": ParagraphStyle(
            "h3", base, fontName=bold, fontSize=11, leading=15, spaceBefore=8, spaceAfter=2
        ),
        "meta": ParagraphStyle("meta", base, fontSize=8.5, leading=12, textColor=MUTED),
        "quote": ParagraphStyle(
            "quote", base, leftIndent=8 * mm, textColor=colors.black, borderPadding=(2, 0, 2, 4)
        ),
        "cell": ParagraphStyle("cell", base, fontSize=8.5, leading=11),
        "item": ParagraphStyle(
            "item", base, fontSize=9, leading=12, leftIndent=4 * mm, bulletIndent=0
        ),
    }


def _p(text: str, style: str) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), _styles()[style])


def _rating(rating: str | None) -> Paragraph:
    label = (rating or "not judged").capitalize()
    colour = RATING_COLOURS.get(rating or "", "#eef0f2")
    return Paragraph(
        f'<font backColor="{colour}"><b> {escape(label)} </b></font>', _styles()["body"]
    )


def _needs_table(
    report: Report, needs: list[NeedRecord], numbers: dict[str, int], earlier: bool
) -> Table:
    head = ["What we need to know", "Owner", "Due", "About", "Status"]
    if earlier:
        head.insert(1, "Raised")
    rows = [[_p(h, "cell") for h in head]]
    for need in needs:
        about = []
        if need.outcome in numbers:
            about.append(f"outcome {numbers[need.outcome]}")
        if need.indicator_code:
            about.append(need.indicator_code)
        cells = [
            need.text,
            report.name(need.owner),
            f"{need.due:%d %b %Y}" if need.due else "",
            ", ".join(about),
            "still open" if earlier and need.status == "open" else need.status,
        ]
        if earlier:
            cells.insert(1, need.raised_in)
        rows.append([_p(c, "cell") for c in cells])
    widths = [0.42, 0.16, 0.14, 0.16, 0.12] if not earlier else [0.34, 0.12, 0.14, 0.12, 0.16, 0.12]
    table = Table(rows, colWidths=[w * WIDTH for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f5f7")),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#d5dbe1")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def as_pdf(report: Report) -> bytes:
    record = report.record
    numbers = record.numbers
    title = report.title
    story = [
        _p(title, "title"),
        _p(report.summary(), "meta"),
        _p("Outcomes", "h2"),
    ]
    if report.charts:
        story.append(_p(CHART_KEY, "meta"))
    if not record.outcomes:
        story.append(_p("No outcome statements agreed yet.", "body"))
    drawn: set[str] = set()
    for i, outcome in enumerate(record.outcomes, start=1):
        lines = outcome_lines(report, outcome)
        block = [
            _p(f"{i}. {outcome.text}", "h3"),
            _p(report.proposed(outcome), "meta"),
            Spacer(0, 2),
            _rating(outcome.rating if record.judged else None),
        ]
        if record.judged and outcome.rationale:
            block.append(_p(outcome.rationale, "quote"))
        story.append(KeepTogether(block))
        if lines.gap:
            story.append(_p("Evidence gap: nothing loaded bears on this outcome yet.", "item"))
        for line in lines.indicators:
            story.append(Paragraph(escape(line.text), _styles()["item"], bulletText="\u2022"))
        if lines.complaint_categories:
            story.append(_p("Complaints about " + ", ".join(lines.complaint_categories), "item"))
        if lines.view_themes:
            story.append(_p("User views on " + ", ".join(lines.view_themes), "item"))
        for question in lines.survey_questions:
            story.append(_p("Survey: " + question, "item"))
        for line in lines.indicators:
            png = report.charts.get(line.code)
            if png and line.code not in drawn:
                drawn.add(line.code)  # a chart shown for an earlier outcome is not repeated
                image = Image(io.BytesIO(png))
                scale = min(1.0, (WIDTH * 0.62) / image.drawWidth)
                image.drawWidth *= scale
                image.drawHeight *= scale
                story += [Spacer(0, 4), image]
    story += [_p("Overall", "h2"), _rating(record.overall_rating)]
    if record.overall_rationale:
        story.append(_p(record.overall_rationale, "quote"))
    story.append(_p("Information needs", "h2"))
    story.append(
        _needs_table(report, record.needs, numbers, False)
        if record.needs
        else _p("None raised.", "body")
    )
    story.append(_p("Needs from earlier reviews", "h2"))
    story.append(
        _needs_table(report, record.earlier_needs, numbers, True)
        if record.earlier_needs
        else _p("None were open.", "body")
    )

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(_fonts()[0], 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(18 * mm, 10 * mm, title)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"page {doc.page}")
        canvas.restoreState()

    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="QPR bot",
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
