"""The six kinds of import file: their columns, their checks, and their natural keys."""

from __future__ import annotations

import enum
import hashlib
from collections import Counter
from collections.abc import Callable
from datetime import date
from functools import cached_property
from operator import itemgetter
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute
from sqlmodel import Session, SQLModel, col, select

from storage.areas import is_aggregate
from storage.imports.cells import (
    CellError,
    clean_text,
    missing_marker,
    parse_choice,
    parse_count,
    parse_date,
    parse_number,
    parse_yes_no,
    text,
)
from storage.imports.privacy import personal_detail_in_text
from storage.imports.spec import Column, Known, Options, Problem
from storage.models import (
    Basis,
    ComparatorValue,
    Complaint,
    ComplaintOutcome,
    Frequency,
    Indicator,
    IndicatorValue,
    Polarity,
    SurveyResult,
    Team,
    Unit,
    UserView,
    ViewKind,
    stored_id,
)
from storage.names import fold
from storage.periods import PeriodError, parse_period

Row = dict[str, Any]
Issues = list[tuple[str, str]]  # (column, message)

NON_NEGATIVE_UNITS = frozenset({"percent", "rate", "count", "days"})
VIEW_TEXT_LIMIT = 500
MAX_LAG_DAYS = 730
# The words published tables use for a series' basis, beside our own.
BASIS_WORDS = {
    "rolling 12 months": Basis.ROLLING_12_MONTHS,
    "rolling": Basis.ROLLING_12_MONTHS,
    "12 month rolling": Basis.ROLLING_12_MONTHS,
    "year to date": Basis.YEAR_TO_DATE,
    "ytd": Basis.YEAR_TO_DATE,
    "cumulative": Basis.YEAR_TO_DATE,
}


def _choice(enum_type: type[enum.Enum], what: str) -> Callable[[str], str]:
    choices = tuple(m.value for m in enum_type)
    return lambda text: parse_choice(text, choices, what)


def _tags(text: str) -> list[str]:
    tags: list[str] = []
    for part in text.split(";"):
        tag = clean_text(part).lower()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def _basis(text: str) -> str:
    folded = " ".join(text.lower().replace("_", " ").replace("-", " ").split())
    if folded in BASIS_WORDS:
        return BASIS_WORDS[folded].value
    return parse_choice(folded.replace(" ", "_"), tuple(b.value for b in Basis), "basis")


def _lag_days(text: str) -> int:
    days = parse_number(text)
    if days != int(days) or days < 0:
        raise CellError(f"'{text.strip()}' is not a number of days (0 or more, whole)")
    if days > MAX_LAG_DAYS:
        raise CellError(f"'{text.strip()}' days is more than two years: is it a lag in days?")
    return int(days)


def _value_with_marker(text: str) -> tuple[float | None, str | None]:
    try:
        return parse_number(text), None
    except CellError:
        marker = missing_marker(text)
        if marker is None:
            raise
        return None, marker


def _range_issues(column: str, value: float | None, unit: str) -> Issues:
    if value is None:
        return []
    if unit == "percent" and not 0 <= value <= 100:
        return [(column, f"{value:g} is outside 0-100, but the indicator is a percentage")]
    if unit in NON_NEGATIVE_UNITS and value < 0:
        return [(column, f"{value:g} is negative, but the indicator's unit is {unit}")]
    return []


