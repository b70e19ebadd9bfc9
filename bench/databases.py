"""Fresh, migrated databases for the benchmarks."""

from __future__ import annotations

import uuid
from pathlib import Path

import sqlalchemy as sa

from storage import migrate
from storage.db import create_postgres_database, make_engine


def new_database(kind: str, postgres_url: str | None, folder: Path) -> sa.Engine:
    if kind == "sqlite":
        engine = make_engine(f"sqlite:///{folder / f'bench-{uuid.uuid4().hex[:8]}.sqlite3'}")
    else:
        engine = make_engine(create_postgres_database(postgres_url, "qpr_bench"))
    migrate.upgrade(engine)
    return engine
