"""The report as one flat table, for a spreadsheet: a row per outcome, the overall
judgement, each need raised, each earlier need with what became of it; then the summary's
indicators and each outcome's other evidence (survey findings, complaints, user views and
their quotes). Columns are only ever added, at the end."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from bot.base.wording import (
    WITHHELD_NOTE,
    category_line,
    complaint_lines,
    placement_line,
    quote_text,
    title_text,
    unit_name,
)
from bot.shared import pulse_words
from bot.shared.reports.report import Report
from bot.shared.reports.words import (
    assurance_alt,
    latest_period,
    peers_cell,
    survey_text,
    then_text,
    variation_alt,
    views_heading,
    withholds,
)
from reviews.pulse import QUESTIONS, SCALE

COLUMNS = [
    "section",
    "number",
    "text",
    "rating",
    "rationale",
    "proposed_by",
    "supporters",
    "indicators",
    "owner",
    "due",
    "status",
    "raised_in",
    "answer",
    "answer_link",
    "code",
    "value",
    "period",
    "target",
    "variation",
    "assurance",
    "among_peers",
    "age_days",
    "unit",
]


def _found_rows(number: int | str, found, themes: list[str]) -> list[dict]:
    """Survey findings, complaints (a row for the totals, a row a category) and views (a row
    for the counts, a row a quote) of one outcome, or with no number of the whole team."""
    rows = [
        {
            "section": "survey",
            "number": number,
            "text": survey_text(s),
            "value": "" if s.percent is None else round(s.percent, 1),
            "period": s.wave,
            "unit": "percent",
        }
        for s in found.surveys
    ]
    c = found.complaints
    if c is not None:
        rows.append(
            {
                "section": "complaints",
                "number": number,
                "text": "; ".join(complaint_lines(c)),
                "value": c.received,
                "period": c.period.label,
                "unit": "complaints",
            }
        )
        rows += [
            {
                "section": "complaint category",
                "number": number,
                "text": category_line(k),
                "code": k.category,
                "value": k.count,
                "period": c.period.label,
                "unit": "complaints",
            }
            for k in c.categories
        ]
        if withholds(c):
            rows.append({"section": "note", "number": number, "text": WITHHELD_NOTE})
    v = found.views
    if v is not None:
        rows.append(
            {
                "section": "views",
                "number": number,
                "text": views_heading(themes, v),
                "value": v.total,
                "period": v.period.label,
                "unit": "views",
            }
        )
        rows += [{"section": "quote", "number": number, "text": quote_text(q)} for q in v.quotes]
    return rows


def _evidence_rows(report: Report) -> list[dict]:
    rows = []
    for row in report.summary_rows:
        e = row.indicator
        rows.append(
            {
                "section": "indicator",
                "number": "; ".join(map(str, row.outcomes)),
                "text": title_text(e),
                "code": e.code,
                "value": e.shown(e.rounded(e.latest.value)),
                "period": latest_period(e),
                "target": "" if e.target is None else e.rounded(e.target),
                "variation": variation_alt(e),
                "assurance": assurance_alt(e),
                "among_peers": peers_cell(e),
                "age_days": e.age_days,
                "unit": unit_name(e),
            }
        )
    for section in report.sections:
        rows += _found_rows(section.number, section.found, section.found.view_themes)
    # The whole team's, as the other formats show it under "The team as a whole".
    evidence = report.evidence
    rows += _found_rows("", replace(evidence, surveys=report.other_surveys), [])
    rows += [
        {
            "section": "among peers",
            "text": placement_line(p),
            "code": p.code,
            "value": p.team_value,
            "period": p.period_label,
            "unit": p.unit,
        }
        for p in evidence.comparators
    ]
    return rows


def as_csv(report: Report) -> str:
    record = report.record
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    numbers = record.numbers
    for section in report.sections:
        outcome = section.outcome
        writer.writerow(
            {
                "section": "outcome",
                "number": section.number,
                "text": outcome.text,
                "rating": report.rating(outcome) or "",
                "rationale": report.rationale(outcome),
                "proposed_by": "anonymous" if outcome.anonymous else report.name(outcome.proposer),
                "supporters": "; ".join(map(report.name, outcome.supporters)),
                "indicators": "; ".join(  # codes hold spaces ("ASCOF 2B(1)")
                    e.code for e in section.indicators
                ),
            }
        )
        # Carried over: how it was judged in each earlier quarter.
        for quarter in outcome.before.quarters if outcome.before else []:
            writer.writerow(
                {
                    "section": "judged before",
                    "number": section.number,
                    "text": outcome.text,
                    "rating": quarter.rating or "",
                    "rationale": quarter.rationale,
                    "period": quarter.period_label,
                    # Its linked indicators then, each with its reading.
                    "indicators": "; ".join(i.code for i in quarter.indicators),
                    "variation": "; ".join(map(then_text, quarter.indicators)),
                }
            )
    writer.writerow(
        {
            "section": "overall",
            "rating": record.overall_rating or "",
            "rationale": record.overall_rationale,
        }
    )
    for kind, needs in (("need", record.needs), ("earlier need", record.earlier_needs)):
        for need in needs:
            writer.writerow(
                {
                    "section": kind,
                    "number": numbers.get(need.outcome, "") if need.outcome else "",
                    "text": need.text,
                    "indicators": need.indicator_code or "",
                    "owner": report.name(need.owner),
                    "due": need.due.isoformat() if need.due else "",
                    "status": need.status,
                    "raised_in": need.raised_in,
                    # What was found, or why it was dropped (the status says which).
                    "answer": need.answer or "",
                    "answer_link": need.answer_link or need.answer_file or "",
                }
            )
    writer.writerows(_evidence_rows(report))
    writer.writerows(_pulse_rows(report))
    return out.getvalue()


def _pulse_rows(report: Report) -> list[dict]:
    """Each question: its share agreeing (or why not shown), then its answers on the scale
    once 5 have answered; then the comments, undated."""
    this = report.this_pulse
    if this is None:
        return []
    rows = []
    for q in this.questions:
        rows.append(
            {
                "section": "pulse",
                "number": q.question,
                "text": QUESTIONS[q.question],
                "status": pulse_words.answered_words(q),
                "value": "" if q.agreeing is None else f"{q.agreeing:.0f}",
                "unit": "percent agreeing" if q.agreeing is not None else "",
            }
        )
        rows += [
            {
                "section": "pulse answer",
                "number": q.question,
                "text": SCALE[s],
                "value": q.counts[s],
            }
            for s in sorted(q.counts, reverse=True)
        ]
    rows += [{"section": "pulse comment", "text": c} for c in this.comments]
    return rows
