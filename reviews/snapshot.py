"""The latest figures for a team at the end of a quarter: each indicator's newest value,
whether it meets its target, and how it compares with a year before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from storage import queries
from storage.models import Indicator, Polarity
from storage.periods import Period, previous_quarter


@dataclass(frozen=True)
class IndicatorLine:
    code: str
    title: str
    unit: str
    value: float
    period_end: date
    age_days: int
    target: float | None
    meets_target: bool | None
    year_before: float | None
    out_of_date: bool


@dataclass(frozen=True)
class TeamSnapshot:
    team: str
    period: Period
    indicators: list[IndicatorLine]
    complaints: int
    complaints_previous_quarter: int


def meets_target(value: float, target: float | None, polarity: Polarity) -> bool | None:
    if target is None or polarity == Polarity.NEUTRAL:
        return None
    return value >= target if polarity == Polarity.HIGHER else value <= target


def _line(
    indicator: Indicator, values: list[tuple[date, float]], period: Period, stale_before: date
) -> IndicatorLine:
    period_end, value = values[-1]
    year_before = next(
        (v for d, v in reversed(values) if d <= period_end - timedelta(days=360)), None
    )
    return IndicatorLine(
        code=indicator.code,
        title=indicator.title,
        unit=str(indicator.unit),
        value=value,
        period_end=period_end,
        age_days=(period.end - period_end).days,
        target=indicator.target,
        meets_target=meets_target(value, indicator.target, indicator.polarity),
        year_before=year_before if year_before is not None and values[0][0] < period_end else None,
        out_of_date=period_end < stale_before,
    )


def team_snapshot(
    session: Session, team_name: str, period: Period, fy_start_month: int = 4
) -> TeamSnapshot | None:
    team = queries.team_by_name(session, team_name)
    if team is None:
        return None
    previous = previous_quarter(period, fy_start_month)
    # A series whose newest value ends more than a quarter before the period is out of date.
    stale_before = previous.start
    lines = [
        _line(indicator, values, period, stale_before)
        for indicator, values in queries.indicator_series(session, team.id, period.end)
    ]
    return TeamSnapshot(
        team=team.name,
        period=period,
        indicators=lines,
        complaints=queries.complaints_received(session, team.id, period.start, period.end),
        complaints_previous_quarter=queries.complaints_received(
            session, team.id, previous.start, previous.end
        ),
    )
