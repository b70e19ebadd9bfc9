"""A review's report: its record, with the evidence that bore on each outcome and the
charts that show it. Every format is written from this one gathering, in one order: a
summary a committee reads first, then each outcome with all its evidence, then the needs,
then notes on the data and how to read it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import cached_property

from sqlmodel import Session

from bot.shared.people import known_names, people_in
from bot.shared.reports.words import long_date
from reviews import pulse
from reviews.evidence.model import Evidence, IndicatorEvidence, OutcomeEvidence, SurveyFinding
from reviews.evidence.quality import DataNote, indicator_notes
from reviews.periods import period_of
from reviews.pulse import PulseResult
from reviews.record import OutcomeRecord, ReviewRecord, review_record
from storage.db import SessionFactory
from storage.models import Review, Team


@dataclass(frozen=True)
class OutcomeSection:
    """One agreed outcome with everything that bears on it."""

    number: int
    outcome: OutcomeRecord
    indicators: list[IndicatorEvidence]
    found: OutcomeEvidence

    @property
    def gap(self) -> bool:
        return not (
            self.indicators
            or self.found.complaint_categories
            or self.found.view_themes
            or self.found.survey_questions
        )


@dataclass(frozen=True)
class SummaryRow:
    """An indicator in the summary table: a key indicator, or one an outcome is linked to."""

    indicator: IndicatorEvidence
    outcomes: list[int]  # the numbers of the outcomes it bears on


@dataclass(frozen=True)
class Report:
    record: ReviewRecord
    evidence: Evidence
    charts: dict[str, bytes] = field(default_factory=dict)  # by indicator code
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    names: dict[str, str] = field(default_factory=dict)  # Slack user id: name
    # The pulse of the team's last reviews up to this one (oldest first; this one last when
    # its judgement is recorded).
    pulse: list[PulseResult] = field(default_factory=list)

    @property
    def this_pulse(self) -> PulseResult | None:
        found = [p for p in self.pulse if p.period_label == self.record.period_label]
        return found[0] if found else None

    def name(self, user: str | None) -> str:
        """A person as the report shows them: their Slack name, else their user id."""
        return self.names.get(user or "", user or "")

    @property
    def title(self) -> str:
        return f"QPR {self.record.period_label}: {self.record.team}"

    def summary(self) -> str:
        """The quarter, the meeting, where the review stands, and who facilitates."""
        record = self.record
        parts = [f"{long_date(record.period_start)} to {long_date(record.period_end)}"]
        if record.meeting_date:
            parts.append(f"meeting {long_date(record.meeting_date)}")
        parts.append(f"status: {self.status}")
        if self.judged_by:
            parts.append(f"judgement recorded {self.judged_by}")
        facilitators = ", ".join(map(self.name, record.facilitators))
        return "; ".join(parts) + f". Facilitators: {facilitators}."

    @property
    def judged_by(self) -> str:
        """Who recorded the judgement and when, or "" before it is recorded."""
        record = self.record
        if not (record.judged and record.closed_at):
            return ""
        return f"{long_date(record.closed_at)} by {self.name(record.judged_by)}"

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

    def rating(self, outcome: OutcomeRecord) -> str | None:
        """An outcome's rating once the judgement is recorded (before that, a draft)."""
        return outcome.rating if self.record.judged else None

    def rationale(self, outcome: OutcomeRecord) -> str:
        return outcome.rationale if self.record.judged else ""

    @cached_property
    def indicators(self) -> dict[str, IndicatorEvidence]:
        return {e.code: e for e in self.evidence.indicators}

    @cached_property
    def sections(self) -> list[OutcomeSection]:
        found = {o.outcome_id: o for o in self.evidence.outcomes}
        sections = []
        for number, outcome in enumerate(self.record.outcomes, start=1):
            evidence = found.get(outcome.id) or OutcomeEvidence(
                outcome.id, outcome.text, [], [], []
            )
            indicators = [
                self.indicators[c] for c in evidence.indicator_codes if c in self.indicators
            ]
            sections.append(OutcomeSection(number, outcome, indicators, evidence))
        return sections

    @cached_property
    def summary_rows(self) -> list[SummaryRow]:
        """The key indicators, then those linked to an outcome, each once."""
        serves: dict[str, list[int]] = {}
        for section in self.sections:
            for e in section.indicators:
                serves.setdefault(e.code, []).append(section.number)
        key = [e for e in self.evidence.indicators if e.key]
        linked = [self.indicators[c] for c in serves if not self.indicators[c].key]
        return [SummaryRow(e, serves.get(e.code, [])) for e in key + linked]

    @cached_property
    def other_key(self) -> list[IndicatorEvidence]:
        """The key indicators that no outcome is linked to: the team watches them every
        quarter, so they are shown in full, charts and all, under the team as a whole."""
        linked = {e.code for section in self.sections for e in section.indicators}
        return [e for e in self.evidence.indicators if e.key and e.code not in linked]

    @cached_property
    def other_surveys(self) -> list[SurveyFinding]:
        """The quarter's survey findings that no outcome is linked to: the team still sees
        what people said."""
        linked = {s.question for section in self.sections for s in section.found.surveys}
        return [s for s in self.evidence.surveys if s.question not in linked]

    @cached_property
    def data_notes(self) -> list[DataNote]:
        """Notes on the data behind the indicators this report shows."""
        return [note for row in self.summary_rows for note in indicator_notes(row.indicator)]


def report_of(
    factory: SessionFactory, review_id: int, as_of: date, fy_start_month: int = 4
) -> Report:
    """The report of a review (one the asker may see), read in a session of its own."""
    with factory() as session:
        review = session.get(Review, review_id)
        assert review is not None  # a review is never deleted
        return build_report(session, review, as_of, fy_start_month)


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

    team = session.get_one(Team, review.team_id)
    period = period_of(review)
    evidence = build_evidence(session, team.name, period, as_of, fy_start_month)
    record = review_record(session, review)
    names = known_names(session, people_in(record))
    report = Report(record, evidence, names=names, pulse=pulse.history(session, review))
    if not charts:
        return report
    shown = [e for section in report.sections for e in section.indicators] + report.other_key
    drawn: dict[str, bytes] = {}
    for e in shown:
        if e.code not in drawn:
            png = indicator_chart(e)
            if png is not None:
                drawn[e.code] = png
    return replace(report, charts=drawn)
