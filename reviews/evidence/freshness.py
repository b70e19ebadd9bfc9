"""Whether a figure is the newest that could be out by now, given how often its indicator
is published and how long after a period its figure normally comes.

An annual figure eight months old is not out of date if next year's is not due until
December: calling it "out of date" every quarter teaches people to ignore the warning. A
figure is *late* only when the one after it should have been published by now, and then
the date it was expected is said.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from storage.periods import month_end_after

CURRENT = "current"
LATE = "late"

MONTHS = {"monthly": 1, "quarterly": 3, "annual": 12}
# When an indicator does not say how long its figures take to come out: about a month for
# monthly extracts, two for quarterly returns, and for annual statistics the nine months
# national collections (ASCOF, SALT, the surveys) usually take after the year ends.
USUAL_LAG_DAYS = {"monthly": 35, "quarterly": 60, "annual": 270}


@dataclass(frozen=True)
class Freshness:
    status: str  # current or late
    # The date the figure after the latest is expected: ahead when current, past when late.
    next_expected: date | None
    next_period_end: date | None
    lag_days: int | None


def freshness(latest_end: date, frequency: str, lag_days: int | None, as_of: date) -> Freshness:
    """`frequency` is monthly, quarterly or annual; anything else (a series too short or
    too uneven to tell) is read as annual, the most patient, so that no figure is called
    late on a guess."""
    cycle = frequency if frequency in MONTHS else "annual"
    lag = lag_days if lag_days is not None else USUAL_LAG_DAYS[cycle]
    following = month_end_after(latest_end, MONTHS[cycle])
    expected = following + timedelta(days=lag)
    return Freshness(
        status=LATE if as_of > expected else CURRENT,
        next_expected=expected,
        next_period_end=following,
        lag_days=lag,
    )
