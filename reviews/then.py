"""An outcome's linked indicators as they read when it was judged, kept with its judgement:
later figures (a new month, a corrected one) would change the reading, and the outcome's
story must say what the group saw."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from reviews.evidence.build import indicators_of
from reviews.evidence.model import IndicatorEvidence
from reviews.kinds import id_of
from reviews.periods import period_of
from storage import queries
from storage.models import Judgement, Review, Team, utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IndicatorThen:
    """A linked indicator as the group saw it when it judged the outcome."""

    code: str
    value: float | str | None  # as it was shown: rounded, or small numbers withheld
    unit: str
    unit_words: str
    decimals: int
    period_end: date
    frequency: str
    variation: str | None
    variation_side: str | None
    spc_note: str | None  # why there was no SPC reading, if there was none

    @classmethod
    def of(cls, e: IndicatorEvidence) -> IndicatorThen:
        return cls(
            e.code,
            e.shown(e.rounded(e.latest.value)),
            e.unit,
            e.unit_words,
            e.decimals,
            e.latest.period_end,
            e.frequency,
            e.variation,
            e.variation_side,
            e.spc_note,
        )

    def kept(self) -> dict:
        return {**self.__dict__, "period_end": self.period_end.isoformat()}

    @classmethod
    def from_kept(cls, row: dict) -> IndicatorThen:
        return cls(**{**row, "period_end": date.fromisoformat(row["period_end"])})


def keep_indicators_then(
    session: Session, review: Review, fy_start_month: int, now: datetime | None = None
) -> int:
    """Keep, with each outcome's judgement of a review that has none kept, its linked
    indicators as they read now; how many judgements were given them. The judgement
    matters more than this picture of it: if the figures cannot be read, it is left for
    the next try (the record's delivery tries again)."""
    judged = session.exec(
        select(Judgement).where(
            Judgement.review_id == review.id,
            col(Judgement.outcome_id).is_not(None),
            col(Judgement.indicators_then).is_(None),
        )
    ).all()
    if not judged:
        return 0
    linked = {o.id: ids for o, ids in queries.agreed_outcomes(session, id_of(review))}
    only = set().union(*linked.values()) if linked else set()
    try:
        found = _read(session, review, only, (now or utcnow()).date(), fy_start_month)
    except Exception as exc:
        log.warning("indicators not kept for review %s: %s", review.id, type(exc).__name__)
        return 0
    for judgement in judged:
        readings = sorted(found[i] for i in linked.get(judgement.outcome_id, set()) if i in found)
        judgement.indicators_then = [reading for _, reading in readings]
        session.add(judgement)
    return len(judged)


def _read(
    session: Session, review: Review, only: set[int], as_of: date, fy_start_month: int
) -> dict[int, tuple[str, dict]]:
    """{indicator id: (code, its reading kept)} for the indicators in `only`."""
    if not only:
        return {}
    team = session.get_one(Team, review.team_id)
    period = period_of(review)
    evidence, rows = indicators_of(session, team, period, as_of, fy_start_month, only)
    ids = {row.code: i for i, row in rows.items()}
    return {ids[e.code]: (e.code, IndicatorThen.of(e).kept()) for e in evidence}
