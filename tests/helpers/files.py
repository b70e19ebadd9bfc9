"""Files and tables as the import tests make and read them."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlmodel import SQLModel

from storage.imports import import_file

INDICATORS = """code,title,unit,polarity,target,tags,key
ASCOF 3A,Overall satisfaction with care and support,percent,higher,65,satisfaction;survey,yes
ASCOF 2A(2),Permanent admissions to care homes aged 65+ per 100000,rate,lower,560,,no
CIN CASELOAD,Average caseload,count,lower,18,,no
"""


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def load_indicators(factory, tmp_path) -> None:
    import_file(factory, "indicators", write(tmp_path, "indicators.csv", INDICATORS))


def snapshot(engine) -> dict[str, list]:
    """Every row of every table, to prove a refused import left the database as it was."""
    with engine.connect() as conn:
        return {
            table.name: sorted(map(repr, conn.execute(sa.select(table)).all()))
            for table in SQLModel.metadata.sorted_tables
        }


def rows(factory, statement):
    with factory() as session:
        return session.exec(statement).all()