class Kind:
    """One kind of file. Subclasses say what a row holds and how it is matched and stored."""

    name: ClassVar[str]
    model: ClassVar[type[SQLModel]]
    columns: ClassVar[tuple[Column, ...]]
    key_columns: ClassVar[tuple[str, ...]]
    # Columns compared against the stored row; only those present in the file are updated.
    fields: ClassVar[tuple[str, ...]]
    personal_data_checked: ClassVar[bool] = False
    has_team: ClassVar[bool] = True

    @property
    def key_names(self) -> tuple[str, ...]:
        """The natural key as the file's columns name it."""
        return tuple(c.removesuffix("_id") for c in self.key_columns)

    def required_columns(self, options: Options) -> set[str]:
        return {c.name for c in self.columns if c.required}

    def check(self, row: Row, known: Known, options: Options) -> Issues:
        """Checks across cells, and resolving names to stored things. May add to the row."""
        return []

    def finish(self, rows: list[tuple[int, Row]]) -> None:
        """A last pass over all rows, once every row has been read."""

    def warnings(self, rows: list[tuple[int, Row]]) -> list[Problem]:
        """What looks wrong but may be right: said, and imported all the same."""
        return []

    def key(self, row: Row) -> tuple:
        return self._key_of(row)

    @cached_property
    def _key_of(self) -> Callable[[Row], tuple]:
        if len(self.key_columns) == 1:
            (column,) = self.key_columns
            return lambda row: (row[column],)
        return itemgetter(*self.key_columns)

    def skip(self, row: Row) -> bool:
        return False

    def column(self, name: str) -> InstrumentedAttribute[Any]:
        """The model's column of that name; `team` is its team's id, as in `key_columns`."""
        return getattr(self.model, "team_id" if name == "team" else name)

    def existing(self, session: Session, rows: list[Row], known: Known) -> dict[tuple, tuple]:
        """The stored rows this file could touch: key -> (id, stored field values)."""
        keys = [self.column(c) for c in self.key_columns]
        query = sa.select(self.column("id"), *keys, *[self.column(f) for f in self.fields])
        team_names = None
        if self.has_team:
            team_names = _team_ids_by_key(session, {r["team"] for r in rows})
            if not team_names:
                return {}
            query = query.where(self.column("team").in_(team_names))
        if "indicator_id" in self.key_columns:
            query = query.where(self.column("indicator_id").in_({r["indicator_id"] for r in rows}))
        width = len(self.key_columns)
        found = {}
        for id_, *parts in session.execute(query):
            if team_names is not None:
                parts[0] = team_names[parts[0]]
            stored = tuple(v.value if isinstance(v, enum.Enum) else v for v in parts[width:])
            found[self.stored_key(parts[:width])] = (id_, stored)
        return found

    def stored_key(self, parts: list) -> tuple:
        """A stored row's key, in the form `key()` gives a row of the file."""
        return tuple(parts)

    def to_db(self, row: Row, team_ids: dict[str, int]) -> dict[str, Any]:
        values = {f: row[f] for f in self.fields if f in row}
        for column in self.key_columns:
            if column == "team":
                values["team_id"] = team_ids[row["team"]]
            else:
                values[column] = row[column]
        return values


def _team_ids_by_key(session: Session, keys: set[str]) -> dict[int, str]:
    if not keys:
        return {}
    found = session.exec(select(col(Team.id), Team.name_key).where(col(Team.name_key).in_(keys)))
    return {stored_id(id_): key for id_, key in found}


class Indicators(Kind):
    name = "indicators"
    model = Indicator
    has_team = False
    columns = (
        Column("code", True, text(40)),
        Column("title", True, text(300)),
        Column("unit", True, _choice(Unit, "unit")),
        Column("unit_label", False, text(60)),
        Column("polarity", True, _choice(Polarity, "polarity")),
        Column("target", False, parse_number),
        Column("tags", False, _tags),
        Column("key", False, parse_yes_no),
        Column("source", False, text(300)),
        Column("caveats", False, str.strip),
        Column("description", False, str.strip),
        Column("recalculate_from", False, parse_date),
        Column("recalculate_reason", False, text(300)),
        Column("basis", False, _basis),
        Column("frequency", False, _choice(Frequency, "frequency")),
        Column("lag_days", False, _lag_days),
    )
    key_columns = ("code",)
    fields = (
        "code",
        "title",
        "unit",
        "unit_label",
        "polarity",
        "target",
        "tags",
        "key",
        "source",
        "caveats",
        "description",
        "recalculate_from",
        "recalculate_reason",
        "basis",
        "frequency",
        "lag_days",
    )

    def check(self, row: Row, known: Known, options: Options) -> Issues:
        return _range_issues("target", row.get("target"), row["unit"])

    def key(self, row: Row) -> tuple:
        return (fold(row["code"]),)

    def stored_key(self, parts: list) -> tuple:
        return (fold(parts[0]),)

    def to_db(self, row: Row, team_ids: dict[str, int]) -> dict[str, Any]:
        values = super().to_db(row, team_ids)
        values["tags"] = values.get("tags") or []
        values["key"] = bool(values.get("key"))
        values["basis"] = values.get("basis") or Basis.POINT.value
        return values


class Values(Kind):
    name = "values"
    model = IndicatorValue
    columns = (
        Column("team", True, text(120)),
        Column("indicator", True, clean_text),
        Column("period_end", True, parse_date),
        Column("value", True, _value_with_marker, raw=True),
        Column("numerator", False, parse_number),
        Column("denominator", False, parse_number),
    )
    key_columns = ("team", "indicator_id", "period_end")
    fields = ("value", "numerator", "denominator")

    def check(self, row: Row, known: Known, options: Options) -> Issues:
        issues = _team_issues(row, known, options)
        if row["period_end"] > options.today:
            issues.append(("period_end", f"{row['period_end']:%d/%m/%Y} is in the future"))
        indicator = known.indicator(row["indicator"])
        if indicator is None:
            return [
                *issues,
                (
                    "indicator",
                    f"unknown indicator '{row['indicator']}': "
                    "load it with an indicators file first",
                ),
            ]
        row["indicator_id"] = indicator.id
        row["value"], row["missing"] = row["value"]
        issues += _range_issues("value", row["value"], indicator.unit)
        numerator, denominator = row.get("numerator"), row.get("denominator")
        for column, number in (("numerator", numerator), ("denominator", denominator)):
            if number is not None and number < 0:
                issues.append((column, f"{number:g} is negative"))
        if numerator is not None and denominator is not None and numerator > denominator:
            issues.append(("numerator", f"{numerator:g} is above the denominator {denominator:g}"))
        return issues

    def skip(self, row: Row) -> bool:
        # A month with no published value is left out, not stored as zero.
        return row["value"] is None


