"""Reading one cell of an import file: dates, numbers, yes/no and the markers for "no value".

Each parser takes the cell's text and returns a typed value or raises CellError with a
message that finishes the sentence "row N, column C: ...".
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache

# What published statistics put where there is no value: not available, or suppressed to
# protect small numbers. The marker varies by publisher and year.
MISSING = frozenset({"", "na", "n/a", "nan", "none", "null", "-", ".."})
SUPPRESSED = frozenset({"c", ":", "[c]", "[x]", "x", "*", "[z]", "z", "[u]", "s", "supp"})


# Dates outside these years are typing mistakes (30/06/0026), not history.
FIRST_YEAR, LAST_YEAR = 1950, 2100
MAX_COUNT = 2**31 - 1


class CellError(ValueError):
    pass


def missing_marker(text: str) -> str | None:
    """The marker if the cell holds no value ('' for blank), else None."""
    folded = text.strip().lower()
    if folded in MISSING or folded in SUPPRESSED:
        return folded
    return None


@lru_cache(maxsize=65536)
def parse_date(text: str) -> date:
    """`2026-06-30` or `30/06/2026` (day first, as councils in England write dates)."""
    value = text.strip()
    day = _read_date(value)
    if day is None:
        raise CellError(f"'{value}' is not a date: write YYYY-MM-DD or DD/MM/YYYY")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise CellError(f"'{value}' is not a plausible date (years {FIRST_YEAR} to {LAST_YEAR})")
    return day


def _read_date(value: str) -> date | None:
    try:
        if "/" in value:
            day, month, year = value.split("/")
            if len(year) != 4:
                return None
            return date(int(year), int(month), int(day))
        if len(value) >= 10 and value[4] == "-" and value[7] == "-":
            # XLSX cells arrive as ISO datetimes; the time of day carries no meaning here.
            if len(value) > 10:
                return datetime.fromisoformat(value).date()
            return date.fromisoformat(value)
    except ValueError:
        pass
    return None


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_number(text: str) -> float:
    """A number, allowing thousands separators (`12,345.6`) and a trailing `%`."""
    value = text.strip()
    try:
        number = float(value)
    except ValueError:
        pass
    else:
        if math.isfinite(number):
            return number
        raise CellError(f"'{value}' is not a number")
    cleaned = value.rstrip("%").strip() if value.endswith("%") else value
    if "," in cleaned:
        if not _THOUSANDS.match(cleaned):
            raise CellError(f"'{value}' is not a number")
        cleaned = cleaned.replace(",", "")
    try:
        number = float(cleaned)
    except ValueError:
        raise CellError(f"'{value}' is not a number") from None
    if not math.isfinite(number):
        raise CellError(f"'{value}' is not a number")
    return number


def parse_count(text: str) -> int:
    number = parse_number(text)
    if number != int(number):
        raise CellError(f"'{text.strip()}' is not a whole number")
    if number < 0:
        raise CellError(f"'{text.strip()}' is negative; a count cannot be")
    if number > MAX_COUNT:
        raise CellError(f"'{text.strip()}' is too large for a count")
    return int(number)


_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0", ""})


def parse_yes_no(text: str) -> bool:
    folded = text.strip().lower()
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise CellError(f"'{text.strip()}' is not yes or no")


def parse_choice(text: str, choices: tuple[str, ...], what: str) -> str:
    folded = " ".join(text.lower().split())
    if folded in choices:
        return folded
    raise CellError(f"'{text.strip()}' is not a known {what}: use one of {', '.join(choices)}")


def text(limit: int, case: str | None = None) -> Callable[[str], str]:
    """A parser for free text of at most `limit` characters, spacing tidied, optionally
    folded to lower or upper case."""

    @lru_cache(maxsize=65536)
    def parse(value: str) -> str:
        cleaned = clean_text(value)
        if case == "lower":
            cleaned = cleaned.lower()
        elif case == "upper":
            cleaned = cleaned.upper()
        if len(cleaned) > limit:
            raise CellError(f"is {len(cleaned)} characters long; the most is {limit}")
        return cleaned

    return parse


@lru_cache(maxsize=65536)
def clean_text(text: str) -> str:
    """Collapse runs of whitespace, as spreadsheets leave stray spaces and line breaks."""
    return " ".join(text.split())
