"""The shape of an import: columns, problems, options, and what the database already holds."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from storage.models import Indicator, Team, stored_id
from storage.names import fold, near_name


@dataclass(frozen=True, order=True)
class Problem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column == "-":
            return f"row {self.row}: {self.message}" if self.row > 1 else self.message
        return f"row {self.row}, column {self.column}: {self.message}"


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    # Turns the cell's text into a value; raises CellError. A blank cell reads as None (or
    # is a problem in a required column) unless the column is raw: then parse decides.
    parse: Callable[[str], Any] = str
    raw: bool = False
    # Read and checked but not stored (descriptive columns of published files).
    stored: bool = True


@dataclass
class Mapping:
    """How a file's own layout maps onto ours: renamed columns, ignored ones, other codes."""

    columns: dict[str, str] = field(default_factory=dict)  # our column -> the file's header
    ignore: list[str] = field(default_factory=list)
    codes: dict[str, str] = field(default_factory=dict)  # the file's code -> our code
    indicator: str | None = None
    kind: str | None = None

    @classmethod
    def load(cls, path: Path) -> Mapping:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        unknown = set(data) - {"columns", "ignore", "codes", "indicator", "kind"}
        if unknown:
            raise ValueError(f"{path}: unknown setting {', '.join(sorted(unknown))}")
        for name in ("indicator", "kind"):
            if name in data and not isinstance(data[name], str):
                raise ValueError(f"{path}: {name} must be text, in quotes")
        if not isinstance(data.get("ignore", []), list):
            raise ValueError(f"{path}: ignore must be a list of column names")
        for table in ("columns", "codes"):
            if not all(isinstance(v, str) for v in data.get(table, {}).values()):
                raise ValueError(
                    f"{path}: every entry under [{table}] must be text; a setting "
                    "written after a [table] heading belongs to that table"
                )
        return cls(
            columns={str(k): str(v) for k, v in data.get("columns", {}).items()},
            ignore=[str(v) for v in data.get("ignore", [])],
            codes={str(k): str(v) for k, v in data.get("codes", {}).items()},
            indicator=data.get("indicator"),
            kind=data.get("kind"),
        )


@dataclass
class Options:
    dry_run: bool = False
    ignore_extra: bool = False
    mapping: Mapping = field(default_factory=Mapping)
    fy_start_month: int = 4
    source_name: str | None = None
    # A team name close to an existing one is refused as a likely slip unless this is set.
    new_team: bool = False
    # Dates after this are refused: a figure or a complaint cannot come from the future.
    today: date = field(default_factory=date.today)
    # Called as progress(rows_done, rows_total, phase) while a large file is checked and
    # written.
    progress: Callable[[int, int, str], None] | None = None


@dataclass(frozen=True)
class KnownIndicator:
    id: int
    code: str
    unit: str


class Known:
    """Teams and indicators already stored, looked up by their folded names and codes."""

    def __init__(self, session: Session, codes: dict[str, str]):
        stored = session.exec(select(Team.id, Team.name_key, Team.name)).all()
        self.teams: dict[str, int] = {key: stored_id(id_) for id_, key, _ in stored}
        self.team_names: dict[str, str] = {key: name for _, key, name in stored}
        self._near: dict[str, str | None] = {}
        self.indicators: dict[str, KnownIndicator] = {
            fold(code): KnownIndicator(stored_id(id_), code, str(unit))
            for id_, code, unit in session.exec(
                select(Indicator.id, Indicator.code, Indicator.unit)
            ).all()
        }
        self.codes = {fold(k): v for k, v in codes.items()}
        self.new_teams: dict[str, str] = {}  # folded name -> name as first written
        self.state: dict[str, Any] = {}  # what a kind remembers from row to row

        # Large files repeat a handful of names and codes on every row.
        self._team_keys: dict[str, str] = {}
        self._indicator_of: dict[str, KnownIndicator | None] = {}

    def team_key(self, name: str) -> str:
        key = self._team_keys.get(name)
        if key is None:
            key = self._team_keys[name] = fold(name)
            if key not in self.teams and key not in self.new_teams:
                self.new_teams[key] = " ".join(name.split())
        return key

    def near_team(self, key: str) -> str | None:
        """For a team not stored yet: a stored or earlier new team whose name is all but
        the same, most likely the same team written with a slip."""
        if key in self.teams:
            return None
        if key not in self._near:
            others = [*self.team_names.values()]
            others += [name for k, name in self.new_teams.items() if k != key]
            self._near[key] = near_name(self.new_teams.get(key, key), others)
        return self._near[key]

    def indicator(self, code: str) -> KnownIndicator | None:
        if code not in self._indicator_of:
            translated = self.codes.get(fold(code), code)
            self._indicator_of[code] = self.indicators.get(fold(translated))
        return self._indicator_of[code]
