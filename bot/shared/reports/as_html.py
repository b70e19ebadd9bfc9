"""The report as one self-contained HTML page: charts and icons travel inside it, no script,
nothing fetched. It is also the PDF's layout (as_pdf.py prints it), so its print styles
are the committee paper: A4, "page N of M", headings kept with what follows them. Its
order is its reading order, for screen readers and for the PDF's tags alike."""

from __future__ import annotations

import base64
from html import escape

from bot.base.wording import base_text, placement_line, quote_text, title_text, value_text
from bot.shared import pulse_words
from bot.shared.chart_words import chart_alt_text
from bot.shared.icons import (
    CHART_KEY,
    assurance_icon,
    assurance_words,
    variation_icon,
    variation_words,
)
from bot.shared.reports.chart_figures import figures_caption, figures_head, figures_rows
from bot.shared.reports.report import OutcomeSection, Report
from bot.shared.reports.words import (
    CATEGORY_HEADINGS,
    SUMMARY_CAPTION,
    age_text,
    answer_places,
    answer_words,
    assurance_alt,
    assurance_label,
    category_cells,
    complaint_text,
    complaints_caption,
    indicator_name,
    indicator_text,
    latest_period,
    long_date,
    peers_cell,
    place_name,
    rating_text,
    sentence,
    serves_text,
    since_lines,
    survey_text,
    target_cell,
    variation_alt,
    variation_label,
    views_heading,
)
from reviews.evidence.model import ComplaintSummary, IndicatorEvidence, ViewSummary
from reviews.pulse import QUESTIONS, SCALE, SHORT
from reviews.record import NeedRecord

LANG = "en-GB"

STYLE = """
:root { --ink: #1d2733; --muted: #4c5663; --rule: #d5dbe1; --accent: #005eb8;
        --shade: #f3f5f7; }
* { box-sizing: border-box; }
html { font-size: 16px; -webkit-text-size-adjust: 100%; }
body { font: 1rem/1.5 "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: var(--ink);
       margin: 0; }
main { max-width: 54rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 .6rem; color: var(--accent);
     string-set: doctitle content(); }
h2 { font-size: 1.3rem; line-height: 1.3; border-bottom: 2px solid var(--accent);
     padding-bottom: .15rem; margin: 1.8rem 0 .5rem; }
h3 { font-size: 1.1rem; margin: 1.2rem 0 .3rem; }
h4 { font-size: 1rem; margin: 1rem 0 .2rem; }
h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
p { margin: .3rem 0 .5rem; }
p, li, blockquote { orphans: 2; widows: 2; }
.muted, .who { color: var(--muted); font-size: .9rem; }
.rating { display: inline-block; font-weight: 700; padding: .05rem .55rem;
          border-radius: 1rem; background: #eef0f2; white-space: nowrap; }
.good-progress { background: #d8f0de; } .some-progress { background: #fdf1c7; }
.not-enough-progress { background: #f8d7d3; } .cannot-judge-yet { background: #e4e7eb; }
blockquote { margin: .4rem 0; padding: .2rem .8rem; border-left: 3px solid var(--rule);
             white-space: pre-wrap; }
ul { padding-left: 1.2rem; margin: .3rem 0; }
.indicator { break-inside: avoid; page-break-inside: avoid; }
figure { margin: .5rem 0 .8rem; break-inside: avoid; page-break-inside: avoid; }
img { max-width: 100%; height: auto; }
figure img { display: block; border: 1px solid var(--rule); }
img.icon { width: 2.4rem; height: 2.4rem; vertical-align: middle; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .3rem 0 .6rem; }
caption { caption-side: top; text-align: left; font-weight: 700; padding: 0 0 .25rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .45rem;
         border-bottom: 1px solid var(--rule); }
thead th { background: var(--shade); }
tr { break-inside: avoid; page-break-inside: avoid; }
table.facts { width: auto; }
table.facts th { font-weight: 700; padding-right: 1rem; white-space: nowrap; }
table.facts th, table.facts td { border: 0; padding: .05rem 1rem .05rem 0; }
table.summary td:first-child { width: 40%; }
table.summary td.icon { text-align: center; width: 11%; }
.reading { display: block; font-size: .85em; }
details.figures { margin: 0 0 .8rem; }
details.figures summary { cursor: pointer; color: var(--accent); font-weight: 700; }
table.figures { width: auto; font-size: .85rem; }
table.figures th, table.figures td { padding: .1rem .8rem .1rem 0; }
table.summary .code { font-weight: 700; white-space: nowrap; }
.small { font-size: .85em; color: var(--muted); display: block; }
.gap { color: #8a4b00; }
.key { display: grid; grid-template-columns: 1fr 1fr 1fr; gap: .3rem 1.2rem; list-style: none;
       padding: 0; break-inside: avoid; page-break-inside: avoid; }
.key li { display: flex; align-items: center; gap: .5rem; }

/* A phone: tables become one block a row, each cell named by its column. (The width is
   asked inside "screen", which WeasyPrint skips whole rather than warn about.) */
@media screen {
@media (max-width: 40rem) {
  html { font-size: 15px; }
  main { padding: 1rem .8rem 2rem; }
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
                      clip: rect(0 0 0 0); }
  table.stack, table.stack tbody, table.stack tr, table.stack td,
  table.stack tbody th { display: block; width: auto !important; }
  table.stack tr { border-bottom: 1px solid var(--rule); padding: .4rem 0; }
  table.stack td, table.stack tbody th { border: 0; padding: .1rem 0; text-align: left; }
  table.stack td[data-label]::before { content: attr(data-label) ": "; font-weight: 700;
                                       color: var(--muted); }
  table.summary td.icon { display: inline-block; margin-right: 1rem; }
  table.stack td:empty { display: none; }
  table.stack caption { display: block; }
  .key { grid-template-columns: 1fr; }
}
}

@page {
  size: A4;
  margin: 14mm 15mm 16mm;
  @bottom-left { content: string(doctitle); font: 7.5pt "DejaVu Sans", sans-serif;
                 color: #4c5663; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages);
                  font: 7.5pt "DejaVu Sans", sans-serif; color: #4c5663; }
}
@media print {
  html { font-size: 9pt; }
  body { line-height: 1.4; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 1.9rem; }
  h2 { margin-top: 1.2rem; }
  table { font-size: .92rem; }
  img.icon { width: 7mm; height: 7mm; }
  figure img { width: 110mm; }
  section.summary { break-after: page; }
  /* On paper the figures behind a chart are always shown, in columns to save pages. */
  details.figures summary { display: none; }
  details.figures { columns: 2; column-gap: 8mm; }
  table.figures { width: 100%; font-size: .8rem; }
  table.figures caption { font-size: .9rem; }
}
"""

