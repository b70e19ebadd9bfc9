"""The records a review keeps (a team, a review, an outcome statement), as the front ends
name them in their signatures, and the words those records take (ratings, a need's
status), which the front ends read from a person's choice and show back."""

from __future__ import annotations

from storage.models import (
    InformationNeed,
    NeedStatus,
    OutcomeStatement,
    OutcomeStatus,
    Rating,
    Review,
    ReviewStage,
    Team,
)

__all__ = [
    "InformationNeed",
    "NeedStatus",
    "OutcomeStatement",
    "OutcomeStatus",
    "Rating",
    "Review",
    "ReviewStage",
    "Team",
]
