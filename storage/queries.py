"""Reads that take a session and never commit on their own."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from storage.models import (
    ComparatorValue,
    Complaint,
    Indicator,
    IndicatorValue,
    LinkKind,
    OutcomeIndicator,
    OutcomeLink,
    OutcomeStatement,
    OutcomeStatus,
    Review,
    SurveyResult,
    Team,
    UserView,
)
from storage.names import fold


def team_by_name(session: Session, name: str) -> Team | None:
    return session.exec(select(Team).where(Team.name_key == fold(name))).first()


def team_names(session: Session) -> list[str]:
    return list(session.exec(select(Team.name).order_by(Team.name)).all())


def team_values(
    session: Session, team_id: int, until: date, only: set[int] | None = None
) -> list[tuple]:
    """(indicator_id, period_end, value, numerator, denominator) up to `until`, in order;
    of the indicators in `only`, when it is given."""
    query = (
        select(
            IndicatorValue.indicator_id,
            IndicatorValue.period_end,
            IndicatorValue.value,
            IndicatorValue.numerator,
            IndicatorValue.denominator,
        )
        .where(IndicatorValue.team_id == team_id, IndicatorValue.period_end <= until)
        .order_by(IndicatorValue.indicator_id, IndicatorValue.period_end)
    )
    if only is not None:
        query = query.where(IndicatorValue.indicator_id.in_(only))
    return list(session.execute(query).all())


def key_indicator_ids(session: Session) -> set[int]:
    return set(session.exec(select(Indicator.id).where(Indicator.key)).all())


def indicators_by_id(session: Session, ids: set[int]) -> dict[int, Indicator]:
    if not ids:
        return {}
    return {i.id: i for i in session.exec(select(Indicator).where(Indicator.id.in_(ids))).all()}


def newest_value_ends(session: Session, team_id: int) -> dict[int, date]:
    """{indicator id: the end of its newest period loaded}, whatever the quarter asked."""
    return dict(
        session.execute(
            select(IndicatorValue.indicator_id, sa.func.max(IndicatorValue.period_end))
            .where(IndicatorValue.team_id == team_id)
            .group_by(IndicatorValue.indicator_id)
        ).all()
    )


def complaints_touching(session: Session, team_id: int, since: date, until: date) -> list[tuple]:
    """(received, category, outcome, closed) of the complaints received from `since` to
    `until`, closed in that time, or still open at `until`."""
    return list(
        session.execute(
            select(
                Complaint.received, Complaint.category, Complaint.outcome, Complaint.closed
            ).where(
                Complaint.team_id == team_id,
                Complaint.received <= until,
                sa.or_(
                    Complaint.received >= since,
                    Complaint.closed.is_(None),
                    Complaint.closed >= since,
                ),
            )
        ).all()
    )


def survey_results(session: Session, team_id: int) -> list[tuple]:
    """(survey, wave, question, response, count, positive) for every wave."""
    return list(
        session.execute(
            select(
                SurveyResult.survey,
                SurveyResult.wave,
                SurveyResult.question,
                SurveyResult.response,
                SurveyResult.count,
                SurveyResult.positive,
            ).where(SurveyResult.team_id == team_id)
        ).all()
    )


def views_between(session: Session, team_id: int, start: date, end: date) -> list[tuple]:
    """(received, kind, theme, text), newest first."""
    return list(
        session.execute(
            select(UserView.received, UserView.kind, UserView.theme, UserView.text)
            .where(UserView.team_id == team_id, UserView.received.between(start, end))
            .order_by(UserView.received.desc(), UserView.id.desc())
        ).all()
    )


def comparator_coverage(session: Session, indicator_code: str | None = None) -> list[tuple]:
    """(code, title, unit, period_label, period_end, areas, with a value, England's value,
    unit label) of the comparators loaded, by indicator and period."""
    england = sa.func.max(
        sa.case(
            (
                sa.or_(
                    sa.func.upper(ComparatorValue.area_code).like("E92%"),
                    sa.func.lower(ComparatorValue.area_name) == "england",
                ),
                ComparatorValue.value,
            )
        )
    )
    statement = (
        select(
            Indicator.code,
            Indicator.title,
            Indicator.unit,
            ComparatorValue.period_label,
            ComparatorValue.period_end,
            sa.func.count(),
            sa.func.count(ComparatorValue.value),
            england,
            Indicator.unit_label,
        )
        .join(Indicator, Indicator.id == ComparatorValue.indicator_id)
        .group_by(
            Indicator.code,
            Indicator.title,
            Indicator.unit,
            Indicator.unit_label,
            ComparatorValue.period_label,
            ComparatorValue.period_end,
        )
        .order_by(Indicator.code, ComparatorValue.period_end)
    )
    if indicator_code:
        code = " ".join(indicator_code.split()).lower()
        statement = statement.where(sa.func.lower(Indicator.code) == code)
    return list(session.execute(statement).all())


def area_values(
    session: Session, area_code: str, until: date, only: set[int] | None = None
) -> list[tuple]:
    """(indicator_id, period_end, value, period_start) published for one area, up to
    `until`, in order: a council's own figures as comparator files carry them."""
    query = (
        select(
            ComparatorValue.indicator_id,
            ComparatorValue.period_end,
            ComparatorValue.value,
            ComparatorValue.period_start,
        )
        .where(
            sa.func.upper(ComparatorValue.area_code) == area_code.upper(),
            ComparatorValue.period_end <= until,
            ComparatorValue.value.is_not(None),
        )
        .order_by(ComparatorValue.indicator_id, ComparatorValue.period_end)
    )
    if only is not None:
        query = query.where(ComparatorValue.indicator_id.in_(only))
    return list(session.execute(query).all())


