"""Every team's review of a quarter as one HTML page, and the same page printed to a tagged
A4 PDF: the team report's styles and icons, so the two papers read alike."""

from __future__ import annotations

from html import escape

from bot.shared import pulse_words
from bot.shared.reports.as_html import (
    LANG,
    STYLE,
    html_table,
    icon_key,
    indicator_cells,
    quote_html,
    rating_badge,
)
from bot.shared.reports.markdown import slug
from bot.shared.reports.tagged_pdf import tagged_pdf
from bot.shared.reports.teams import (
    TeamsReport,
    before_text,
    meeting_text,
    meeting_words,
    needs_text,
    outcomes_caption,
    stage_text,
    summary_text,
    teams_caption,
)
from bot.shared.reports.words import key_indicators_caption, peers_cell, target_cell
from reviews.overview import TeamLine

EXTRA_STYLE = """
.late { color: #8a1c00; font-weight: 700; }
section.team-overview { break-inside: auto; }
"""


def _late(t: TeamLine) -> str:
    return f'<span class="late">Late: {escape(t.late)}</span>' if t.late else ""


def section_ids(report: TeamsReport) -> list[str]:
    """Each team's section's id, named after the team ("team-older-people-s-services"), so
    that a link to it says where it goes; numbered where two names would give one id."""
    ids: list[str] = []
    for n, t in enumerate(report.teams, start=1):
        made = f"team-{slug(t.team)}"
        ids.append(made if made not in ids and made != "team-" else f"team-{n}")
    return ids


def _summary(report: TeamsReport, ids: list[str]) -> str:
    rows = [
        [
            f'<a href="#{anchor}">{escape(t.team)}</a>',
            escape(stage_text(t)),
            escape(meeting_text(t)),
            rating_badge(t.overall),
            escape(needs_text(t)),
            _late(t),
        ]
        for anchor, t in zip(ids, report.teams, strict=True)
    ]
    return html_table(
        teams_caption(report),
        ["Team", "Review", "Meeting", "Overall", "Needs", "Late"],
        rows,
    )


def _key_indicators(t: TeamLine) -> str:
    """The team report's summary columns, so the two papers read alike."""
    rows = []
    for e in t.key:
        name, latest, variation, assurance = indicator_cells(e)
        rows.append(
            [name, latest, escape(target_cell(e)), variation, assurance, escape(peers_cell(e))]
        )
    return html_table(
        key_indicators_caption(t.team),
        ["Key indicator", "Latest", "Target", "Variation", "Assurance", "Among peers"],
        rows,
        "stack summary",
        {"Variation": "icon", "Assurance": "icon"},
    )


def _team(t: TeamLine, anchor: str) -> list[str]:
    parts = [
        f'<section class="team-overview" aria-labelledby="{anchor}">',
        f'<h2 id="{anchor}">{escape(t.team)}</h2>',
        f"<p>{_late(t)}</p>" if t.late else "",
        f"<p>Review: {escape(stage_text(t))}; {escape(meeting_words(t))}. "
        f"{escape(before_text(t))}</p>",
    ]
    if t.outcomes:
        rows = [
            [
                escape(o.text) + (' <span class="small">carried over</span>' if o.carried else ""),
                rating_badge(o.rating),
            ]
            for o in t.outcomes
        ]
        rows.append(["<strong>Overall</strong>", rating_badge(t.overall)])
        parts.append(
            html_table(
                outcomes_caption(t.team),
                ["Outcome", "Judgement"],
                rows,
                "stack glance",
            )
        )
    else:
        parts.append("<p>No outcome statements agreed yet.</p>")
    parts.append(quote_html(t.overall_rationale))
    parts.append(f"<p>Information needs: {escape(needs_text(t))}.</p>")
    if t.pulse is not None:
        said = escape(pulse_words.history_line(t.pulse))
        parts.append(f"<p><strong>{escape(pulse_words.TITLE)}</strong> {said}.</p>")
    if t.key:
        parts += ["<h3>Key indicators</h3>", _key_indicators(t)]
    parts.append("</section>")
    return parts


def as_html(report: TeamsReport) -> str:
    title = report.title
    ids = section_ids(report)
    parts = [
        "<!doctype html>",
        f'<html lang="{LANG}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f'<meta name="description" content="Every team\'s Quarterly Performance Review of '
        f'{escape(report.overview.period.label)}">',
        f'<meta name="dcterms.created" content="{report.generated_at:%Y-%m-%dT%H:%M:%SZ}">',
        f"<style>{STYLE}{EXTRA_STYLE}</style></head><body><main>",
        '<section class="summary">',
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(summary_text(report))}</p>",
        _summary(report, ids) if report.teams else "<p>No teams yet.</p>",
        "</section>",
    ]
    for anchor, t in zip(ids, report.teams, strict=True):
        parts += _team(t, anchor)
    parts += [
        '<section class="about">',
        "<h2>About the data</h2>",
        "<p>Each team's own report has the evidence behind its judgements. Variation and "
        "assurance are Making Data Count readings of each key indicator; where there is no "
        "reading, the reason is given.</p>",
        *icon_key(),
        f'<p class="muted">Made {report.generated_at:%d %B %Y %H:%M} UTC.</p>',
        "</section>",
        "</main></body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def as_pdf(report: TeamsReport) -> bytes:
    return tagged_pdf(as_html(report))
