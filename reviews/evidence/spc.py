"""Signal or noise: the XmR chart as NHS England's *Making Data Count* reads it.

The calculations follow the defaults of NHSRplotthedots, the NHS-R Community's reference
implementation of "plot the dots":

- the centre line is the mean of the points; the moving range (mR) is the absolute
  difference between consecutive points, and its mean (mR-bar) sets the process limits at
  centre +/- 2.66 x mR-bar (2.66 = 3 / 1.128, three sigma for an individuals chart);
- moving-range outliers are screened: a moving range of 3.267 x mR-bar or more (the upper
  range limit) is left out and mR-bar worked out again from the rest, so one wild month
  does not widen the limits (`screen_outliers = TRUE`);
- a recalculation point starts a new set of limits from the first point on or after it,
  once at least 12 points follow it; before it, fewer than 12 points get limits but no
  signals;
- fewer than 12 points in a set is too few for reliable limits (the reference warns below
  12): no chart is drawn from it here.

Special-cause rules, each named where it is tested below:

- rule 1, *outside the limits*: a point above the upper or below the lower process limit;
- rule 2, *shift*: a run of 7 or more points on one side of the centre line (a point on the
  line breaks the run);
- rule 3, *trend*: a run of 7 or more points each higher, or each lower, than the one
  before (an equal pair breaks the run);
- rule 4, *two of three near a limit*: 2 of 3 consecutive points beyond two thirds of the
  way to a limit (and not outside it), all three on the same side of the centre line.

A flagged point is read by the first rule it breaks, in the reference's order: outside the
limits, trend, two of three, shift. A trend reads as *improvement* when it runs the better
way for the indicator's polarity and *concern* when it runs the worse way; the other rules
read by the side of the centre line the point is on. For a neutral indicator a flagged
point is just *neutral*. Assurance compares the target
with the limits of the latest set: a target beyond the limits on the worse side is
consistently failed, beyond them on the better side consistently met, inside them hit and
miss.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

LIMIT = 2.66
NEAR_LIMIT = 2 * LIMIT / 3
RANGE_LIMIT = 3.267
MIN_POINTS = 12
RUN = 7

# The rules a point can break, by the names its `rules` hold.
OUTSIDE = "outside limits"
TREND = "trend"
TWO_OF_THREE = "two of three near a limit"
SHIFT = "shift"

COMMON_CAUSE = "common_cause"
IMPROVEMENT = "improvement"
CONCERN = "concern"
NEUTRAL = "neutral"


@dataclass(frozen=True)
class SpcPoint:
    period_end: date
    value: float
    flag: str
    centre: float
    lower: float
    upper: float
    rules: tuple[str, ...] = ()
    # For a flagged point, which way it departs: "high" (above the centre line, or in a
    # rising trend) or "low"; Making Data Count's icons show it.
    side: str | None = None


@dataclass(frozen=True)
class SpcChart:
    points: list[SpcPoint]
    assurance: str | None
    # Limits of the latest set of points, the ones the current reading rests on.
    centre: float
    lower: float
    upper: float
    recalculated_from: date | None

    @property
    def latest_flag(self) -> str:
        return self.points[-1].flag


def _limits(values: np.ndarray) -> tuple[float, float, float]:
    centre = float(values.mean())
    ranges = np.abs(np.diff(values))
    if ranges.size == 0:
        return centre, centre, centre
    mean_range = ranges.mean()
    kept = ranges[ranges < RANGE_LIMIT * mean_range]
    if kept.size:
        mean_range = kept.mean()
    return centre, centre - LIMIT * mean_range, centre + LIMIT * mean_range


def _runs(marks: np.ndarray) -> np.ndarray:
    """Every point belonging to a run of RUN or more consecutive True marks."""
    flagged = np.zeros(marks.size, dtype=bool)
    start = 0
    for i in range(marks.size + 1):
        if i == marks.size or not marks[i]:
            if i - start >= RUN:
                flagged[start:i] = True
            start = i + 1
    return flagged


def _shift(side: np.ndarray) -> np.ndarray:
    """Rule 2: 7 or more points in a row on the same side of the centre line."""
    flagged = np.zeros(side.size, dtype=bool)
    for direction in (1, -1):
        flagged |= _runs(side == direction)
    return flagged


def _trend(values: np.ndarray) -> np.ndarray:
    """Rule 3: 7 or more points in a row, each higher (or each lower) than the last.
    +1 marks a point in a rising run, -1 in a falling one, 0 neither."""
    marks = np.zeros(values.size, dtype=int)
    steps = np.sign(np.diff(values))
    for direction in (1, -1):
        # A run of 7 points is 6 steps the same way; each step marks both its ends.
        moving = steps == direction
        start = 0
        for i in range(steps.size + 1):
            if i == steps.size or not moving[i]:
                if i - start >= RUN - 1:
                    marks[start : i + 1] = direction
                start = i + 1
    return marks


def _two_of_three(near: np.ndarray, side: np.ndarray) -> np.ndarray:
    """Rule 4: 2 of 3 consecutive points near a limit, all 3 on the same side."""
    flagged = np.zeros(near.size, dtype=bool)
    for start in range(near.size - 2):
        window = slice(start, start + 3)
        if near[window].sum() >= 2 and abs(side[window].sum()) == 3:
            flagged[window] |= near[window]
    return flagged


def _set_points(
    dates: Sequence[date], values: np.ndarray, direction: int, signals: bool = True
) -> list[SpcPoint]:
    centre, lower, upper = _limits(values)
    spread = upper - centre
    # The mean of equal values need not equal them in floating point; a difference this
    # small is no difference, or a constant series would show a "shift".
    tolerance = 1e-9 * max(1.0, float(np.abs(values).max()))
    distance = values - centre
    side = np.where(np.abs(distance) <= tolerance, 0, np.sign(distance)).astype(int)
    outside = (values > upper + tolerance) | (values < lower - tolerance)
    near = ~outside & (np.abs(distance) > NEAR_LIMIT / LIMIT * spread + tolerance)
    trend = _trend(values)
    # In the order a point is read by: a trend is read by which way it runs, every other
    # rule by the side of the centre line the point is on.
    rules = [
        (OUTSIDE, outside, side),
        (TREND, trend != 0, trend),
        (TWO_OF_THREE, _two_of_three(near, side), side),
        (SHIFT, _shift(side), side),
    ]
    points = []
    for i, (day, value) in enumerate(zip(dates, values, strict=True)):
        hits = tuple(name for name, marks, _ in rules if marks[i]) if signals else ()
        flag, departs = COMMON_CAUSE, None
        if hits:
            way = next(ways[i] for _, marks, ways in rules if marks[i])
            departs = "high" if way > 0 else "low"
            better = IMPROVEMENT if way == direction else CONCERN
            flag = NEUTRAL if direction == 0 else better
        points.append(SpcPoint(day, float(value), flag, centre, lower, upper, hits, departs))
    return points


def assurance(target: float | None, lower: float, upper: float, direction: int) -> str | None:
    if target is None or direction == 0:
        return None
    if target > upper:
        return "consistent_fail" if direction > 0 else "consistent_pass"
    if target < lower:
        return "consistent_pass" if direction > 0 else "consistent_fail"
    return "inconsistent"


def xmr(
    dates: Sequence[date],
    values: Sequence[float],
    direction: int,
    target: float | None = None,
    recalculate_from: date | None = None,
) -> SpcChart | None:
    """The chart for a series in date order, or None when it has too few points.

    `direction` is +1 when higher is better, -1 when lower is better, 0 when neutral. A
    recalculation point is used only once at least MIN_POINTS points follow it.
    """
    array = np.asarray(values, dtype=float)
    if array.size < MIN_POINTS:
        return None
    split = 0
    if recalculate_from is not None:
        split = next((i for i, d in enumerate(dates) if d >= recalculate_from), array.size)
        if array.size - split < MIN_POINTS:
            split = 0
    points = []
    if split:
        # Limits before the change are drawn as they were; signals are read there only
        # when that stretch has enough points of its own.
        points += _set_points(dates[:split], array[:split], direction, signals=split >= MIN_POINTS)
    points += _set_points(dates[split:], array[split:], direction)
    last = points[-1]
    return SpcChart(
        points=points,
        assurance=assurance(target, last.lower, last.upper, direction),
        centre=last.centre,
        lower=last.lower,
        upper=last.upper,
        recalculated_from=dates[split] if split else None,
    )
