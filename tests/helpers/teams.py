"""Teams as an operator prepares them."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from bot.demo.play import DEMO_TEAM, FILES
from reviews import teams
from storage import migrate
from storage.db import SessionFactory, make_engine
from storage.imports import Options, import_file
from storage.models import Indicator


def name_first_facilitator(factory, name: str, user: str = "UFAC") -> None:
    """As `qpr team NAME --facilitator USER` does: a team whose data is loaded is set up in
    Slack by a facilitator the operator named."""
    with factory.unit_of_work() as session:
        teams.name_facilitator(session, name, user)


def sample_store(folder: Path, facilitator: str) -> tuple[SessionFactory, dict[str, int]]:
    """A SQLite store in `folder` holding the sample data, its demo team's first facilitator
    named; with the indicators' ids by code."""
    factory = SessionFactory(make_engine(f"sqlite:///{folder / 'qpr.sqlite3'}"))
    migrate.upgrade(factory.engine)
    for kind, path in FILES:
        import_file(factory, kind, path, Options())
    name_first_facilitator(factory, DEMO_TEAM, facilitator)
    with factory() as session:
        return factory, dict(session.exec(select(Indicator.code, Indicator.id)).all())
