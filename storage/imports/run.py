"""Validated, atomic, idempotent imports.

The whole file is read and checked before anything is written; a file with any bad row is
refused whole, with every problem listed. A good file is written in one transaction as an
upsert on natural keys, so importing it again changes nothing.
"""

from __future__ import annotations

import difflib
import gc
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from storage.db import SessionFactory
from storage.imports.bulk import insert_rows, update_rows
from storage.imports.cells import CellError
from storage.imports.kinds import KINDS, Kind, Row
from storage.imports.privacy import personal_column
from storage.imports.reading import Table, UnreadableFile, read_table
from storage.imports.spec import Known, Options, Problem
from storage.models import ImportRun, Team, stored_id, table_of, utcnow
from storage.names import fold

PROGRESS_STEP = 10_000
KEY = "_key"  # where a row keeps its natural key once worked out


class ImportRejected(Exception):
    """The file was not imported; `problems` says why, row by row."""

    def __init__(self, path: Path, problems: list[Problem]):
        self.path = path
        self.problems = sorted(problems)
        count = len(self.problems)
        super().__init__(f"{path.name}: {count} problem{'' if count == 1 else 's'}")


@dataclass
class ImportReport:
    kind: str
    file_name: str
    rows: int
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    new_teams: list[str] = field(default_factory=list)
    dry_run: bool = False
    # What looks wrong but may be right, row by row: imported, and said.
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class _Header:
    index: dict[str, int]  # our column name -> position in the row


def _unknown_column(raw: str, name: str, kind: Kind) -> Problem:
    names = [c.name for c in kind.columns]
    close = difflib.get_close_matches(name, names, n=1)
    guess = f" (did you mean {close[0]}?)" if close else ""
    return Problem(
        1,
        raw.strip(),
        (
            f"unknown column for {kind.name}{guess}; expected {', '.join(names)} "
            "(use --ignore-extra to skip it)"
        ),
    )


def _resolve_header(table: Table, kind: Kind, options: Options) -> tuple[_Header, list[Problem]]:
    problems: list[Problem] = []
    mapping = options.mapping
    renamed = {fold(source): ours for ours, source in mapping.columns.items()}
    ignored = {fold(name) for name in mapping.ignore}
    known = {c.name for c in kind.columns}
    index: dict[str, int] = {}
    for position, raw in enumerate(table.header):
        header = fold(raw)
        if not header:
            if any(position < len(row) and row[position].strip() for _, row in table.rows):
                problems.append(Problem(1, f"#{position + 1}", "a column with values has no name"))
            continue
        name = renamed.get(header, header)
        # A column that becomes one of ours (team, category...) is ours, whatever its
        # header says; any other is checked for personal details, ignored or not.
        if kind.personal_data_checked and name not in known:
            what = personal_column(raw)
            if what:
                problems.append(
                    Problem(
                        1,
                        raw.strip(),
                        (
                            f"looks like it holds {what}; {kind.name} are stored without names or "
                            "personal details, so remove the column and import again"
                        ),
                    )
                )
                continue
        if header in ignored and header not in renamed:
            continue
        if name not in known:
            if not options.ignore_extra:
                problems.append(_unknown_column(raw, name, kind))
            continue
        if name in index:
            problems.append(Problem(1, raw.strip(), "appears twice"))
            continue
        index[name] = position
    missing = sorted(kind.required_columns(options) - set(index))
    problems += [Problem(1, name, "missing required column") for name in missing]
    if missing and _header_further_down(table, missing):
        problems.append(
            Problem(
                1,
                "-",
                (
                    "the column names seem to be on a later row: the header must be the first row "
                    "(delete any title rows above it)"
                ),
            )
        )
    if ("numerator" in index) != ("denominator" in index):
        present = "numerator" if "numerator" in index else "denominator"
        absent = "denominator" if present == "numerator" else "numerator"
        problems.append(Problem(1, absent, f"must come with {present}: give both or neither"))
    if not problems and not table.rows:
        problems.append(Problem(2, "-", "the file has a header but no rows"))
    return _Header(index), problems


def _header_further_down(table: Table, missing: list[str]) -> bool:
    return any({fold(cell) for cell in row} >= set(missing) for _, row in table.rows[:10])


