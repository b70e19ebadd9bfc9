"""Each indicator's evidence: its latest figure, target, the figures a quarter and a year
before for context, how fresh it is, and Making Data Count's reading of it.

Better or worse is said only by SPC: the previous quarter and the same quarter last year
are shown as figures, never as "improved" or "worse", since two points cannot tell a signal
from noise. Rolling and year-to-date series get no SPC rules, as their consecutive figures
share most of their months; a series too short for limits says how many points it has."""

from __future__ import annotations

import itertools
import statistics
from datetime import date, timedelta

from reviews.evidence import spc
from reviews.evidence.freshness import MONTHS, freshness
from reviews.evidence.model import (
    CUMULATIVE_SERIES,
    ROLLING_SERIES,
    SMALL_BASE,
    TOO_FEW_POINTS,
    Change,
    Figure,
    IndicatorEvidence,
    period_words,
)
from reviews.evidence.surveys import SMALL_BASE as FEW_PEOPLE
from reviews.evidence.surveys import wilson_interval
from reviews.evidence.vocabulary import (
    NO_DIRECTION,
    NO_SPC,
    NO_TARGET,
    STALE_LIMITS,
    assurance_phrase,
    variation_phrase,
)
from storage.models import Basis, Indicator, Polarity
from storage.periods import month_end_after, previous_quarter, quarter_containing

DIRECTION = {Polarity.HIGHER: 1, Polarity.LOWER: -1, Polarity.NEUTRAL: 0}
VARIATION = {
    spc.COMMON_CAUSE: "common_cause",
    spc.IMPROVEMENT: "special_cause_improvement",
    spc.CONCERN: "special_cause_concern",
    spc.NEUTRAL: "special_cause_neutral",
}
NO_SPC_BASIS = {
    Basis.ROLLING_12_MONTHS: (ROLLING_SERIES, "a rolling 12-month series"),
    Basis.YEAR_TO_DATE: (CUMULATIVE_SERIES, "a year-to-date series"),
}


def direction_of(polarity: str) -> int:
    return DIRECTION[Polarity(polarity)]


def meets_target(value: float, target: float | None, polarity: str) -> bool | None:
    direction = direction_of(polarity)
    if target is None or direction == 0:
        return None
    return value >= target if direction > 0 else value <= target


def interval_of(figure: Figure, unit: str) -> tuple[float, float] | None:
    """A percentage's 95% Wilson interval, where its base is known."""
    if unit != "percent" or not figure.base:
        return None
    part = min(max(figure.part or 0, 0), figure.base)
    low, high = wilson_interval(part, figure.base)
    return 100 * low, 100 * high


def target_status(
    figure: Figure, unit: str, target: float | None, polarity: str
) -> tuple[bool | None, str | None]:
    """(meets_target, status): a target is met or missed only where the figure's
    uncertainty allows it. From a small base no verdict is given; where the target lies
    within the figure's 95% interval it is "within the margin of error"."""
    met = meets_target(figure.value, target, polarity)
    if met is None or target is None:
        return None, None
    if figure.base is not None and unit == "percent" and figure.base < FEW_PEOPLE:
        return None, SMALL_BASE
    interval = interval_of(figure, unit)
    if interval is not None and interval[0] <= target <= interval[1]:
        return None, "within_margin"
    return met, "met" if met else "missed"


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


def missing_periods(ends: list[date], freq: str) -> list[date]:
    """Period ends with no value between a regular series' first and last: gaps to show
    as gaps, never joined across."""
    step = MONTHS.get(freq)
    if not step or not ends:
        return []
    present = {(d.year, d.month) for d in ends}
    found, day = [], ends[0]
    while day < ends[-1]:
        day = month_end_after(day, step)
        if (day.year, day.month) not in present:
            found.append(day)
    return found


def _change(
    series: list[Figure],
    latest: Figure,
    on_or_before: date,
    not_before: date,
    nearest: date | None = None,
) -> Change | None:
    """An earlier figure in a window (the last in it, or the one nearest a day)."""
    earlier = [f for f in series if not_before <= f.period_end <= on_or_before]
    if not earlier:
        return None
    if nearest is None:
        figure = earlier[-1]
    else:
        figure = min(earlier, key=lambda f: abs((f.period_end - nearest).days))
    return Change(figure, latest.value - figure.value)


def sustained_change(chart: spc.SpcChart) -> date | None:
    """Where the shift or trend the latest point belongs to began, if it belongs to one:
    a sustained change, after which the limits describe a process that has gone."""
    start = None
    for point in reversed(chart.points):
        if not {spc.SHIFT, spc.TREND} & set(point.rules):
            break
        start = point.period_end
    return start


