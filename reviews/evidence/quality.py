"""Notes on the data itself, for whoever keeps it: a figure that is late, a period with no
figure, limits that want a recalculation point. They are listed once, for facilitators (the
App Home, `qpr evidence`), rather than repeated beside the figures a whole team reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from reviews.evidence.model import Evidence, IndicatorEvidence, period_words
from reviews.periods import period_of
from storage.models import Review, Team


@dataclass(frozen=True)
class DataNote:
    code: str
    kind: str  # late, missing, recalculation
    text: str


def indicator_notes(e: IndicatorEvidence) -> list[DataNote]:
    found = []
    f = e.freshness
    if e.out_of_date and f.next_expected and f.next_period_end:
        found.append(
            DataNote(
                e.code,
                "late",
                f"the figure for {period_words(e.frequency, f.next_period_end)} was expected "
                f"by {f.next_expected:%d %b %Y}; the latest is "
                f"{period_words(e.frequency, e.latest.period_end)}",
            )
        )
    if e.missing_periods:
        missing = ", ".join(period_words(e.frequency, d) for d in e.missing_periods)
        found.append(DataNote(e.code, "missing", f"no figure for {missing}"))
    found += [DataNote(e.code, "recalculation", note) for note in e.notes]
    if e.spc is not None and e.spc.recalculated_from is not None:
        found.append(
            DataNote(
                e.code,
                "recalculated",
                f"limits recalculated from {period_words(e.frequency, e.spc.recalculated_from)}: "
                f"{e.recalculation_reason or 'no reason recorded'}",
            )
        )
    return found


def data_notes(evidence: Evidence) -> list[DataNote]:
    return [note for e in evidence.indicators for note in indicator_notes(e)]


def review_data_notes(
    session: Session, team: Team, review: Review, as_of: date, fy_start_month: int = 4
) -> list[DataNote]:
    """The notes on the data behind a review's evidence."""
    from reviews.evidence.build import build_evidence

    period = period_of(review)
    return data_notes(build_evidence(session, team.name, period, as_of, fy_start_month))
