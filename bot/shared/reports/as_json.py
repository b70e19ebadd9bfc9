"""The report as JSON, for other tools. Its shape is `report.schema.json`, beside this file;
fields are only ever added. Every figure is rounded as it is published (an indicator's own
precision; survey and complaint shares to one place), so no float noise reaches a reader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.shared.icons import assurance_words, variation_words
from bot.shared.reports.report import OutcomeSection, Report, SummaryRow
from bot.shared.reports.words import indicator_name, indicator_text, latest_period, then_text
from reviews.evidence.model import (
    ComplaintSummary,
    IndicatorEvidence,
    Placement,
    SurveyFinding,
    ViewSummary,
    difference_unit,
)
from reviews.history import OutcomeStory
from reviews.pulse import QUESTIONS, SCALE, QuestionResult
from reviews.record import NeedRecord

SCHEMA_PATH = Path(__file__).with_name("report.schema.json")
SCHEMA_ID = "qpr-report/1"


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _one_place(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _need(need: NeedRecord, numbers: dict[str, int]) -> dict[str, Any]:
    return {
        "text": need.text,
        "owner": need.owner,
        "due": _iso(need.due),
        "status": need.status,
        "outcome": numbers.get(need.outcome) if need.outcome else None,
        "outcome_text": need.outcome,
        "indicator": need.indicator_code,
        "raised_in": need.raised_in,
        "closed_at": _iso(need.closed_at),
        "answer": need.answer if need.status == "done" else None,
        "dropped_because": need.answer if need.status == "dropped" else None,
        "answer_link": need.answer_link,
        "answer_file": need.answer_file,
    }


def _placement(p: Placement) -> dict[str, Any]:
    def shown(value: float | None) -> float | None:
        return None if value is None else round(value, p.decimals)

    return {
        "period": p.period_label,
        "peer_group": p.peer_group,
        "rank": p.rank,
        "of": p.of,
        "quartile": p.quartile,
        "team_value": shown(p.team_value),
        "peer_average": shown(p.peer_average),
        "gap_to_average": shown(p.gap_to_average),
        "england": shown(p.england),
        "council": p.council,
        "unit_words": p.unit_words,
        "gap_unit": difference_unit(p.unit, p.unit_words),
        "within_margin": p.within_margin,
    }


def indicator_json(e: IndicatorEvidence) -> dict[str, Any]:
    return {
        "code": e.code,
        "title": e.title,
        "unit": e.unit,
        "unit_words": e.unit_words,
        "decimals": e.decimals,
        "key": e.key,
        "from_area": e.from_area,
        "value": e.shown(e.rounded(e.latest.value)),
        "period_end": _iso(e.latest.period_end),
        "period": latest_period(e),
        "age_days": e.age_days,
        "target": e.rounded(e.target),
        "target_status": e.target_status,
        "base": e.base,
        "interval": e.shown_interval,
        "reading": e.reading,
        "variation": e.variation,
        "variation_side": e.variation_side,
        "variation_words": variation_words(e.variation, e.variation_side),
        "assurance": e.assurance,
        "assurance_words": assurance_words(e.assurance, e.assurance_why_not),
        "assurance_why_not": e.assurance_why_not,
        "change_from": _iso(e.change_from),
        "placement": _placement(e.placement) if e.placement is not None else None,
        "summary": f"{indicator_name(e)}: {indicator_text(e)}",
    }


def _summary_row(row: SummaryRow) -> dict[str, Any]:
    return {**indicator_json(row.indicator), "outcomes": row.outcomes}


def _survey(s: SurveyFinding) -> dict[str, Any]:
    return {
        "survey": s.survey,
        "wave": s.wave,
        "question": s.question,
        "positive": s.positive,
        "base": s.base,
        "percent": _one_place(s.percent),
        "ci_low": _one_place(s.ci_low),
        "ci_high": _one_place(s.ci_high),
        "previous_wave": s.previous_wave,
        "previous_percent": _one_place(s.previous_percent),
        "change": s.change,
        "small_base": s.small_base,
    }


def _complaints(c: ComplaintSummary | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {
        "period": c.period.label,
        "received": c.received,
        "previous_quarter": c.previous_quarter,
        "same_quarter_last_year": c.same_quarter_last_year,
        "decided": c.decided,
        "upheld_percent": _one_place(c.upheld_percent),
        "median_days_to_close": _one_place(c.median_days_to_close),
        "closed_within_target_percent": _one_place(c.closed_within_target_percent),
        "response_target_days": c.response_target_days,
        "open_at_period_end": c.open_at_period_end,
        "part": c.part,
        "categories": [
            {
                "category": k.category,
                "count": k.count,
                "previous_quarter": k.previous_quarter,
                "same_quarter_last_year": k.same_quarter_last_year,
                "open_at_period_end": k.open_at_period_end,
            }
            for k in c.categories
        ],
    }


def _views(v: ViewSummary | None) -> dict[str, Any] | None:
    if v is None:
        return None
    return {
        "period": v.period.label,
        "total": v.total,
        "part": v.part,
        "by_kind": v.by_kind,
        "by_theme": v.by_theme,
        "quotes": [
            {"month": f"{q.month:%Y-%m}", "kind": q.kind, "theme": q.theme, "text": q.text}
            for q in v.quotes
        ],
    }


def _before(story: OutcomeStory | None) -> dict[str, Any] | None:
    if story is None:
        return None
    return {
        "quarters": [
            {
                "period": q.period_label,
                "rating": q.rating,
                "rationale": q.rationale,
                "indicators": [
                    {
                        "code": i.code,
                        "value": i.value,
                        "period_end": i.period_end.isoformat(),
                        "variation": i.variation,
                        "variation_side": i.variation_side,
                        "words": then_text(i),
                    }
                    for i in q.indicators
                ],
            }
            for q in story.quarters
        ],
        "needs": [
            {"text": n.text, "raised_in": n.raised_in, "status": n.status, "answer": n.answer}
            for n in story.needs
        ],
    }


def _outcome(report: Report, section: OutcomeSection) -> dict[str, Any]:
    outcome, found = section.outcome, section.found
    return {
        "number": section.number,
        "text": outcome.text,
        "proposed_by": outcome.proposer,
        "anonymous": outcome.anonymous,
        "supporters": outcome.supporters,
        "carried_over_from": outcome.carried_from,
        "rating": report.rating(outcome),
        "rationale": report.rationale(outcome),
        "since_last_time": _before(outcome.before),
        "evidence": {
            "indicators": [indicator_json(e) for e in section.indicators],
            "complaint_categories": list(found.complaint_categories),
            "view_themes": list(found.view_themes),
            "survey_questions": list(found.survey_questions),
            "surveys": [_survey(s) for s in found.surveys],
            "complaints": _complaints(found.complaints),
            "views": _views(found.views),
            "gap": section.gap,
        },
    }


def report_json(report: Report) -> dict[str, Any]:
    record = report.record
    numbers = record.numbers
    evidence = report.evidence
    return {
        "schema": SCHEMA_ID,
        "team": record.team,
        "period": {
            "label": record.period_label,
            "start": _iso(record.period_start),
            "end": _iso(record.period_end),
        },
        "meeting_date": _iso(record.meeting_date),
        "status": report.status,
        "generated_at": _iso(report.generated_at),
        "facilitators": record.facilitators,
        "judged_by": record.judged_by if record.judged else None,
        "closed_at": _iso(record.closed_at),
        "summary": [_summary_row(row) for row in report.summary_rows],
        "outcomes": [_outcome(report, s) for s in report.sections],
        "overall": {
            "rating": record.overall_rating,
            "rationale": record.overall_rationale,
        },
        "whole_team": {
            "surveys": [_survey(s) for s in evidence.surveys],
            "complaints": _complaints(evidence.complaints),
            "views": _views(evidence.views),
            "placements": [{"code": p.code, **_placement(p)} for p in evidence.comparators],
        },
        "needs": [_need(n, numbers) for n in record.needs],
        "earlier_needs": [_need(n, numbers) for n in record.earlier_needs],
        "data_notes": [
            {"indicator": n.code, "kind": n.kind, "text": n.text} for n in report.data_notes
        ],
        "people": dict(sorted(report.names.items())),
        "pulse": _pulse(report),
    }


def _question(q: QuestionResult) -> dict[str, Any]:
    return {
        "question": q.question,
        "text": QUESTIONS[q.question],
        "answered": q.answered_cell,
        "shown": q.shown,
        "counts": {SCALE[s]: q.counts[s] for s in sorted(q.counts, reverse=True)}
        if q.shown
        else None,
        "agreeing_percent": _one_place(q.agreeing),
    }


def _pulse(report: Report) -> dict[str, Any]:
    this = report.this_pulse
    return {
        "asked": this is not None,
        "questions": [_question(q) for q in this.questions] if this else [],
        "comments": list(this.comments) if this else [],
        "history": [
            {"period": p.period_label, "questions": [_question(q) for q in p.questions]}
            for p in report.pulse
        ],
    }


def dumps(report: Report) -> str:
    return json.dumps(report_json(report), indent=2, ensure_ascii=False) + "\n"
