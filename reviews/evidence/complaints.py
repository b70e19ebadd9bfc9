"""Complaints in the period: how many, how they ended, how fast, and about what.

The team's complaints are one table, a row a category (every category, so its rows add up
to its totals) and a column a measure: received in the quarter, the quarter before, the same
quarter last year, and open at the end of the quarter. Each column is protected once
(`disclosure.protect_column`); an outcome's complaints are some rows of that table, never
counted afresh. Two quarters side by side are numbers, not a direction: no "up" or "down"
is said of them."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import pandas as pd

from reviews.evidence.disclosure import Cell, part_total, protect_column, share, suppress
from reviews.evidence.model import CategoryCount, ComplaintSummary
from storage.periods import Period

DECIDED = ("upheld", "partly upheld", "not upheld")
COLUMNS = ("received", "previous_quarter", "same_quarter_last_year", "open_at_period_end")


@dataclass(frozen=True)
class _Frames:
    frame: pd.DataFrame
    period: Period
    previous: Period
    year_before: Period

    def received_in(self, p: Period) -> pd.DataFrame:
        f = self.frame
        return f[(f["received"] >= p.start) & (f["received"] <= p.end)]

    def open_at_end(self) -> pd.DataFrame:
        f, end = self.frame, self.period.end
        return f[
            (f["received"] <= end)
            & ((f["outcome"] == "open") | (f["closed"].notna() & (f["closed"] > end)))
        ]

    def columns(self) -> dict[str, pd.DataFrame]:
        return {
            "received": self.received_in(self.period),
            "previous_quarter": self.received_in(self.previous),
            "same_quarter_last_year": self.received_in(self.year_before),
            "open_at_period_end": self.open_at_end(),
        }

    def decided(self) -> pd.DataFrame:
        """Decided in the quarter: what the upheld share and the time to close are about. A
        withdrawn complaint was never answered, so it says nothing about either."""
        f, p = self.frame, self.period
        return f[
            f["outcome"].isin(DECIDED)
            & f["closed"].notna()
            & (f["closed"] >= p.start)
            & (f["closed"] <= p.end)
        ]


def _frames(rows: list[tuple], period: Period, previous: Period, year_before: Period) -> _Frames:
    frame = pd.DataFrame(rows, columns=["received", "category", "outcome", "closed"])
    frame["outcome"] = frame["outcome"].astype(str)
    return _Frames(frame, period, previous, year_before)


def _days_to_close(decided: pd.DataFrame) -> list[int]:
    return [(c - r).days for r, c in zip(decided["received"], decided["closed"], strict=True)]


def _timing(days: list[int], response_days: int) -> tuple[float | None, float | None]:
    # Fewer than 5 closures make no median worth printing.
    median = float(statistics.median(days)) if len(days) >= 5 else None
    within = sum(1 for d in days if d <= response_days)
    return median, share(within, len(days))


def complaint_summary(
    rows: list[tuple],
    period: Period,
    previous: Period,
    year_before: Period,
    response_days: int,
) -> ComplaintSummary:
    """The team's complaints table for the quarter, protected. `rows` are (received,
    category, outcome, closed) for every complaint that could touch the four columns."""
    frames = _frames(rows, period, previous, year_before)
    columns = frames.columns()
    counts = {name: f["category"].value_counts() for name, f in columns.items()}
    categories = sorted(
        set().union(*(set(c.index) for c in counts.values())),
        key=lambda c: (-counts["received"].get(c, 0), -counts["previous_quarter"].get(c, 0), c),
    )
    protected = {}
    totals = {}
    for name in COLUMNS:
        cells, total = protect_column(
            {c: int(counts[name].get(c, 0)) for c in categories}, len(columns[name])
        )
        protected[name], totals[name] = cells, total
    decided = frames.decided()
    days = _days_to_close(decided)
    upheld = int(decided["outcome"].isin(("upheld", "partly upheld")).sum())
    median, within = _timing(days, response_days)
    return ComplaintSummary(
        period=period,
        received=totals["received"],
        previous_quarter=totals["previous_quarter"],
        same_quarter_last_year=totals["same_quarter_last_year"],
        decided=suppress(len(decided)),
        upheld_percent=share(upheld, len(decided)),
        median_days_to_close=median,
        closed_within_target_percent=within,
        response_target_days=response_days,
        categories=[
            CategoryCount(c, *(protected[name][c] for name in COLUMNS)) for c in categories
        ],
        open_at_period_end=totals["open_at_period_end"],
    )


def complaint_part(
    whole: ComplaintSummary,
    rows: list[tuple],
    categories: list[str],
    previous: Period,
    year_before: Period,
) -> ComplaintSummary:
    """Some categories of the team's complaints: their rows of the team's table, totals
    only where the rows' cells are all shown, and the time to close those decided."""
    by_category = {k.category: k for k in whole.categories}
    chosen = [by_category.get(c) or CategoryCount(c, 0, 0, 0, 0) for c in categories]
    frames = _frames([r for r in rows if r[1] in categories], whole.period, previous, year_before)
    median, within = _timing(_days_to_close(frames.decided()), whole.response_target_days)

    def total(name: str) -> Cell:
        field = "count" if name == "received" else name
        return part_total(getattr(k, field) for k in chosen)

    return ComplaintSummary(
        period=whole.period,
        received=total("received"),
        previous_quarter=total("previous_quarter"),
        same_quarter_last_year=total("same_quarter_last_year"),
        decided=None,
        upheld_percent=None,
        median_days_to_close=median,
        closed_within_target_percent=within,
        response_target_days=whole.response_target_days,
        categories=chosen,
        open_at_period_end=total("open_at_period_end"),
        part=True,
    )
