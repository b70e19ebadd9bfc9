"""Complaints in the period: how many, how they ended, how fast, and about what."""

from __future__ import annotations

import statistics

import pandas as pd

from reviews.evidence.model import WITHHELD, CategoryCount, ComplaintSummary, share, suppress
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


def _hidden_sum(counts: list[int]) -> int:
    """What the suppressed cells add up to: a total beside the others gives it away."""
    return sum(c for c in counts if 0 < c < 5)


def _withhold_next(cells: list[int | str], total: int) -> list[int | str]:
    """Secondary suppression: while the total less the counts shown would tell a number
    from 1 to 4, the smallest count shown is withheld too."""
    cells = list(cells)
    while True:
        hidden = total - sum(c for c in cells if isinstance(c, int))
        shown = [(c, i) for i, c in enumerate(cells) if isinstance(c, int) and c > 0]
        if not 0 < hidden < 5 or not shown:
            return cells
        cells[min(shown)[1]] = WITHHELD


def complaint_summary(
    rows: list[tuple],
    period: Period,
    previous: Period,
    year_before: Period,
    response_days: int,
    part_of_whole: bool = False,
) -> ComplaintSummary:
    """`part_of_whole`: the rows are some categories of the team's, whose own counts are
    shown elsewhere; a total for them is withheld where it and those counts would tell a
    suppressed one."""
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
    listed = categories[:TOP]
    raw_now = [int(counts_now.get(c, 0)) for c in listed]
    raw_before = [int(counts_before.get(c, 0)) for c in listed]
    shown_now = _withhold_next([suppress(n) for n in raw_now], len(now))
    shown_before = _withhold_next([suppress(n) for n in raw_before], len(before))
    top = [
        CategoryCount(category, n, b, _movement(rn, rb))
        for category, n, b, rn, rb in zip(
            listed, shown_now, shown_before, raw_now, raw_before, strict=True
        )
    ]
    received, received_before = suppress(len(now)), suppress(len(before))
    if part_of_whole:
        if 0 < _hidden_sum(list(counts_now)) < 5 and isinstance(received, int):
            received = WITHHELD
        if 0 < _hidden_sum(list(counts_before)) < 5 and isinstance(received_before, int):
            received_before = WITHHELD
    return ComplaintSummary(
        period=period,
        received=received,
        previous_quarter=received_before,
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
