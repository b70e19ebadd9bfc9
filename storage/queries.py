"""Reads that take a session and never commit on their own."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col, select

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
    stored_id,
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
        sa.select(
            col(IndicatorValue.indicator_id),
            col(IndicatorValue.period_end),
            col(IndicatorValue.value),
            col(IndicatorValue.numerator),
            col(IndicatorValue.denominator),
        )
        .where(col(IndicatorValue.team_id) == team_id, col(IndicatorValue.period_end) <= until)
        .order_by(col(IndicatorValue.indicator_id), col(IndicatorValue.period_end))
    )
    if only is not None:
        query = query.where(col(IndicatorValue.indicator_id).in_(only))
    return list(session.execute(query).all())


def key_indicator_ids(session: Session) -> set[int]:
    found = session.exec(select(col(Indicator.id)).where(col(Indicator.key))).all()
    return {stored_id(id_) for id_ in found}


def indicators_by_id(session: Session, ids: set[int]) -> dict[int, Indicator]:
    if not ids:
        return {}
    found = session.exec(select(Indicator).where(col(Indicator.id).in_(ids))).all()
    return {stored_id(i.id): i for i in found}


def newest_value_ends(session: Session, team_id: int) -> dict[int, date]:
    """{indicator id: the end of its newest period loaded}, whatever the quarter asked."""
    return dict(
        session.execute(
            select(col(IndicatorValue.indicator_id), sa.func.max(col(IndicatorValue.period_end)))
            .where(col(IndicatorValue.team_id) == team_id)
            .group_by(col(IndicatorValue.indicator_id))
        ).all()
    )


def complaints_touching(session: Session, team_id: int, since: date, until: date) -> list[tuple]:
    """(received, category, outcome, closed) of the complaints received from `since` to
    `until`, closed in that time, or still open at `until`."""
    return list(
        session.execute(
            select(
                col(Complaint.received),
                col(Complaint.category),
                col(Complaint.outcome),
                col(Complaint.closed),
            ).where(
                col(Complaint.team_id) == team_id,
                col(Complaint.received) <= until,
                sa.or_(
                    col(Complaint.received) >= since,
                    col(Complaint.closed).is_(None),
                    col(Complaint.closed) >= since,
                ),
            )
        ).all()
    )


def survey_results(session: Session, team_id: int) -> list[tuple]:
    """(survey, wave, question, response, count, positive) for every wave."""
    return list(
        session.execute(
            sa.select(
                col(SurveyResult.survey),
                col(SurveyResult.wave),
                col(SurveyResult.question),
                col(SurveyResult.response),
                col(SurveyResult.count),
                col(SurveyResult.positive),
            ).where(col(SurveyResult.team_id) == team_id)
        ).all()
    )


def views_between(session: Session, team_id: int, start: date, end: date) -> list[tuple]:
    """(received, kind, theme, text), newest first."""
    return list(
        session.execute(
            select(
                col(UserView.received), col(UserView.kind), col(UserView.theme), col(UserView.text)
            )
            .where(col(UserView.team_id) == team_id, col(UserView.received).between(start, end))
            .order_by(col(UserView.received).desc(), col(UserView.id).desc())
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
        sa.select(
            col(Indicator.code),
            col(Indicator.title),
            col(Indicator.unit),
            col(ComparatorValue.period_label),
            col(ComparatorValue.period_end),
            sa.func.count(),
            sa.func.count(col(ComparatorValue.value)),
            england,
            col(Indicator.unit_label),
        )
        .join(Indicator, col(Indicator.id) == col(ComparatorValue.indicator_id))
        .group_by(
            col(Indicator.code),
            col(Indicator.title),
            col(Indicator.unit),
            col(Indicator.unit_label),
            col(ComparatorValue.period_label),
            col(ComparatorValue.period_end),
        )
        .order_by(col(Indicator.code), col(ComparatorValue.period_end))
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
            col(ComparatorValue.indicator_id),
            col(ComparatorValue.period_end),
            col(ComparatorValue.value),
            col(ComparatorValue.period_start),
        )
        .where(
            sa.func.upper(ComparatorValue.area_code) == area_code.upper(),
            col(ComparatorValue.period_end) <= until,
            col(ComparatorValue.value).is_not(None),
        )
        .order_by(col(ComparatorValue.indicator_id), col(ComparatorValue.period_end))
    )
    if only is not None:
        query = query.where(col(ComparatorValue.indicator_id).in_(only))
    return list(session.execute(query).all())


def comparator_values(session: Session, indicator_ids: set[int]) -> list[tuple]:
    """(indicator_id, area_code, area_name, period_label, period_start, period_end, value)."""
    if not indicator_ids:
        return []
    return list(
        session.execute(
            sa.select(
                col(ComparatorValue.indicator_id),
                col(ComparatorValue.area_code),
                col(ComparatorValue.area_name),
                col(ComparatorValue.period_label),
                col(ComparatorValue.period_start),
                col(ComparatorValue.period_end),
                col(ComparatorValue.value),
            ).where(
                col(ComparatorValue.indicator_id).in_(indicator_ids),
                col(ComparatorValue.value).is_not(None),
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
        .order_by(col(OutcomeStatement.id))
    ).all()
    links: dict[int, set[int]] = {}
    if outcomes:
        for outcome_id, indicator_id in session.execute(
            select(OutcomeIndicator.outcome_id, OutcomeIndicator.indicator_id).where(
                col(OutcomeIndicator.outcome_id).in_([o.id for o in outcomes])
            )
        ):
            links.setdefault(outcome_id, set()).add(indicator_id)
    return [(o, links.get(stored_id(o.id), set())) for o in outcomes]


def team_indicators(session: Session, team_id: int) -> list[Indicator]:
    """The indicators the team has values for, key ones first."""
    ids = select(IndicatorValue.indicator_id).where(IndicatorValue.team_id == team_id).distinct()
    return list(
        session.exec(
            select(Indicator)
            .where(col(Indicator.id).in_(ids))
            .order_by(col(Indicator.key).desc(), col(Indicator.code))
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
        .where(col(OutcomeLink.outcome_id).in_(outcome_ids))
        .order_by(col(OutcomeLink.outcome_id), col(OutcomeLink.kind), col(OutcomeLink.value))
    ).all()
    for outcome_id, kind, value in rows:
        found[outcome_id].setdefault(str(kind), []).append(value)
    return found
