"""The report as JSON, for other tools. Its shape is `report.schema.json`, beside this file;
fields are only ever added."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.shared.reports.report import Report, outcome_lines
from reviews.record import NeedRecord

SCHEMA_PATH = Path(__file__).with_name("report.schema.json")
SCHEMA_ID = "qpr-report/1"


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


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
    }


def report_json(report: Report) -> dict[str, Any]:
    record = report.record
    numbers = record.numbers
    outcomes = []
    for i, outcome in enumerate(record.outcomes, start=1):
        lines = outcome_lines(report, outcome)
        outcomes.append(
            {
                "number": i,
                "text": outcome.text,
                "proposed_by": outcome.proposer,
                "anonymous": outcome.anonymous,
                "supporters": outcome.supporters,
                "carried_over_from": outcome.carried_from,
                "rating": outcome.rating if record.judged else None,
                "rationale": outcome.rationale if record.judged else "",
                "evidence": {
                    "indicators": [
                        {
                            "code": line.code,
                            "title": line.title,
                            "unit": line.unit,
                            "value": line.value,
                            "period_end": _iso(line.period_end),
                            "reading": line.reading,
                            "assurance": line.assurance,
                            "variation": line.variation,
                            "summary": line.text,
                        }
                        for line in lines.indicators
                    ],
                    "complaint_categories": lines.complaint_categories,
                    "view_themes": lines.view_themes,
                    "survey_questions": lines.survey_questions,
                    "gap": lines.gap,
                },
            }
        )
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
        "outcomes": outcomes,
        "overall": {
            "rating": record.overall_rating,
            "rationale": record.overall_rationale,
        },
        "needs": [_need(n, numbers) for n in record.needs],
        "earlier_needs": [_need(n, numbers) for n in record.earlier_needs],
        "people": dict(sorted(report.names.items())),
    }


def dumps(report: Report) -> str:
    return json.dumps(report_json(report), indent=2, ensure_ascii=False) + "\n"
