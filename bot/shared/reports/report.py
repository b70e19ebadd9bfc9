"""A review's report: its record, with the evidence that bore on each outcome and the
charts that show it. Every format is written from this one gathering."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlmodel import Session

from bot.base.wording import (
    context_text,
    format_value,
    latest_text,
    target_text,
    title_text,
)
from bot.shared.people import known_names, people_in
from reviews.evidence.model import Evidence, IndicatorEvidence
from reviews.evidence.quality import indicator_notes
from reviews.record import OutcomeRecord, ReviewRecord, review_record
from storage.models import Review, Team
from storage.periods import Period


@dataclass(frozen=True)
class IndicatorLine:
    code: str
    title: str
    unit: str
    value: float | str | None
    period_end: date | None
    reading: str
    assurance: str | None
    variation: str | None
    text: str  # the whole line, as a person reads it


@dataclass(frozen=True)
class OutcomeEvidenceLines:
    indicators: list[IndicatorLine]
    complaint_categories: list[str]
    view_themes: list[str]
    survey_questions: list[str] = field(default_factory=list)

    @property
    def gap(self) -> bool:
        return not (
            self.indicators
            or self.complaint_categories
            or self.view_themes
            or self.survey_questions
        )


@dataclass(frozen=True)
class Report:
    record: ReviewRecord
    evidence: Evidence
    per_outcome: dict[int, OutcomeEvidenceLines]
    charts: dict[str, bytes] = field(default_factory=dict)  # by indicator code
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    names: dict[str, str] = field(default_factory=dict)  # Slack user id: name

    def name(self, user: str | None) -> str:
        """A person as the report shows them: their Slack name, else their user id."""
        return self.names.get(user or "", user or "")

    @property
    def title(self) -> str:
        return f"QPR {self.record.period_label}: {self.record.team}"

    def summary(self) -> str:
        """The quarter, the meeting, where the review stands, and who facilitates."""
        record = self.record
        parts = [f"{record.period_start:%d %B %Y} to {record.period_end:%d %B %Y}"]
        if record.meeting_date:
            parts.append(f"meeting {record.meeting_date:%d %B %Y}")
        parts.append(f"status: {self.status}")
        if record.judged and record.closed_at:
            judge = self.name(record.judged_by)
            parts.append(f"judgement recorded {record.closed_at:%d %B %Y} by {judge}")
        facilitators = ", ".join(map(self.name, record.facilitators))
        return "; ".join(parts) + f". Facilitators: {facilitators}."

    def proposed(self, outcome: OutcomeRecord) -> str:
        """Who proposed an outcome, where it came from, and who supports it."""
        who = (
            "Proposed anonymously"
            if outcome.anonymous
            else f"Proposed by {self.name(outcome.proposer)}"
        )
        if outcome.carried_from:
            who += f", carried over from {outcome.carried_from}"
        if outcome.supporters:
            who += "; supported by " + ", ".join(map(self.name, outcome.supporters))
        return who + "."

    @property
    def status(self) -> str:
        if self.record.judged:
            return "judged"
        return "closed without a judgement" if self.record.stage == "closed" else "in progress"


def indicator_line(e: IndicatorEvidence) -> IndicatorLine:
    parts = [latest_text(e)]
    if e.target is not None:
        parts.append(target_text(e))
    parts += context_text(e)
    parts.append(e.reading)
    parts += [note.text for note in indicator_notes(e)]
    return IndicatorLine(
        code=e.code,
        title=e.title,
        unit=e.unit,
        value=e.shown(e.latest.value),
        period_end=e.latest.period_end,
        reading=e.reading,
        assurance=e.assurance,
        variation=e.variation,
        text=f"{e.code} {title_text(e)}: " + "; ".join(parts),
    )


def build_report(
    session: Session,
    review: Review,
    as_of: date,
    fy_start_month: int = 4,
    charts: bool = True,
) -> Report:
    # Loaded here: pandas and matplotlib are needed only when a report is made.
    from bot.shared.charts import indicator_chart
    from reviews.evidence import build_evidence

    team = session.get(Team, review.team_id)
    period = Period(review.period_start, review.period_end, review.period_label)
    evidence = build_evidence(session, team.name, period, as_of, fy_start_month)
    by_code = {e.code: e for e in evidence.indicators}
    per_outcome = {}
    for found in evidence.outcomes:
        per_outcome[found.outcome_id] = OutcomeEvidenceLines(
            [indicator_line(by_code[c]) for c in found.indicator_codes if c in by_code],
            list(found.complaint_categories),
            list(found.view_themes),
            list(found.survey_questions),
        )
    drawn: dict[str, bytes] = {}
    if charts:
        for lines in per_outcome.values():
            for line in lines.indicators:
                if line.code not in drawn:
                    png = indicator_chart(by_code[line.code])
                    if png is not None:
                        drawn[line.code] = png
    record = review_record(session, review)
    names = known_names(session, people_in(record))
    return Report(record, evidence, per_outcome, drawn, names=names)


def outcome_lines(report: Report, outcome: OutcomeRecord) -> OutcomeEvidenceLines:
    return report.per_outcome.get(outcome.id) or OutcomeEvidenceLines([], [], [])


def value_text(line: IndicatorLine) -> str:
    return format_value(line.value, line.unit)
