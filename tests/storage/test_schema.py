"""The migrated schema: it matches the models, and it keeps the data sound."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from storage import migrate
from storage.db import create_postgres_database, make_engine
from storage.models import Complaint, Indicator, IndicatorValue, Judgement, Review, Team


def _differences(engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)


def test_migrated_schema_matches_the_models(engine):
    assert _differences(engine) == []


def test_upgrade_creates_every_table_in_an_empty_sqlite_file(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    migrate.upgrade(engine)
    tables = set(sa.inspect(engine).get_table_names())
    assert {t.name for t in SQLModel.metadata.sorted_tables} <= tables
    assert migrate.current_revision(engine) == migrate.head_revision(engine)
    migrate.upgrade(engine)  # a second upgrade is a no-op
    assert _differences(engine) == []


@pytest.mark.postgres
def test_upgrade_creates_every_table_in_an_empty_postgresql_database(postgres_server_url):
    engine = make_engine(create_postgres_database(postgres_server_url))
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision(engine)
    assert _differences(engine) == []
    engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def _team(conn, name="Older People's Services") -> int:
    return conn.execute(
        sa.insert(Team.__table__)
        .values(
            name=name,
            name_key=name.casefold(),
            timezone="Europe/London",
            complaint_response_days=20,
            created_at=sa.func.now(),
        )
        .returning(Team.__table__.c.id)
    ).scalar_one()


def _indicator(conn, code="ASCOF 3A", unit="percent") -> int:
    return conn.execute(
        sa.insert(Indicator.__table__)
        .values(code=code, title="Satisfaction", unit=unit, polarity="higher", tags=[], key=False)
        .returning(Indicator.__table__.c.id)
    ).scalar_one()


def _value(conn, team_id, indicator_id, **overrides):
    values = {
        "team_id": team_id,
        "indicator_id": indicator_id,
        "period_end": date(2026, 6, 30),
        "value": 61.5,
        "loaded_at": sa.func.now(),
    }
    values.update(overrides)
    conn.execute(sa.insert(IndicatorValue.__table__).values(**values))


def test_a_value_for_a_team_that_does_not_exist_is_refused(engine):
    with engine.begin() as conn:
        indicator_id = _indicator(conn)
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        _value(conn, 999, indicator_id)


def test_one_value_per_team_indicator_and_period_end(engine):
    with engine.begin() as conn:
        team_id, indicator_id = _team(conn), _indicator(conn)
        _value(conn, team_id, indicator_id)
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        _value(conn, team_id, indicator_id, value=70.0)


def test_a_numerator_above_its_denominator_is_refused(engine):
    with engine.begin() as conn:
        team_id, indicator_id = _team(conn), _indicator(conn)
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        _value(conn, team_id, indicator_id, numerator=12, denominator=10)


def test_an_unknown_unit_is_refused_by_the_database(engine):
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO indicator (code, title, unit, polarity, tags, key) "
                "VALUES ('X1', 'x', 'miles', 'higher', '[]', false)"
            )
        )


def test_team_names_are_unique_whatever_their_case(engine):
    with engine.begin() as conn:
        _team(conn, "Children in Need")
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        _team(conn, "CHILDREN IN NEED")


def test_a_complaint_cannot_close_before_it_was_received(engine):
    with engine.begin() as conn:
        team_id = _team(conn)
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(
            sa.insert(Complaint.__table__).values(
                team_id=team_id,
                reference="r1",
                received=date(2026, 5, 1),
                category="delays",
                outcome="upheld",
                closed=date(2026, 4, 1),
                loaded_at=sa.func.now(),
            )
        )


def test_deleting_a_team_removes_its_values(engine):
    with engine.begin() as conn:
        team_id, indicator_id = _team(conn), _indicator(conn)
        _value(conn, team_id, indicator_id)
    with engine.begin() as conn:
        conn.execute(sa.delete(Team.__table__).where(Team.__table__.c.id == team_id))
        remaining = conn.execute(sa.select(sa.func.count()).select_from(IndicatorValue)).scalar()
    assert remaining == 0


def _review(conn, team_id: int) -> int:
    return conn.execute(
        sa.insert(Review.__table__)
        .values(
            team_id=team_id,
            period_label="2026/27 Q1",
            period_start=date(2026, 4, 1),
            period_end=date(2026, 6, 30),
            stage="evidence",
            created_at=sa.func.now(),
        )
        .returning(Review.__table__.c.id)
    ).scalar_one()


def _overall(conn, review_id: int, rating: str) -> None:
    conn.execute(
        sa.insert(Judgement.__table__).values(
            review_id=review_id,
            outcome_id=None,
            rating=rating,
            rationale="",
            recorded_by="U1",
            recorded_at=sa.func.now(),
        )
    )


def test_a_review_has_one_overall_judgement(engine):
    with engine.begin() as conn:
        first, second = _review(conn, _team(conn)), _review(conn, _team(conn, "Carers"))
        _overall(conn, first, "good progress")
        _overall(conn, second, "some progress")  # another review's is its own
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        _overall(conn, first, "some progress")