def _parse_rows(
    table: Table, header: _Header, kind: Kind, known: Known, options: Options
) -> tuple[list[tuple[int, Row]], list[Problem]]:
    problems: list[Problem] = []
    parsed: list[tuple[int, Row]] = []
    columns = [(c, header.index[c.name]) for c in kind.columns if c.name in header.index]
    required = kind.required_columns(options)
    total = len(table.rows)
    plan = [(c.name, position, c.parse, c.raw, c.name in required) for c, position in columns]
    width = max((position for _, position, *_ in plan), default=-1) + 1
    named = len(table.header)
    for done, (number, cells) in enumerate(table.rows, start=1):
        row: Row = {}
        bad = False
        if len(cells) > named and any(c.strip() for c in cells[named:]):
            # Usually a comma inside text that was not quoted: the rest of the row would
            # be silently cut off.
            problems.append(
                Problem(
                    number,
                    f"#{named + 1}",
                    ("a value beyond the last named column (text with a comma must be in quotes)"),
                )
            )
            bad = True
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        for name, position, parse, raw, is_required in plan:
            text = cells[position]
            if not raw and (not text or text.isspace()):
                if is_required:
                    problems.append(Problem(number, name, "is empty"))
                    bad = True
                else:
                    row[name] = None
                continue
            try:
                row[name] = parse(text)
            except CellError as exc:
                problems.append(Problem(number, name, str(exc)))
                bad = True
        if not bad:
            for column_name, message in kind.check(row, known, options):
                problems.append(Problem(number, column_name, message))
                bad = True
        if not bad:
            parsed.append((number, row))
        if options.progress and done % PROGRESS_STEP == 0:
            options.progress(done, total, "checking")
    return parsed, problems


def _duplicates(rows: list[tuple[int, Row]], kind: Kind) -> list[Problem]:
    first_seen: dict[tuple, int] = {}
    problems = []
    shown = ", ".join(kind.key_names)
    for number, row in rows:
        key = row[KEY] = kind.key(row)
        if key in first_seen:
            problems.append(Problem(number, shown, f"repeats row {first_seen[key]} (same {shown})"))
        else:
            first_seen[key] = number
    return problems


def import_file(
    factory: SessionFactory, kind_name: str, path: Path, options: Options | None = None
) -> ImportReport:
    """Import one file, or raise ImportRejected listing everything wrong with it."""
    # A large file becomes millions of small objects that all live until the end; the
    # cyclic collector would walk them again and again for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import_file(factory, KINDS[kind_name], Path(path), options or Options())
    finally:
        if collecting:
            gc.enable()


def _import_file(factory: SessionFactory, kind: Kind, path: Path, options: Options) -> ImportReport:
    try:
        table = read_table(path)
    except UnreadableFile as exc:
        raise ImportRejected(path, [Problem(0, "-", str(exc))]) from None
    header, problems = _resolve_header(table, kind, options)
    if problems:
        raise ImportRejected(path, problems)

    session = factory()
    try:
        known = Known(session, options.mapping.codes)
        rows, problems = _parse_rows(table, header, kind, known, options)
        kind.finish(rows)
        problems += _duplicates(rows, kind)
        if problems:
            raise ImportRejected(path, problems)
        report = ImportReport(
            kind.name, options.source_name or path.name, len(table.rows), dry_run=options.dry_run
        )
        report.new_teams = sorted(known.new_teams.values())
        report.warnings = sorted(kind.warnings(rows))
        plain_rows = [row for _, row in rows if not kind.skip(row)]
        report.skipped = len(rows) - len(plain_rows)
        _write(session, kind, plain_rows, known, header, report, options, path)
        if options.dry_run:
            session.rollback()
        else:
            session.commit()
        return report
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _write(
    session: Session,
    kind: Kind,
    rows: list[Row],
    known: Known,
    header: _Header,
    report: ImportReport,
    options: Options,
    path: Path,
) -> None:
    column_names = {c.name for c in kind.columns}
    compared = [i for i, f in enumerate(kind.fields) if f in header.index or f not in column_names]
    existing = kind.existing(session, rows, known)
    inserts: list[Row] = []
    updates: list[tuple[int, Row]] = []
    for row in rows:
        found = existing.get(row[KEY])
        if found is None:
            inserts.append(row)
            continue
        stored = found[1]
        if any(stored[i] != row.get(kind.fields[i]) for i in compared):
            updates.append((found[0], row))
    report.added, report.updated = len(inserts), len(updates)
    report.unchanged = len(rows) - len(inserts) - len(updates)
    if options.dry_run:
        return

    team_ids = _create_teams(session, known)
    now = utcnow()
    stamp: dict[str, Any] = {}
    table = table_of(kind.model)
    if "loaded_at" in table.c:
        stamp["loaded_at"] = now
    if "source_file" in table.c:
        stamp["source_file"] = report.file_name[:255]
    insert_rows(session, table, [kind.to_db(r, team_ids) for r in inserts], stamp, options.progress)
    update_rows(
        session, table, [{"id": id_, **kind.to_db(r, team_ids)} for id_, r in updates], stamp
    )
    session.add(
        ImportRun(
            kind=kind.name,
            file_name=report.file_name[:255],
            sha256=_sha256(path),
            rows=report.rows,
            added=report.added,
            updated=report.updated,
            unchanged=report.unchanged,
            new_teams=len(report.new_teams),
        )
    )
    session.flush()


def _create_teams(session: Session, known: Known) -> dict[str, int]:
    for key, name in known.new_teams.items():
        session.add(Team(name=name, name_key=key))
    session.flush()
    teams = session.execute(sa.select(col(Team.name_key), col(Team.id)))
    return {key: stored_id(id_) for key, id_ in teams}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
