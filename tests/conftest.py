"""Shared fixtures: a migrated database on SQLite and, where a server is given, PostgreSQL.

`scripts/with-postgres` (run by `make test`) starts a throwaway PostgreSQL server and sets
QPR_TEST_POSTGRES_URL. Without it the PostgreSQL cases are skipped, except under CI, where a
skipped PostgreSQL test is a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

from storage import migrate
from storage.db import SessionFactory, create_postgres_database, make_engine

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
REAL = ROOT / "tests" / "data" / "real"
POSTGRES_ENV = "QPR_TEST_POSTGRES_URL"


def _require_postgres() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if url:
        return url
    reason = f"no PostgreSQL server: {POSTGRES_ENV} is not set (make test starts one)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason}; under CI every PostgreSQL test must run")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    return _require_postgres()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_migrated_url(postgres_server_url) -> str:
    url = create_postgres_database(postgres_server_url, "qpr_test")
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return url


def _truncate_all(engine: sa.Engine) -> None:
    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def engine(request, tmp_path, sqlite_template):
    """A migrated, empty database of each kind."""
    if request.param == "sqlite":
        path = tmp_path / "qpr.sqlite3"
        shutil.copy(sqlite_template, path)
        engine = make_engine(f"sqlite:///{path}")
        yield engine
        engine.dispose()
        return
    url = request.getfixturevalue("postgres_migrated_url")
    engine = make_engine(url)
    _truncate_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def factory(engine) -> SessionFactory:
    return SessionFactory(engine)


@pytest.fixture
def database_url(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def pytest_report_header(config):
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        return f"PostgreSQL: not available ({POSTGRES_ENV} unset); PostgreSQL tests skip"
    return f"PostgreSQL: {sa.make_url(url).render_as_string(hide_password=True)}"


def pytest_terminal_summary(terminalreporter):
    ran = [
        report
        for report in terminalreporter.stats.get("passed", [])
        + terminalreporter.stats.get("failed", [])
        if "postgres" in report.keywords
    ]
    terminalreporter.write_line(f"PostgreSQL tests run: {len(ran)}")
