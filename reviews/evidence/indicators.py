"""Each indicator's evidence: its latest figure, target, changes, freshness and signals."""

from __future__ import annotations

import itertools
import statistics
from datetime import date, timedelta

from reviews.evidence import spc
from reviews.evidence.model import Change, Figure, IndicatorEvidence
from storage.models import Indicator, Polarity
from storage.periods import Period, previous_quarter, quarter_containing

DIRECTION = {Polarity.HIGHER: 1, Polarity.LOWER: -1, Polarity.NEUTRAL: 0}
READING_WORDS = {
    spc.IMPROVEMENT: "improvement",
    spc.CONCERN: "concern",
    spc.NEUTRAL: "neutral",
    spc.COMMON_CAUSE: "common cause",
}


def direction_of(polarity: str) -> int:
    return DIRECTION[Polarity(polarity)]


def meets_target(value: float, target: float | None, polarity: str) -> bool | None:
    direction = direction_of(polarity)
    if target is None or direction == 0:
        return None
    return value >= target if direction > 0 else value <= target


def plain_reading(latest: float, earlier: float, polarity: str) -> str:
    """improved, unchanged or worse (higher, unchanged or lower when neither way is better)."""
    if latest == earlier:
        return "unchanged"
    direction = direction_of(polarity)
    if direction == 0:
        return "higher" if latest > earlier else "lower"
    return "improved" if (latest - earlier) * direction > 0 else "worse"


def frequency(ends: list[date]) -> str:
    if len(ends) < 2:
        return "irregular"
    gap = statistics.median((b - a).days for a, b in itertools.pairwise(ends))
    if 27 <= gap <= 32:
        return "monthly"
    if 85 <= gap <= 95:
        return "quarterly"
    if 360 <= gap <= 370:
        return "annual"
    return "irregular"


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def missing_months(ends: list[date]) -> list[date]:
    """Month ends with no value between a monthly series' first and last."""
    present = {_month_index(d) for d in ends}
    missing = []
    for index in range(_month_index(ends[0]), _month_index(ends[-1]) + 1):
        if index not in present:
            year, month = divmod(index + 1, 12)
            missing.append(date(year, month + 1, 1) - timedelta(days=1))
    return missing


def _change(
    series: list[Figure],
    latest: Figure,
    on_or_before: date,
    not_before: date,
    polarity: str,
    nearest: date | None = None,
) -> Change | None:
    """The latest figure against the last one in a window (or the one nearest a day)."""
    earlier = [f for f in series if not_before <= f.period_end <= on_or_before]
    if not earlier:
        return None
    if nearest is None:
        figure = earlier[-1]
    else:
        figure = min(earlier, key=lambda f: abs((f.period_end - nearest).days))
    return Change(
        figure, latest.value - figure.value, plain_reading(latest.value, figure.value, polarity)
    )


def indicator_evidence(
    indicator: Indicator, series: list[Figure], period: Period, as_of: date, fy_start_month: int = 4
) -> IndicatorEvidence:
    """`series`: the indicator's figures, oldest first, up to the end of the period."""
    polarity = str(indicator.polarity)
    latest = series[-1]
    latest_quarter = quarter_containing(latest.period_end, fy_start_month)
    before = previous_quarter(latest_quarter, fy_start_month)
    # The same point a year earlier, allowing for month ends and leap years.
    year_ago = latest.period_end - timedelta(days=365)
    ends = [f.period_end for f in series]
    freq = frequency(ends)
    notes: list[str] = []

    chart = spc.xmr(
        ends,
        [f.value for f in series],
        direction_of(polarity),
        indicator.target,
        indicator.recalculate_from,
    )
    previous_quarter_change = _change(series, latest, before.end, before.start, polarity)
    reading_against = None
    if chart is not None:
        reading = READING_WORDS[chart.latest_flag]
        spc_note = None
        if all("shift" in p.rules for p in chart.points[-spc.RUN :]):
            notes.append(
                "the latest points have shifted from the centre line: the limits and the "
                "assurance describe the process before the change; if it lasts, give the "
                "indicator a recalculation point"
            )
        since = sum(
            1 for d in ends if indicator.recalculate_from and d >= indicator.recalculate_from
        )
        if indicator.recalculate_from and chart.recalculated_from is None and since > 0:
            notes.append(
                f"limits not yet recalculated from {indicator.recalculate_from:%d %b %Y}: "
                f"{since} point(s) since, {spc.MIN_POINTS} needed"
            )
    else:
        spc_note = (
            f"only {len(series)} point(s): at least {spc.MIN_POINTS} are needed before "
            "a change can be called a signal"
        )
        earlier = previous_quarter_change or (
            _change(series[:-1], latest, latest.period_end, date.min, polarity)
            if len(series) > 1
            else None
        )
        reading = earlier.reading if earlier else "no earlier figure"
        reading_against = earlier.against if earlier else None

    stale_before = previous_quarter(period, fy_start_month).start
    out_of_date = latest.period_end < stale_before
    if not out_of_date and latest.period_end < period.start and freq in ("monthly", "quarterly"):
        notes.append(f"no figure yet for {period.label}")
    missing = missing_months(ends) if freq == "monthly" else []

    return IndicatorEvidence(
        code=indicator.code,
        title=indicator.title,
        unit=str(indicator.unit),
        polarity=polarity,
        key=indicator.key,
        tags=list(indicator.tags),
        target=indicator.target,
        latest=latest,
        age_days=(as_of - latest.period_end).days,
        meets_target=meets_target(latest.value, indicator.target, polarity),
        previous_quarter=previous_quarter_change,
        year_before=_change(
            series,
            latest,
            year_ago + timedelta(days=16),
            year_ago - timedelta(days=16),
            polarity,
            nearest=year_ago,
        ),
        series=series,
        frequency=freq,
        spc=chart,
        spc_note=spc_note,
        reading=reading,
        assurance=chart.assurance if chart else None,
        out_of_date=out_of_date,
        missing_periods=missing,
        caveats=indicator.caveats,
        source=indicator.source,
        reading_against=reading_against,
        notes=notes,
    )


def team_indicators(
    indicators: dict[int, Indicator],
    values: list[tuple],
    period: Period,
    as_of: date,
    fy_start_month: int = 4,
) -> list[IndicatorEvidence]:
    """Evidence for every indicator the team has values for, key indicators first.
    `values` are (indicator_id, period_end, value, ...) rows in date order."""
    series: dict[int, list[Figure]] = {}
    for indicator_id, period_end, value, *_ in values:
        series.setdefault(indicator_id, []).append(Figure(float(value), period_end))
    found = [
        indicator_evidence(indicators[i], figures, period, as_of, fy_start_month)
        for i, figures in series.items()
    ]
    return sorted(found, key=lambda e: (not e.key, e.code))
