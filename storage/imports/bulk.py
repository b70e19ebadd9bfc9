"""Writing many rows at once: COPY on PostgreSQL, the driver's executemany on SQLite.

Both bypass SQLAlchemy's per-row statement machinery, which costs more than the insert
itself at a million rows; values still go through each column type's own bind processor,
so what is stored is what the ORM would have stored.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

Progress = Callable[[int, int, str], None] | None

# Below this, COPY's set-up costs more than it saves.
COPY_THRESHOLD = 2_000
CHUNK = 50_000


def insert_rows(
    session: Session,
    table: sa.Table,
    rows: list[dict],
    constants: dict[str, Any] | None = None,
    progress: Progress = None,
) -> None:
    """Insert rows that all carry the same columns, plus `constants` on every row."""
    if not rows:
        return
    constants = constants or {}
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql" and len(rows) >= COPY_THRESHOLD:
        _copy(session, table, rows, constants, progress)
    elif dialect == "sqlite":
        _sqlite_executemany(session, table, rows, constants, progress)
    else:
        for start in range(0, len(rows), CHUNK):
            chunk = [{**row, **constants} for row in rows[start : start + CHUNK]]
            session.execute(sa.insert(table), chunk)
            _report(progress, start + len(chunk), len(rows))


def update_rows(
    session: Session,
    table: sa.Table,
    rows: list[dict],
    constants: dict[str, Any] | None = None,
) -> None:
    """Update rows by id; every row carries the same columns."""
    if not rows:
        return
    constants = constants or {}
    columns = [c for c in rows[0] if c != "id"] + list(constants)
    statement = (
        sa.update(table)
        .where(table.c.id == sa.bindparam("_id"))
        .values({c: sa.bindparam(c) for c in columns})
    )
    params = []
    for row in rows:
        param = {**row, **constants, "_id": row["id"]}
        del param["id"]
        params.append(param)
    connection = session.connection()
    for start in range(0, len(params), CHUNK):
        connection.execute(statement, params[start : start + CHUNK])


def _report(progress: Progress, done: int, total: int) -> None:
    if progress:
        progress(min(done, total), total, "writing")


def _processors(
    table: sa.Table, columns: list[str], dialect: sa.Dialect
) -> list[tuple[int, Callable]]:
    """(position, processor) for the columns whose type turns a value into something else."""
    found = []
    for position, column in enumerate(columns):
        process = table.c[column].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            found.append((position, _memoised(process)))
    return found


def _memoised(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    memo: dict[Any, Any] = {}

    def cached(value: Any) -> Any:
        # Dates and names repeat on most rows of a large file.
        try:
            return memo[value]
        except KeyError:
            result = memo[value] = process(value)
            return result
        except TypeError:  # unhashable, such as a list of tags
            return process(value)

    return cached


def _sqlite_executemany(
    session: Session,
    table: sa.Table,
    rows: list[dict],
    constants: dict[str, Any],
    progress: Progress,
) -> None:
    dialect = session.get_bind().dialect
    columns = list(rows[0])
    processors = _processors(table, columns, dialect)
    fixed = [constants[c] for c in constants]
    for position, process in _processors(table, list(constants), dialect):
        fixed[position] = process(fixed[position])
    names = ", ".join(f'"{c}"' for c in [*columns, *constants])
    marks = ", ".join("?" for _ in range(len(columns) + len(constants)))
    sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'

    def values(row: dict) -> list:
        out = [row[c] for c in columns]
        for position, process in processors:
            out[position] = process(out[position])
        out.extend(fixed)
        return out

    driver = session.connection().connection.driver_connection
    assert driver is not None  # a live sqlite3 connection
    cursor = driver.cursor()
    try:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            cursor.executemany(sql, [values(row) for row in chunk])
            _report(progress, start + len(chunk), len(rows))
    finally:
        cursor.close()


def _copy(
    session: Session,
    table: sa.Table,
    rows: list[dict],
    constants: dict[str, Any],
    progress: Progress,
) -> None:
    columns = list(rows[0])
    json_columns = {c for c in [*columns, *constants] if isinstance(table.c[c].type, sa.JSON)}

    def cell(column: str, value: Any) -> Any:
        return json.dumps(value) if column in json_columns else value

    fixed = tuple(cell(c, v) for c, v in constants.items())
    names = ", ".join(f'"{c}"' for c in [*columns, *constants])
    driver = session.connection().connection.driver_connection
    assert driver is not None  # a live psycopg connection, as COPY needs
    with (
        driver.cursor() as cursor,
        cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy,
    ):
        for done, row in enumerate(rows, start=1):
            copy.write_row((*(cell(c, row[c]) for c in columns), *fixed))
            if done % CHUNK == 0:
                _report(progress, done, len(rows))