RATINGS = ("good progress", "some progress", "not enough progress", "cannot judge yet")


def _data_uri(data: bytes, media: str) -> str:
    return f"data:{media};base64,{base64.b64encode(data).decode()}"


def rating_badge(rating: str | None) -> str:
    css = rating.replace(" ", "-") if rating in RATINGS else "not-judged"
    return f'<span class="rating {css}">{escape(rating_text(rating))}</span>'


def quote_html(text: str) -> str:
    return f"<blockquote>{escape(text)}</blockquote>" if text else ""


def icon_img(svg: bytes, alt: str) -> str:
    return f'<img class="icon" alt="{escape(alt)}" src="{_data_uri(svg, "image/svg+xml")}">'


def _list(lines: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"


def html_table(
    caption: str,
    head: list[str],
    rows: list[list[str]],
    css: str = "stack",
    classes: dict | None = None,
) -> str:
    """A table whose cells are already HTML, with its caption (plain words: what the table
    holds); on a phone each row stacks, each cell named by its column. `classes` gives a
    column's cells a class, by the column's heading."""
    labels = [escape(h) for h in head]
    marks = [f' class="{(classes or {})[h]}"' if h in (classes or {}) else "" for h in head]
    body = "".join(
        "<tr>"
        + "".join(
            f'<td{mark} data-label="{label}">{cell}</td>'
            for label, mark, cell in zip(labels, marks, row, strict=True)
        )
        + "</tr>"
        for row in rows
    )
    return (
        f'<table class="{css}"><caption>{escape(caption)}</caption><thead><tr>'
        + "".join(f'<th scope="col">{label}</th>' for label in labels)
        + f"</tr></thead><tbody>{body}</tbody></table>"
    )


def _facts(report: Report) -> str:
    record = report.record
    facts = [
        (
            "Quarter",
            f"{record.period_label}: {long_date(record.period_start)} to "
            f"{long_date(record.period_end)}",
        ),
        ("Meeting", long_date(record.meeting_date) if record.meeting_date else "not set"),
        ("Status", report.status.capitalize()),
        ("Facilitated by", ", ".join(map(report.name, record.facilitators)) or "nobody"),
    ]
    if report.judged_by:
        facts.append(("Judgement recorded", report.judged_by))
    rows = "".join(
        f'<tr><th scope="row">{escape(k)}</th><td>{escape(v)}</td></tr>' for k, v in facts
    )
    return f'<table class="facts"><caption>About this review</caption><tbody>{rows}</tbody></table>'


def _glance(report: Report) -> str:
    rows = [
        [f"{s.number}. {escape(s.outcome.text)}", rating_badge(report.rating(s.outcome))]
        for s in report.sections
    ]
    rows.append(["<strong>Overall</strong>", rating_badge(report.record.overall_rating)])
    return html_table(
        "The judgement of each outcome, and overall", ["Outcome", "Judgement"], rows, "stack glance"
    )


def reading_cell(svg: bytes, alt: str, words: str) -> str:
    """An icon with its reading in words beside it: the icon alone would leave the reading
    to the eye, and its colour."""
    return icon_img(svg, alt) + f'<span class="reading">{escape(words)}</span>'


def indicator_cells(e: IndicatorEvidence, why: str = "") -> list[str]:
    """An indicator in a summary table: its name (and why it is there), latest figure with
    its period and age, and its variation and assurance icons, each with its words."""
    base = base_text(e)
    return [
        f'<span class="code">{escape(e.code)}</span> {escape(title_text(e))}'
        + (f'<span class="small">{escape(why)}</span>' if why else ""),
        f"{escape(value_text(e, e.latest.value))}"
        f'<span class="small">{escape(latest_period(e))}</span>'
        f'<span class="small">{escape(age_text(e))}</span>'
        + (f'<span class="small">{escape(base)}</span>' if base else ""),
        reading_cell(
            variation_icon(e.variation, e.variation_side), variation_alt(e), variation_label(e)
        ),
        reading_cell(assurance_icon(e.assurance), assurance_alt(e), assurance_label(e)),
    ]


def _summary_table(report: Report) -> str:
    rows = []
    for row in report.summary_rows:
        e = row.indicator
        name, latest, variation, assurance = indicator_cells(e, serves_text(row.outcomes, e.key))
        rows.append(
            [name, latest, escape(target_cell(e)), variation, assurance, escape(peers_cell(e))]
        )
    return html_table(
        SUMMARY_CAPTION,
        ["Indicator", "Latest", "Target", "Variation", "Assurance", "Among peers"],
        rows,
        "stack summary",
        {"Variation": "icon", "Assurance": "icon"},
    )


def _indicator(report: Report, e: IndicatorEvidence, shown: set[str]) -> list[str]:
    parts = [
        '<div class="indicator">',
        f"<h4>{escape(indicator_name(e))}</h4>",
        f"<p>{escape(indicator_text(e))}</p>",
    ]
    if e.placement:
        parts.append(f"<p>Among peers: {escape(placement_line(e.placement))}.</p>")
    png = report.charts.get(e.code)
    figures = ""
    if png and e.code in shown:
        parts.append('<p class="muted">Its chart is shown under an earlier outcome.</p>')
    elif png:
        shown.add(e.code)
        parts.append(
            f'<figure><img alt="{escape(chart_alt_text(e))}" src="{_data_uri(png, "image/png")}">'
            "</figure>"
        )
        figures = figures_table(e)
    parts.append("</div>")
    # After the block kept on one page: the table may run over several.
    if figures:
        parts.append(figures)
    return parts


def figures_table(e: IndicatorEvidence) -> str:
    """The chart's figures as a table, folded away under the chart on a screen, shown in
    full on paper."""
    rows = [[escape(cell) for cell in row] for row in figures_rows(e)]
    table = html_table(figures_caption(e), figures_head(e), rows, "stack figures")
    return (
        f'<details class="figures"><summary>{escape(e.code)}: the chart\'s figures as a '
        f"table</summary>{table}</details>"
    )


def _complaints(title: str, c: ComplaintSummary) -> list[str]:
    parts = [f"<h3>{escape(title)}</h3>", _list(complaint_text(c, table=True))]
    if c.categories:
        rows = [[escape(cell) for cell in category_cells(k)] for k in c.categories]
        parts.append(html_table(complaints_caption(title, c), CATEGORY_HEADINGS, rows))
    return parts


def _views(themes: list[str], v: ViewSummary) -> list[str]:
    parts = [f"<h3>{escape(views_heading(themes, v))}</h3>"]
    parts += [f"<blockquote>{escape(quote_text(q))}</blockquote>" for q in v.quotes]
    return parts


def _outcome(report: Report, section: OutcomeSection, shown: set[str]) -> list[str]:
    outcome, found = section.outcome, section.found
    parts = [
        f'<section class="outcome" aria-labelledby="outcome-{section.number}">',
        f'<h2 id="outcome-{section.number}">Outcome {section.number}: {escape(outcome.text)}</h2>',
        f'<p class="who">{escape(report.proposed(outcome))}</p>',
        f"<p>Judgement: {rating_badge(report.rating(outcome))}</p>",
        quote_html(report.rationale(outcome)),
    ]
    if outcome.before is not None:
        parts += ["<h3>Since last time</h3>", _list(since_lines(outcome.before))]
    if section.gap:
        parts.append('<p class="gap">Evidence gap: nothing loaded bears on it yet.</p>')
    if section.indicators:
        parts.append("<h3>Indicators</h3>")
        for e in section.indicators:
            parts += _indicator(report, e, shown)
    if found.surveys:
        parts += ["<h3>Survey findings</h3>", _list([survey_text(s) for s in found.surveys])]
    if found.complaints is not None:
        about = ", ".join(found.complaint_categories)
        parts += _complaints(f"Complaints about {about}", found.complaints)
    if found.views is not None:
        parts += _views(found.view_themes, found.views)
    parts.append("</section>")
    return parts


def _team(report: Report, shown: set[str]) -> list[str]:
    evidence = report.evidence
    parts = [
        '<section class="team">',
        "<h2>The team as a whole</h2>",
        f'<p class="muted">Everything in {escape(evidence.period.label)}, whether or not an '
        "outcome is linked to it.</p>",
    ]
    if report.other_key:
        parts += [
            "<h3>Other key indicators</h3>",
            '<p class="muted">Key indicators that no outcome is linked to.</p>',
        ]
        for e in report.other_key:
            parts += _indicator(report, e, shown)
    if report.other_surveys:
        parts += [
            "<h3>Survey findings no outcome is linked to</h3>",
            _list([survey_text(s) for s in report.other_surveys]),
        ]
    parts += _complaints("All complaints", evidence.complaints)
    parts += _views([], evidence.views)
    if evidence.comparators:
        parts += [
            "<h3>Places among peers</h3>",
            "<ul>"
            + "".join(
                f"<li><strong>{escape(place_name(p, report.indicators.get(p.code)))}</strong>: "
                f"{escape(placement_line(p))}</li>"
                for p in evidence.comparators
            )
            + "</ul>",
        ]
    parts.append("</section>")
    return parts


def _needs(report: Report, needs: list[NeedRecord], earlier: bool) -> str:
    numbers = report.record.numbers
    rows = []
    for need in needs:
        about = []
        if need.outcome in numbers:
            about.append(f"outcome {numbers[need.outcome]}")
        elif need.outcome:
            about.append(need.outcome)
        if need.indicator_code:
            about.append(need.indicator_code)
        cells = [
            need.text,
            report.name(need.owner) or "nobody",
            f"{need.due:%d %b %Y}" if need.due else "",
            ", ".join(about),
        ]
        if earlier:
            cells.insert(1, need.raised_in)
            cells.append("still open" if need.status == "open" else need.status)
        else:
            cells.append(need.status)
        row = [escape(c) for c in cells]
        if earlier:
            row.append(_answer(need))
        rows.append(row)
    head = ["What we need to know", "Owner", "Due", "About", "Status"]
    if earlier:
        head.insert(1, "Raised in")
        head.append("What we found")
    caption = (
        "Needs from earlier reviews, and what became of them"
        if earlier
        else "Information needs raised in this review"
    )
    return html_table(caption, head, rows)


def _answer(need: NeedRecord) -> str:
    """A settled need's finding (or why it was dropped), with its link and file: HTML."""
    if not need.answer:
        return ""
    places = [f'<a href="{escape(url)}">{escape(name)}</a>' for name, url in answer_places(need)]
    found = f"{escape(answer_words(need.status))} {escape(need.answer)}"
    return found + (f" ({', '.join(places)})" if places else "")


def icon_key() -> list[str]:
    variations = [
        ("common_cause", None),
        ("special_cause_improvement", "high"),
        ("special_cause_concern", "low"),
        ("special_cause_neutral", "high"),
        (None, None),
    ]
    assurances = ["consistent_pass", "consistent_fail", "inconsistent", None]
    variation = [
        f"<li>{icon_img(variation_icon(v, side), variation_words(v, side))}"
        f"<span>{escape(sentence(variation_words(v, side)))}</span></li>"
        for v, side in variations
    ]
    assurance = [
        f"<li>{icon_img(assurance_icon(a), assurance_words(a))}"
        f"<span>{escape(sentence(assurance_words(a)))}</span></li>"
        for a in assurances
    ]
    return [
        "<h3>How to read the icons and charts</h3>",
        "<p>Variation (Making Data Count): is the latest figure a real change or noise? H or L "
        "says whether a signal is high or low; its last two marks are shaped as the chart's "
        "points are: upward triangles improvement, downward triangles concern, squares a "
        "change that is neither.</p>",
        '<ul class="key">' + "".join(variation) + "</ul>",
        "<p>Assurance: will the target be met, going by the limits of ordinary variation?</p>",
        '<ul class="key">' + "".join(assurance) + "</ul>",
        f"<p>{escape(CHART_KEY)}</p>",
    ]


def _pulse(report: Report) -> list[str]:
    parts = [
        '<section class="pulse">',
        f"<h2>{escape(pulse_words.TITLE)}</h2>",
        f"<p>{escape(pulse_words.ASKED)}</p>",
    ]
    this = report.this_pulse
    if this is None:
        parts.append("<p>Asked once the judgement is recorded.</p>")
    else:
        for q in this.questions:
            parts.append(f"<h3>{escape(QUESTIONS[q.question])}</h3>")
            said = pulse_words.agreeing_text(q)
            parts.append(f"<p>{escape(said[0].upper() + said[1:])}.</p>")
            if q.shown:
                rows = [
                    [escape(SCALE[s]), escape(str(q.counts[s]))]
                    for s in sorted(SCALE, reverse=True)
                ]
                parts.append(
                    html_table(
                        f"Answers to question {q.question}, on the scale",
                        ["Answer", "People"],
                        rows,
                    )
                )
        if this.comments:
            parts += ["<h3>Comments</h3>", *(quote_html(c) for c in this.comments)]
    if len(report.pulse) > 1:
        rows = [
            [escape(p.period_label), *(escape(pulse_words.agreeing_text(q)) for q in p.questions)]
            for p in report.pulse
        ]
        head = ["Review", *(SHORT[q] for q in QUESTIONS)]
        parts.append(html_table("The team's answers over its last reviews", head, rows))
        parts.append(f"<p>{escape(pulse_words.CAUTION)}</p>")
    parts.append("</section>")
    return parts


def as_html(report: Report) -> str:
    record = report.record
    title = report.title
    shown: set[str] = set()
    parts = [
        "<!doctype html>",
        f'<html lang="{LANG}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f'<meta name="description" content="The record of the Quarterly Performance Review '
        f'of {escape(record.team)} for {escape(record.period_label)}">',
        f'<meta name="dcterms.created" content="{report.generated_at:%Y-%m-%dT%H:%M:%SZ}">',
        f"<style>{STYLE}</style></head><body><main>",
        '<section class="summary">',
        f"<h1>{escape(title)}</h1>",
        _facts(report),
        "<h2>Judgements at a glance</h2>",
        _glance(report) if record.outcomes else "<p>No outcome statements agreed yet.</p>",
        "<h2>Key and linked indicators</h2>",
    ]
    if report.summary_rows:
        parts.append(_summary_table(report))
    else:
        parts.append("<p>No indicators are key or linked to an outcome.</p>")
    parts.append("</section>")
    for section in report.sections:
        parts += _outcome(report, section, shown)
    parts += [
        '<section class="overall">',
        "<h2>Overall</h2>",
        f"<p>Judgement: {rating_badge(record.overall_rating)}</p>",
        quote_html(record.overall_rationale),
        "</section>",
    ]
    parts += _team(report, shown)
    parts += [
        '<section class="needs">',
        "<h2>Information needs</h2>",
        _needs(report, record.needs, earlier=False) if record.needs else "<p>None raised.</p>",
        "<h2>Needs from earlier reviews</h2>",
        _needs(report, record.earlier_needs, earlier=True)
        if record.earlier_needs
        else "<p>None were open.</p>",
        "</section>",
    ]
    parts += _pulse(report)
    parts += [
        '<section class="about">',
        "<h2>About the data</h2>",
    ]
    if report.data_notes:
        parts += [
            "<h3>Data notes</h3>",
            _list([f"{n.code}: {n.text}" for n in report.data_notes]),
        ]
    parts += icon_key()
    parts += [
        f'<p class="muted">Made {report.generated_at:%d %B %Y %H:%M} UTC.</p>',
        "</section>",
        "</main></body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"
