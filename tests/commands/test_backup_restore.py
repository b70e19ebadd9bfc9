"""The README's backup and restore, run as an operator runs them: `pg_dump` and
`pg_restore` for PostgreSQL, `sqlite3 .backup` for SQLite. What comes back holds every
row, and `qpr` reads the review from it."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

from reviews import outcomes, teams
from storage import migrate
from storage.db import SessionFactory, create_postgres_database, make_engine
from storage.periods import parse_quarter
from tests.helpers.commands import qpr, text
from tests.helpers.review import agree_one_outcome


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed here")
    return found


def _rows(engine: sa.Engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {
            t.name: sorted(map(repr, conn.execute(t.select())))
            for t in SQLModel.metadata.sorted_tables
        }


def _a_review(engine: sa.Engine) -> None:
    with SessionFactory(engine).unit_of_work() as session:
        team, _ = teams.setup_team(session, "C1", "Reablement", "UFAC")
        review, _ = outcomes.start_review(session, team, parse_quarter("2026/27 Q2"), "UFAC")
        outcomes.set_thread(session, review, "1700000000.000100")
        agree_one_outcome(session, review, "UFAC")


def _libpq(url: str) -> str:
    """The URL as pg_dump takes it (no SQLAlchemy driver name)."""
    return sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.mark.postgres
def test_a_postgresql_backup_restores_every_row(postgres_server_url, tmp_path):
    pg_dump, pg_restore = _tool("pg_dump"), _tool("pg_restore")
    source = create_postgres_database(postgres_server_url, "qpr_backed_up")
    engine = make_engine(source)
    migrate.upgrade(engine)
    _a_review(engine)
    dump = tmp_path / "qpr.dump"
    subprocess.run(
        [pg_dump, "--format=custom", f"--file={dump}", _libpq(source)], check=True, timeout=60
    )
    restored = create_postgres_database(postgres_server_url, "qpr_restored")
    subprocess.run(
        [pg_restore, "--no-owner", f"--dbname={_libpq(restored)}", str(dump)],
        check=True,
        timeout=60,
    )
    copy = make_engine(restored)
    try:
        assert _rows(copy) == _rows(engine)
    finally:
        copy.dispose()
        engine.dispose()
    run = qpr("report", "--team", "Reablement", database=restored, cwd=tmp_path)
    assert run.returncode == 0, text(run)
    assert "People are safe at home" in run.stdout.decode()


def test_a_sqlite_backup_taken_while_in_use_restores_every_row(sqlite_template, tmp_path):
    sqlite3 = _tool("sqlite3")
    live = tmp_path / "qpr.sqlite3"
    shutil.copy(sqlite_template, live)
    engine = make_engine(f"sqlite:///{live}")
    _a_review(engine)
    backup = tmp_path / "qpr-backup.sqlite3"
    with engine.connect():  # the bot has it open
        subprocess.run([sqlite3, live, f".backup {backup}"], check=True, timeout=60)
    restored = tmp_path / "restored.sqlite3"
    shutil.copy(backup, restored)
    copy = make_engine(f"sqlite:///{restored}")
    try:
        assert _rows(copy) == _rows(engine)
    finally:
        copy.dispose()
        engine.dispose()
    run = qpr("report", "--team", "Reablement", database=f"sqlite:///{restored}", cwd=tmp_path)
    assert run.returncode == 0, text(run)
    assert "People are safe at home" in run.stdout.decode()
