"""Reads that take a session and never commit on their own."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from storage.models import Complaint, Indicator, IndicatorValue, Team
from storage.names import fold


def team_by_name(session: Session, name: str) -> Team | None:
    return session.exec(select(Team).where(Team.name_key == fold(name))).first()


def team_names(session: Session) -> list[str]:
    return list(session.exec(select(Team.name).order_by(Team.name)).all())


def indicator_series(
    session: Session, team_id: int, until: date
) -> list[tuple[Indicator, list[tuple[date, float]]]]:
    """Each indicator the team has values for, with its values up to `until`, oldest first."""
    found = session.exec(
        select(Indicator, IndicatorValue.period_end, IndicatorValue.value)
        .join(IndicatorValue, IndicatorValue.indicator_id == Indicator.id)
        .where(IndicatorValue.team_id == team_id, IndicatorValue.period_end <= until)
        .order_by(Indicator.code, IndicatorValue.period_end)
    ).all()
    series: dict[int, tuple[Indicator, list[tuple[date, float]]]] = {}
    for indicator, period_end, value in found:
        series.setdefault(indicator.id, (indicator, []))[1].append((period_end, value))
    return list(series.values())


def complaints_received(session: Session, team_id: int, start: date, end: date) -> int:
    return session.exec(
        select(sa.func.count())
        .select_from(Complaint)
        .where(Complaint.team_id == team_id, Complaint.received.between(start, end))
    ).one()
