"""Claiming rows by inserting them where no row with the same key exists: `INSERT ... ON
CONFLICT DO NOTHING`, returning only the rows this transaction inserted. Many rows at once
on PostgreSQL go through COPY into a temporary table first, as a statement with thousands
of parameters costs more to send than the rows themselves."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

CHUNK = 500
COPY_FROM = 200


def insert_new(
    session: Session,
    table: sa.Table,
    key: list[str],
    rows: list[dict[str, Any]],
    returning: list[str],
) -> list[tuple]:
    """Insert the rows whose `key` is not taken; the `returning` columns of those inserted."""
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql" and len(rows) >= COPY_FROM:
        return _through_copy(session, table, key, rows, returning)
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(table)
    statement = insert.on_conflict_do_nothing(index_elements=key).returning(
        *(table.c[c] for c in returning)
    )
    found: list[tuple] = []
    for start in range(0, len(rows), CHUNK):
        found += [tuple(r) for r in session.execute(statement, rows[start : start + CHUNK])]
    return found


def _through_copy(
    session: Session,
    table: sa.Table,
    key: list[str],
    rows: list[dict[str, Any]],
    returning: list[str],
) -> list[tuple]:
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    connection = session.connection()
    connection.execute(
        sa.text(
            f'CREATE TEMPORARY TABLE claim_rows AS SELECT {names} FROM "{table.name}" WITH NO DATA'
        )
    )
    driver = connection.connection.driver_connection
    assert driver is not None  # a live psycopg connection, as COPY needs
    with driver.cursor() as cursor, cursor.copy(f"COPY claim_rows ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(tuple(row[c] for c in columns))
    inserted = connection.execute(
        sa.text(
            f'INSERT INTO "{table.name}" ({names}) SELECT {names} FROM claim_rows '
            f"ON CONFLICT ({', '.join(key)}) DO NOTHING "
            f"RETURNING {', '.join(returning)}"
        )
    ).all()
    connection.execute(sa.text("DROP TABLE claim_rows"))
    return [tuple(r) for r in inserted]