class Comparators(Kind):
    name = "comparators"
    model = ComparatorValue
    has_team = False
    columns = (
        Column("indicator", True, clean_text),
        Column("area_code", True, text(20, "upper")),
        Column("area_name", True, text(120)),
        Column("period", True, clean_text),
        Column("value", True, _value_with_marker, raw=True),
        Column("measure", False, str, stored=False),
        Column("unit", False, str, stored=False),
    )
    key_columns = ("indicator_id", "area_code", "period_start", "period_end")
    key_names = ("indicator", "area_code", "period")
    fields = ("area_name", "period_label", "value", "missing_marker")

    def warnings(self, rows: list[tuple[int, Row]]) -> list[Problem]:
        return _implausible(rows)

    def required_columns(self, options: Options) -> set[str]:
        required = super().required_columns(options)
        if options.mapping.indicator:
            required.discard("indicator")
        return required

    def check(self, row: Row, known: Known, options: Options) -> Issues:
        named = options.mapping.indicator
        issues: Issues = []
        if named:
            # The file names its indicator in words; the option says which one it is, and a
            # second indicator in the same file would be mislabelled.
            seen = known.state.get("indicator")
            if row.get("indicator"):
                if seen is None:
                    known.state["indicator"] = fold(row["indicator"])
                elif fold(row["indicator"]) != seen:
                    issues.append(
                        (
                            "indicator",
                            f"the file holds more than one indicator "
                            f"('{row['indicator']}'), but --indicator "
                            f"names only {named}",
                        )
                    )
            code = named
        else:
            code = row["indicator"]
        indicator = known.indicator(code)
        if indicator is None:
            if named:
                return [
                    *issues,
                    (
                        "--indicator",
                        f"unknown indicator '{code}': load it with an indicators file first",
                    ),
                ]
            hint = (
                " (if the file names its indicator in words, give its code with --indicator)"
                if " " in code.strip() and len(code) > 40
                else ""
            )
            return [
                *issues,
                (
                    "indicator",
                    f"unknown indicator '{code}': load it with an indicators file first{hint}",
                ),
            ]
        row["indicator_id"] = indicator.id
        row["indicator_code"] = indicator.code
        try:
            period = _comparator_period(row["period"], options.fy_start_month)
        except (PeriodError, CellError) as exc:
            return [*issues, ("period", str(exc))]
        row["period_label"], row["period_start"], row["period_end"] = period
        row["value"], row["missing_marker"] = row["value"]
        return issues + _range_issues("value", row["value"], indicator.unit)


# A value this many interquartile ranges beyond the middle half of every other council's for
# the same measure and year is implausible (Tukey's far-out fence), not merely low or high.
FAR_OUT = 3
FEW_COUNCILS = 8


