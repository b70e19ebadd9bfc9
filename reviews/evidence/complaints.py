"""Complaints in the period: how many, how they ended, how fast, and about what."""

from __future__ import annotations

import pandas as pd

from reviews.evidence.model import CategoryCount, ComplaintSummary, suppress
from storage.periods import Period

DECIDED = ("upheld", "partly upheld", "not upheld")
TOP = 5


def _movement(now: int, before: int) -> str:
    if before == 0:
        return "new" if now else "steady"
    # Small counts wobble; a category has moved when it changed by half and by at least 3.
    if abs(now - before) >= max(3, before / 2):
        return "up" if now > before else "down"
    return "steady"


def complaint_summary(
    rows: list[tuple], period: Period, previous: Period, year_before: Period, response_days: int
) -> ComplaintSummary:
    frame = pd.DataFrame(rows, columns=["received", "category", "outcome", "closed"])
    frame["outcome"] = frame["outcome"].astype(str)

    def received_in(p: Period) -> pd.DataFrame:
        return frame[(frame["received"] >= p.start) & (frame["received"] <= p.end)]

    now, before = received_in(period), received_in(previous)
    closed = frame[frame["closed"].notna()]
    closed = closed[(closed["closed"] >= period.start) & (closed["closed"] <= period.end)]
    decided = closed[closed["outcome"].isin(DECIDED)]
    days = pd.Series(
        [(c - r).days for r, c in zip(closed["received"], closed["closed"], strict=True)],
        dtype=float,
    )
    still_open = frame[
        (frame["received"] <= period.end)
        & (frame["closed"].isna() | (frame["closed"] > period.end))
        & (frame["outcome"] != "withdrawn")
    ]

    counts_now = now["category"].value_counts()
    counts_before = before["category"].value_counts()
    top = [
        CategoryCount(
            category,
            suppress(int(n)),
            suppress(int(counts_before.get(category, 0))),
            _movement(int(n), int(counts_before.get(category, 0))),
        )
        for category, n in sorted(counts_now.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    ]
    return ComplaintSummary(
        period=period,
        received=suppress(len(now)),
        previous_quarter=suppress(len(before)),
        same_quarter_last_year=suppress(len(received_in(year_before))),
        decided=suppress(len(decided)),
        upheld_percent=(
            float(100 * decided["outcome"].isin(("upheld", "partly upheld")).mean())
            if len(decided) >= 5
            else None
        ),
        median_days_to_close=float(days.median()) if len(days) else None,
        closed_within_target_percent=(
            float(100 * (days <= response_days).mean()) if len(days) >= 5 else None
        ),
        response_target_days=response_days,
        top_categories=top,
        open_at_period_end=suppress(len(still_open)),
    )


def empty_complaints(period: Period, response_days: int) -> ComplaintSummary:
    return complaint_summary([], period, period, period, response_days)
