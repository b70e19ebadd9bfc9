"""Complaints in the period: how many, how they ended, how fast, and about what."""

from __future__ import annotations

import statistics

import pandas as pd

from reviews.evidence.model import CategoryCount, ComplaintSummary, share, suppress
from storage.periods import Period

DECIDED = ("upheld", "partly upheld", "not upheld")
TOP = 5


def _movement(now: int, before: int) -> str:
    if 0 < now < 5 or 0 < before < 5:
        # A direction between two suppressed counts would tell what they are.
        return "small numbers"
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
    # Decided in the quarter: what the upheld share and the time to close are about. A
    # withdrawn complaint was never answered, so it says nothing about either.
    decided = frame[
        frame["outcome"].isin(DECIDED)
        & frame["closed"].notna()
        & (frame["closed"] >= period.start)
        & (frame["closed"] <= period.end)
    ]
    days = [(c - r).days for r, c in zip(decided["received"], decided["closed"], strict=True)]
    upheld = int(decided["outcome"].isin(("upheld", "partly upheld")).sum())
    within = sum(1 for d in days if d <= response_days)
    still_open = frame[
        (frame["received"] <= period.end)
        & (
            (frame["outcome"] == "open")
            | (frame["closed"].notna() & (frame["closed"] > period.end))
        )
    ]

    counts_now = now["category"].value_counts()
    counts_before = before["category"].value_counts()
    # Categories from either quarter, so one that fell away still shows that it moved.
    categories = sorted(
        set(counts_now.index) | set(counts_before.index),
        key=lambda c: (-counts_now.get(c, 0), -counts_before.get(c, 0), c),
    )
    top = [
        CategoryCount(
            category,
            suppress(int(counts_now.get(category, 0))),
            suppress(int(counts_before.get(category, 0))),
            _movement(int(counts_now.get(category, 0)), int(counts_before.get(category, 0))),
        )
        for category in categories[:TOP]
    ]
    return ComplaintSummary(
        period=period,
        received=suppress(len(now)),
        previous_quarter=suppress(len(before)),
        same_quarter_last_year=suppress(len(received_in(year_before))),
        decided=suppress(len(decided)),
        upheld_percent=share(upheld, len(decided)),
        # Fewer than 5 closures make no median worth printing.
        median_days_to_close=float(statistics.median(days)) if len(days) >= 5 else None,
        closed_within_target_percent=share(within, len(days)),
        response_target_days=response_days,
        top_categories=top,
        open_at_period_end=suppress(len(still_open)),
    )