def indicator_evidence(
    indicator: Indicator,
    series: list[Figure],
    as_of: date,
    fy_start_month: int = 4,
    newest: date | None = None,
    published: str | None = None,
) -> IndicatorEvidence:
    """`series`: the indicator's figures, oldest first, up to the end of the period;
    `newest`: the end of the newest figure loaded at all, which may lie after the period
    (then the indicator is not late, whatever the date the evidence is read on)."""
    polarity = str(indicator.polarity)
    latest = series[-1]
    latest_quarter = quarter_containing(latest.period_end, fy_start_month)
    before = previous_quarter(latest_quarter, fy_start_month)
    # The same point a year earlier, allowing for month ends and leap years.
    year_ago = latest.period_end - timedelta(days=365)
    ends = [f.period_end for f in series]
    # A council's published figures come as often as they are published (ASCOF yearly),
    # whatever the frequency of a team's own series of the same indicator.
    declared = str(indicator.frequency) if indicator.frequency else None
    freq = published or declared or frequency(ends)
    lag = indicator.lag_days if freq == (declared or freq) else None
    basis = Basis(indicator.basis or Basis.POINT)
    notes: list[str] = []

    chart = None
    why_not: str | None = None
    no_spc_reason, spc_note = NO_SPC_BASIS.get(basis, (None, None))
    few = latest.base is not None and str(indicator.unit) == "percent" and latest.base < FEW_PEOPLE
    if no_spc_reason is None and few:
        # A percentage of a handful of people moves by whole people: no chart, rank or
        # verdict is drawn from it, only the numbers.
        no_spc_reason, spc_note = SMALL_BASE, f"a small base: {latest.base} people"
    if no_spc_reason is None:
        chart = spc.xmr(
            ends,
            [f.value for f in series],
            direction_of(polarity),
            indicator.target,
            indicator.recalculate_from,
        )
        if chart is None:
            no_spc_reason = TOO_FEW_POINTS
            spc_note = f"too few points: {len(series)} of {spc.MIN_POINTS}"
    variation = side = assurance = change = None
    if chart is not None:
        last = chart.points[-1]
        variation, side, assurance = VARIATION[last.flag], last.side, chart.assurance
        change = sustained_change(chart)
        if change is not None:
            # The limits hold the points before the change: an assurance drawn from them
            # would describe the old process, not this one.
            if assurance is not None:
                assurance, why_not = None, STALE_LIMITS
            notes.append(
                f"the limits predate a sustained change from {period_words(freq, change)}: "
                "no assurance is read from them; once it is understood, recalculate them "
                f'from then: qpr indicator "{indicator.code}" --recalculate-from '
                f'{change:%Y-%m-%d} --reason "what changed"'
            )
        reading = variation_phrase(variation, side)
        if assurance or why_not == STALE_LIMITS:
            # Read beside the variation, as Making Data Count's two icons are.
            reading += f"; {assurance_phrase(assurance, why_not)}"
        since = sum(
            1 for d in ends if indicator.recalculate_from and d >= indicator.recalculate_from
        )
        if indicator.recalculate_from and chart.recalculated_from is None and since > 0:
            notes.append(
                f"limits not yet recalculated from {indicator.recalculate_from:%d %b %Y}: "
                f"{since} of {spc.MIN_POINTS} points since"
            )
    else:
        reading = variation_phrase(None, None, spc_note)
    if assurance is None and why_not is None:
        why_not = (
            NO_TARGET
            if indicator.target is None
            else NO_DIRECTION
            if direction_of(polarity) == 0
            else NO_SPC
        )

    met, status = target_status(latest, str(indicator.unit), indicator.target, polarity)
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
        meets_target=met,
        base=latest.base,
        interval=interval_of(latest, str(indicator.unit)),
        target_status=status,
        previous_quarter=_change(series, latest, before.end, before.start),
        year_before=_change(
            series,
            latest,
            year_ago + timedelta(days=16),
            year_ago - timedelta(days=16),
            nearest=year_ago,
        ),
        series=series,
        basis=basis.value,
        frequency=freq,
        spc=chart,
        variation=variation,
        variation_side=side,
        assurance=assurance,
        assurance_why_not=why_not if assurance is None else None,
        change_from=change,
        unit_label=indicator.unit_label,
        recalculation_reason=indicator.recalculate_reason
        if chart is not None and chart.recalculated_from
        else None,
        no_spc_reason=no_spc_reason,
        spc_note=spc_note,
        reading=reading,
        freshness=freshness(max(latest.period_end, newest or latest.period_end), freq, lag, as_of),
        missing_periods=missing_periods(ends, freq),
        caveats=indicator.caveats,
        source=indicator.source,
        notes=notes,
    )


def team_indicators(
    indicators: dict[int, Indicator],
    values: list[tuple],
    as_of: date,
    fy_start_month: int = 4,
    newest: dict[int, date] | None = None,
    published: dict[int, str] | None = None,
) -> list[IndicatorEvidence]:
    """Evidence for every indicator the team has values for, key indicators first.
    `values` are (indicator_id, period_end, value, ...) rows in date order; `published`
    gives the frequency of the series that are a council's published figures."""
    series: dict[int, list[Figure]] = {}
    for indicator_id, period_end, value, *parts in values:
        numerator, denominator = [*parts, None, None][:2]
        series.setdefault(indicator_id, []).append(
            Figure(
                float(value),
                period_end,
                None if numerator is None else float(numerator),
                None if denominator is None else float(denominator),
            )
        )
    found = [
        indicator_evidence(
            indicators[i],
            figures,
            as_of,
            fy_start_month,
            (newest or {}).get(i),
            (published or {}).get(i),
        )
        for i, figures in series.items()
    ]
    return sorted(found, key=lambda e: (not e.key, e.code))
