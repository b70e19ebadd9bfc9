"""Writing many rows at once: COPY on PostgreSQL, executemany elsewhere."""

from __future__ import annotations

import json
from collections.abc import Callable

import sqlalchemy as sa
from sqlmodel import Session

# Below this, COPY's set-up costs more than it saves.
COPY_THRESHOLD = 2_000
CHUNK = 50_000


def insert_rows(
    session: Session,
    table: sa.Table,
    rows: list[dict],
    progress: Callable[[int, int, str], None] | None = None,
) -> None:
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql" and len(rows) >= COPY_THRESHOLD:
        _copy(session, table, rows, progress)
        return
    for start in range(0, len(rows), CHUNK):
        session.execute(sa.insert(table), rows[start : start + CHUNK])
        if progress:
            progress(min(start + CHUNK, len(rows)), len(rows), "writing")


def update_rows(session: Session, table: sa.Table, rows: list[dict]) -> None:
    """Update rows by id; every row carries the same columns."""
    if not rows:
        return
    columns = [c for c in rows[0] if c != "id"]
    statement = (
        sa.update(table)
        .where(table.c.id == sa.bindparam("_id"))
        .values({c: sa.bindparam(c) for c in columns})
    )
    params = [{**{c: r[c] for c in columns}, "_id": r["id"]} for r in rows]
    connection = session.connection()
    for start in range(0, len(params), CHUNK):
        connection.execute(statement, params[start : start + CHUNK])


def _copy(
    session: Session,
    table: sa.Table,
    rows: list[dict],
    progress: Callable[[int, int, str], None] | None,
) -> None:
    columns = list(rows[0])
    json_columns = {c for c in columns if isinstance(table.c[c].type, sa.JSON)}
    driver = session.connection().connection.driver_connection
    names = ", ".join(f'"{c}"' for c in columns)
    with (
        driver.cursor() as cursor,
        cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy,
    ):
        for done, row in enumerate(rows, start=1):
            copy.write_row([json.dumps(row[c]) if c in json_columns else row[c] for c in columns])
            if progress and done % CHUNK == 0:
                progress(done, len(rows), "writing")
