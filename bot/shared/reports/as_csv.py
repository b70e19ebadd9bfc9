"""The report as one flat table, for a spreadsheet: a row per outcome, the overall
judgement, each need raised, and each earlier need with what became of it."""

from __future__ import annotations

import csv
import io

from bot.shared.reports.report import Report, outcome_lines

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
]


def as_csv(report: Report) -> str:
    record = report.record
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    numbers = record.numbers
    for i, outcome in enumerate(record.outcomes, start=1):
        writer.writerow(
            {
                "section": "outcome",
                "number": i,
                "text": outcome.text,
                "rating": outcome.rating if record.judged else "",
                "rationale": outcome.rationale if record.judged else "",
                "proposed_by": "anonymous" if outcome.anonymous else report.name(outcome.proposer),
                "supporters": "; ".join(map(report.name, outcome.supporters)),
                "indicators": "; ".join(  # codes hold spaces ("ASCOF 2B(1)")
                    line.code for line in outcome_lines(report, outcome).indicators
                ),
            }
        )
    writer.writerow(
        {
            "section": "overall",
            "rating": record.overall_rating or "",
            "rationale": record.overall_rationale,
        }
    )
    for section, needs in (("need", record.needs), ("earlier need", record.earlier_needs)):
        for need in needs:
            writer.writerow(
                {
                    "section": section,
                    "number": numbers.get(need.outcome, "") if need.outcome else "",
                    "text": need.text,
                    "indicators": need.indicator_code or "",
                    "owner": report.name(need.owner),
                    "due": need.due.isoformat() if need.due else "",
                    "status": need.status,
                    "raised_in": need.raised_in,
                }
            )
    return out.getvalue()
