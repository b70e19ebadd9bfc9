"""`qpr db upgrade`: the database schema brought up to date."""

from __future__ import annotations

from bot.base.config import Settings
from storage import migrate
from storage.db import make_engine


def add(db) -> None:
    actions = db.add_subparsers(metavar="ACTION")
    upgrade = actions.add_parser("upgrade", help="bring the database schema up to date")
    upgrade.set_defaults(handler=run)


def run(args, settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    migrate.upgrade(engine)
    print(f"Database is at revision {migrate.current_revision(engine)}.")
    return 0