def _implausible(rows: list[tuple[int, Row]]) -> list[Problem]:
    """Councils' values far outside every other council's for the same measure and year
    (more than three interquartile ranges beyond their middle half): a misplaced decimal
    point, or a 0 written for a survey not run. England and its regions are aggregates and
    are not weighed; fewer than eight councils are too few to tell."""
    groups: dict[tuple, list[tuple[int, Row]]] = {}
    for number, row in rows:
        if row.get("value") is not None and not is_aggregate(row["area_code"]):
            key = (row["indicator_id"], row["period_start"], row["period_end"])
            groups.setdefault(key, []).append((number, row))
    found = []
    for members in groups.values():
        if len(members) < FEW_COUNCILS:
            continue
        for number, row in members:
            others = sorted(r["value"] for n, r in members if n != number)
            q1, q3 = others[len(others) // 4], others[(3 * len(others)) // 4]
            spread = q3 - q1
            if spread <= 0:
                continue
            if row["value"] < q1 - FAR_OUT * spread or row["value"] > q3 + FAR_OUT * spread:
                found.append(
                    Problem(
                        number,
                        "value",
                        f"{row['area_name']}'s {row['indicator_code']} for {row['period_label']}, "
                        f"{row['value']:g}, is far from every other council's (half of them "
                        f"between {q1:g} and {q3:g}): imported, but check it",
                    )
                )
    return found


def _comparator_period(text: str, fy_start_month: int) -> tuple[str, date, date]:
    """A year or quarter label, or failing that a date (a period ending that day)."""
    try:
        period = parse_period(text, fy_start_month)
    except PeriodError as not_a_period:
        try:
            day = parse_date(text)
        except CellError:
            raise not_a_period from None
        return day.isoformat(), day, day
    return period.label, period.start, period.end


def _received_issues(row: Row, options: Options) -> Issues:
    if row["received"] > options.today:
        return [("received", f"{row['received']:%d/%m/%Y} is in the future")]
    return []


def _team_issues(row: Row, known: Known, options: Options) -> Issues:
    """The row's team as its folded key; a new name all but the same as a team's is refused
    as a likely slip, unless new teams are asked for."""
    name = row["team"]
    row["team"] = known.team_key(name)
    near = None if options.new_team else known.near_team(row["team"])
    if near:
        return [
            (
                "team",
                f"'{name}' is not a team yet: did you mean '{near}'? (--new-team creates it "
                "as a new team)",
            )
        ]
    return []


def _derive_references(rows: list[tuple[int, Row]], parts: tuple[str, ...]) -> None:
    """Give rows without a reference one made of their contents and their place among
    identical rows, so the same file imported again matches the same stored rows."""
    seen: Counter[tuple] = Counter()
    for _, row in rows:
        if row.get("reference"):
            continue
        base = tuple(str(row[p]).lower() for p in parts)
        seen[(row["team"], *base)] += 1
        digest = hashlib.sha1("|".join(base).encode(), usedforsecurity=False).hexdigest()[:16]
        row["reference"] = f"auto:{digest}:{seen[(row['team'], *base)]}"


class Complaints(Kind):
    name = "complaints"
    model = Complaint
    personal_data_checked = True
    columns = (
        Column("team", True, text(120)),
        Column("received", True, parse_date),
        Column("category", True, text(80, "lower")),
        Column("outcome", True, _choice(ComplaintOutcome, "outcome")),
        Column("closed", False, parse_date),
        Column("reference", False, text(120)),
    )
    key_columns = ("team", "reference")
    fields = ("received", "category", "outcome", "closed")

    def check(self, row: Row, known: Known, options: Options) -> Issues:
        issues = _team_issues(row, known, options) + _received_issues(row, options)
        closed = row.get("closed")
        if closed is not None and closed < row["received"]:
            issues.append(("closed", f"{closed:%d/%m/%Y} is before the complaint was received"))
        if closed is not None and row["outcome"] == ComplaintOutcome.OPEN:
            issues.append(
                (
                    "closed",
                    "an open complaint has no closed date: give its outcome or leave closed empty",
                )
            )
        return issues

    def finish(self, rows: list[tuple[int, Row]]) -> None:
        _derive_references(rows, ("received", "category"))


class Survey(Kind):
    name = "survey"
    model = SurveyResult
    columns = (
        Column("team", True, text(120)),
        Column("survey", True, text(120)),
        Column("wave", True, text(40)),
        Column("question", True, text(500)),
        Column("response", True, text(200)),
        Column("count", True, parse_count),
        Column("positive", True, parse_yes_no),
    )
    key_columns = ("team", "survey", "wave", "question", "response")
    fields = ("count", "positive")

    def check(self, row: Row, known: Known, options: Options) -> Issues:
        return _team_issues(row, known, options)


class Views(Kind):
    name = "views"
    model = UserView
    personal_data_checked = True
    columns = (
        Column("team", True, text(120)),
        Column("received", True, parse_date),
        Column("kind", True, _choice(ViewKind, "kind")),
        Column("theme", True, text(80, "lower")),
        Column("text", True, text(VIEW_TEXT_LIMIT)),
        Column("reference", False, text(120)),
    )
    key_columns = ("team", "reference")
    fields = ("received", "kind", "theme", "text")

    def check(self, row: Row, known: Known, options: Options) -> Issues:
        issues = _team_issues(row, known, options) + _received_issues(row, options)
        found = personal_detail_in_text(row["text"])
        if found:
            issues.append(
                (
                    "text",
                    f"looks like it holds {found}; user views are stored "
                    "without personal details, so remove it from the text",
                )
            )
        return issues

    def finish(self, rows: list[tuple[int, Row]]) -> None:
        # The text is part of a view's identity: two different views on one day and theme
        # are two views, however the files that carry them are split.
        _derive_references(rows, ("received", "kind", "theme", "text"))


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (Indicators(), Values(), Comparators(), Complaints(), Survey(), Views())
}
