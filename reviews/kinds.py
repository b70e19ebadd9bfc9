"""The records a review keeps (a team, a review, an outcome statement), as the front ends
name them in their signatures, and the words those records take (ratings, a need's
status), which the front ends read from a person's choice and show back."""

from __future__ import annotations

from typing import Protocol

from storage.models import (
    Indicator,
    InformationNeed,
    Judgement,
    NeedStatus,
    OutcomeStatement,
    OutcomeStatus,
    Rating,
    Review,
    ReviewStage,
    Team,
)


class _Stored(Protocol):
    id: int | None


def id_of(row: _Stored) -> int:
    """A stored row's id: None only before the row is first written, which a row read back
    never is."""
    if row.id is None:
        raise ValueError("a row not yet stored has no id")
    return row.id


__all__ = [
    "Indicator",
    "InformationNeed",
    "Judgement",
    "NeedStatus",
    "OutcomeStatement",
    "OutcomeStatus",
    "Rating",
    "Review",
    "ReviewStage",
    "Team",
    "id_of",
]
