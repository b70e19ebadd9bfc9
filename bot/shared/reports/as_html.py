"""The report as one self-contained HTML page (charts embedded) that prints cleanly."""

from __future__ import annotations

import base64
from html import escape

from bot.shared.charts import CHART_KEY
from bot.shared.reports.report import Report, outcome_lines
from reviews.record import NeedRecord

STYLE = """
:root { --ink: #1d2733; --muted: #5b6673; --rule: #d5dbe1; --accent: #005eb8; }
* { box-sizing: border-box; }
body { font: 15px/1.5 "Segoe UI", Arial, sans-serif; color: var(--ink); margin: 0; }
main { max-width: 52rem; margin: 0 auto; padding: 2rem 1.5rem 3rem; }
h1 { font-size: 1.7rem; margin: 0 0 .25rem; color: var(--accent); }
h2 { font-size: 1.25rem; border-bottom: 2px solid var(--accent); padding-bottom: .2rem;
     margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .3rem; }
.meta, .who { color: var(--muted); font-size: .9rem; }
.rating { display: inline-block; font-weight: 600; padding: .05rem .55rem; border-radius: 1rem;
          font-size: .9rem; }
.good-progress { background: #d8f0de; } .some-progress { background: #fdf1c7; }
.not-enough-progress { background: #f8d7d3; } .cannot-judge-yet { background: #e4e7eb; }
.not-judged { background: #eef0f2; color: var(--muted); }
blockquote { margin: .5rem 0; padding: .3rem .9rem; border-left: 3px solid var(--rule);
             white-space: pre-wrap; }
ul.evidence { padding-left: 1.2rem; margin: .4rem 0; }
figure { margin: .6rem 0; } figure img { max-width: 100%; border: 1px solid var(--rule); }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem;
         border-bottom: 1px solid var(--rule); }
th { background: #f3f5f7; }
.gap { color: #8a4b00; }
section.outcome { break-inside: avoid-page; }
@media print {
  body { font-size: 11pt; } main { max-width: none; padding: 0; }
  h2 { break-after: avoid; } figure { break-inside: avoid; }
  @page { size: A4; margin: 18mm 16mm; }
}
"""


def _rating(rating: str | None) -> str:
    label = rating or "not judged"
    return f'<span class="rating {label.replace(" ", "-")}">{escape(label.capitalize())}</span>'


def _quote(text: str) -> str:
    return f"<blockquote>{escape(text)}</blockquote>" if text else ""


def _need_rows(
    report: Report, needs: list[NeedRecord], numbers: dict[str, int], earlier: bool
) -> str:
    rows = []
    for need in needs:
        about = []
        if need.outcome in numbers:
            about.append(f"outcome {numbers[need.outcome]}")
        if need.indicator_code:
            about.append(escape(need.indicator_code))
        cells = [
            escape(need.text),
            escape(report.name(need.owner)),
            need.due.strftime("%d %b %Y") if need.due else "",
            ", ".join(about),
        ]
        if earlier:
            cells.insert(1, escape(need.raised_in))
        cells.append(escape(need.status if not earlier or need.status != "open" else "still open"))
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = ["What we need to know", "Owner", "Due", "About", "Status"]
    if earlier:
        head.insert(1, "Raised")
    return (
        "<table><thead><tr>"
        + "".join(f"<th>{h}</th>" for h in head)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def as_html(report: Report) -> str:
    record = report.record
    numbers = record.numbers
    title = report.title
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body><main>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{escape(report.summary())}</p>',
        "<h2>Outcomes</h2>",
    ]
    if report.charts:
        parts.append(f'<p class="meta">{escape(CHART_KEY)}</p>')
    if not record.outcomes:
        parts.append("<p>No outcome statements agreed yet.</p>")
    drawn: set[str] = set()
    for i, outcome in enumerate(record.outcomes, start=1):
        lines = outcome_lines(report, outcome)
        parts += [
            '<section class="outcome">',
            f"<h3>{i}. {escape(outcome.text)}</h3>",
            f'<p class="who">{escape(report.proposed(outcome))}</p>',
            f"<p>{_rating(outcome.rating if record.judged else None)}</p>",
            _quote(outcome.rationale if record.judged else ""),
        ]
        if lines.gap:
            parts.append('<p class="gap">Evidence gap: nothing loaded bears on it yet.</p>')
        items = [f"<li>{escape(line.text)}</li>" for line in lines.indicators]
        if lines.complaint_categories:
            items.append(
                f"<li>Complaints about {escape(', '.join(lines.complaint_categories))}</li>"
            )
        if lines.view_themes:
            items.append(f"<li>User views on {escape(', '.join(lines.view_themes))}</li>")
        items += [f"<li>Survey: {escape(q)}</li>" for q in lines.survey_questions]
        if items:
            parts.append('<ul class="evidence">' + "".join(items) + "</ul>")
        for line in lines.indicators:
            png = report.charts.get(line.code)
            if png and line.code not in drawn:
                drawn.add(line.code)  # a chart shown for an earlier outcome is not repeated
                data = base64.b64encode(png).decode()
                parts.append(
                    f'<figure><img alt="{escape(line.code)}: {escape(line.title)}" '
                    f'src="data:image/png;base64,{data}"></figure>'
                )
        parts.append("</section>")
    parts += [
        "<h2>Overall</h2>",
        f"<p>{_rating(record.overall_rating)}</p>",
        _quote(record.overall_rationale),
        "<h2>Information needs</h2>",
        _need_rows(report, record.needs, numbers, earlier=False)
        if record.needs
        else "<p>None raised.</p>",
        "<h2>Needs from earlier reviews</h2>",
        _need_rows(report, record.earlier_needs, numbers, earlier=True)
        if record.earlier_needs
        else "<p>None were open.</p>",
        f'<p class="meta">Made {report.generated_at:%d %B %Y %H:%M} UTC.</p>',
        "</main></body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"