def comparator_values(session: Session, indicator_ids: set[int]) -> list[tuple]:
    """(indicator_id, area_code, area_name, period_label, period_start, period_end, value)."""
    if not indicator_ids:
        return []
    return list(
        session.execute(
            select(
                ComparatorValue.indicator_id,
                ComparatorValue.area_code,
                ComparatorValue.area_name,
                ComparatorValue.period_label,
                ComparatorValue.period_start,
                ComparatorValue.period_end,
                ComparatorValue.value,
            ).where(
                ComparatorValue.indicator_id.in_(indicator_ids), ComparatorValue.value.is_not(None)
            )
        ).all()
    )


def review_for(session: Session, team_id: int, period_end: date) -> Review | None:
    return session.exec(
        select(Review).where(Review.team_id == team_id, Review.period_end == period_end)
    ).first()


def agreed_outcomes(session: Session, review_id: int) -> list[tuple[OutcomeStatement, set[int]]]:
    """Each agreed outcome of a review with the ids of the indicators linked to it."""
    outcomes = session.exec(
        select(OutcomeStatement)
        .where(
            OutcomeStatement.review_id == review_id, OutcomeStatement.status == OutcomeStatus.AGREED
        )
        .order_by(OutcomeStatement.id)
    ).all()
    links: dict[int, set[int]] = {}
    if outcomes:
        for outcome_id, indicator_id in session.execute(
            select(OutcomeIndicator.outcome_id, OutcomeIndicator.indicator_id).where(
                OutcomeIndicator.outcome_id.in_([o.id for o in outcomes])
            )
        ):
            links.setdefault(outcome_id, set()).add(indicator_id)
    return [(o, links.get(o.id, set())) for o in outcomes]


def team_indicators(session: Session, team_id: int) -> list[Indicator]:
    """The indicators the team has values for, key ones first."""
    ids = select(IndicatorValue.indicator_id).where(IndicatorValue.team_id == team_id).distinct()
    return list(
        session.exec(
            select(Indicator)
            .where(Indicator.id.in_(ids))
            .order_by(Indicator.key.desc(), Indicator.code)
        ).all()
    )


def indicator_id(session: Session, code: str) -> int | None:
    return session.exec(select(Indicator.id).where(Indicator.code == code)).first()


def team_evidence_names(session: Session, team_id: int) -> dict[str, list[str]]:
    """The complaint categories, view themes and survey questions the team has any of: what
    an outcome can be linked to besides indicators."""
    found = {}
    for kind, column, table in (
        (LinkKind.COMPLAINT_CATEGORY, Complaint.category, Complaint),
        (LinkKind.VIEW_THEME, UserView.theme, UserView),
        (LinkKind.SURVEY_QUESTION, SurveyResult.question, SurveyResult),
    ):
        found[kind.value] = list(
            session.execute(
                select(column).where(table.team_id == team_id).distinct().order_by(column)
            ).scalars()
        )
    return found


def outcome_links(session: Session, outcome_ids: set[int]) -> dict[int, dict[str, list[str]]]:
    """{outcome id: {kind: [value, ...]}} of the links besides indicators."""
    found: dict[int, dict[str, list[str]]] = {i: {} for i in outcome_ids}
    if not outcome_ids:
        return found
    rows = session.execute(
        select(OutcomeLink.outcome_id, OutcomeLink.kind, OutcomeLink.value)
        .where(OutcomeLink.outcome_id.in_(outcome_ids))
        .order_by(OutcomeLink.outcome_id, OutcomeLink.kind, OutcomeLink.value)
    ).all()
    for outcome_id, kind, value in rows:
        found[outcome_id].setdefault(str(kind), []).append(value)
    return found
