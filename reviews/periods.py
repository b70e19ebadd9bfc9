"""Quarters as every front end reads and writes them: parsed from what a person typed,
and the one a review covers. The calendar itself is kept in `storage.periods`."""

from __future__ import annotations

from storage.models import Review
from storage.periods import (
    Period,
    PeriodError,
    last_ended_quarter,
    parse_quarter,
    quarter_containing,
)

__all__ = [
    "Period",
    "PeriodError",
    "last_ended_quarter",
    "parse_quarter",
    "period_of",
    "quarter_containing",
]


def period_of(review: Review) -> Period:
    """The quarter a review covers."""
    return Period(review.period_start, review.period_end, review.period_label)
