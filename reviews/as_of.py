"""The one day a review's figures are aged to, wherever they are shown: the thread, its
forms, `qpr evidence`, every report and the JSON. Figures age every day, so two surfaces
reading "today" on different days would give one review two sets of ages."""

from __future__ import annotations

from datetime import date

from storage.models import Review


def figures_as_of(review: Review | None, today: date) -> date:
    """The day the review was closed, for a closed review: its record is the evidence the
    team judged, and reads the same whenever it is made. While it is open, today."""
    if review is not None and review.closed_at is not None:
        return review.closed_at.date()
    return today
