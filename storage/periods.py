"""Financial-year quarters and years: labels, parsing and arithmetic.

English local government's year starts in April, so with the default start month
`2026/27 Q1` is April to June 2026. With a start month of January the quarters are calendar
quarters, labelled `2026 Q1`. The start month is always passed in, never read from the
environment here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

DEFAULT_FY_START_MONTH = 4


class PeriodError(ValueError):
    """A period label that cannot be read."""


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    label: str


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _month_end(year: int, month: int) -> date:
    year, month = _add_months(year, month, 1)
    return date(year, month, 1) - timedelta(days=1)


def month_end_after(day: date, months: int) -> date:
    """The last day of the month `months` after (or, when negative, before) `day`'s."""
    return _month_end(*_add_months(day.year, day.month, months))


def year_label(fy_start_year: int, fy_start_month: int = DEFAULT_FY_START_MONTH) -> str:
    if fy_start_month == 1:
        return str(fy_start_year)
    return f"{fy_start_year}/{(fy_start_year + 1) % 100:02d}"


def financial_year(fy_start_year: int, fy_start_month: int = DEFAULT_FY_START_MONTH) -> Period:
    end_year, end_month = _add_months(fy_start_year, fy_start_month, 11)
    return Period(
        date(fy_start_year, fy_start_month, 1),
        _month_end(end_year, end_month),
        year_label(fy_start_year, fy_start_month),
    )


def quarter(
    fy_start_year: int, number: int, fy_start_month: int = DEFAULT_FY_START_MONTH
) -> Period:
    if number not in (1, 2, 3, 4):
        raise PeriodError(f"there is no quarter {number}: quarters are Q1 to Q4")
    year, month = _add_months(fy_start_year, fy_start_month, 3 * (number - 1))
    end_year, end_month = _add_months(year, month, 2)
    return Period(
        date(year, month, 1),
        _month_end(end_year, end_month),
        f"{year_label(fy_start_year, fy_start_month)} Q{number}",
    )


def fy_start_year_of(day: date, fy_start_month: int = DEFAULT_FY_START_MONTH) -> int:
    return day.year if day.month >= fy_start_month else day.year - 1


def quarter_containing(day: date, fy_start_month: int = DEFAULT_FY_START_MONTH) -> Period:
    start_year = fy_start_year_of(day, fy_start_month)
    months_in = (day.year - start_year) * 12 + day.month - fy_start_month
    return quarter(start_year, months_in // 3 + 1, fy_start_month)


def last_ended_quarter(today: date, fy_start_month: int = DEFAULT_FY_START_MONTH) -> Period:
    """The most recent quarter that has ended: what a command with no period means."""
    current = quarter_containing(today, fy_start_month)
    return quarter_containing(current.start - timedelta(days=1), fy_start_month)


def previous_quarter(period: Period, fy_start_month: int = DEFAULT_FY_START_MONTH) -> Period:
    return quarter_containing(period.start - timedelta(days=1), fy_start_month)


_YEAR = r"(?P<y1>\d{4})(?:\s*[/-]\s*(?P<y2>\d{2}|\d{4}))?"
_QUARTER_PATTERNS = [
    re.compile(rf"^{_YEAR}\s*Q(?P<q>\d)$", re.IGNORECASE),
    re.compile(rf"^Q(?P<q>\d)\s*{_YEAR}$", re.IGNORECASE),
]
_YEAR_PATTERN = re.compile(rf"^(?:FY\s*)?{_YEAR}$", re.IGNORECASE)


def _start_year(match: re.Match, text: str, fy_start_month: int) -> int:
    y1 = int(match["y1"])
    y2 = match["y2"]
    if y2 is None:
        if fy_start_month != 1:
            raise PeriodError(_calendar_hint(text, y1, match, fy_start_month))
        return y1
    second = int(y2) if len(y2) == 4 else (y1 // 100) * 100 + int(y2)
    if second != y1 + 1:
        raise PeriodError(
            f"'{text}' is not a financial year: the second year must follow the first"
        )
    if fy_start_month == 1:
        raise PeriodError(
            f"'{text}' spans two years, but the year here is the calendar year: write {y1}"
        )
    return y1


def _calendar_hint(text: str, year: int, match: re.Match, fy_start_month: int) -> str:
    """What a calendar label means in financial-year terms, so the advice is right."""
    number = match.groupdict().get("q")
    if number is None:
        return (
            f"'{text}' names a calendar year, but the financial year starts in month "
            f"{fy_start_month}: write a year like {year_label(year, fy_start_month)}"
        )
    if number not in "1234":
        return f"there is no quarter {number}: quarters are Q1 to Q4"
    same = quarter_containing(date(year, 3 * int(number) - 2, 1), fy_start_month)
    return (
        f"'{text}' looks like a calendar quarter, but quarters here are of the financial "
        f"year starting in month {fy_start_month}: that one is {same.label}"
    )


def parse_quarter(text: str, fy_start_month: int = DEFAULT_FY_START_MONTH) -> Period:
    """Read `2026/27 Q1`, `Q1 2026/27` or `2026-27 Q1` (or `2026 Q1` for calendar years)."""
    cleaned = " ".join(text.split())
    for pattern in _QUARTER_PATTERNS:
        match = pattern.match(cleaned)
        if match:
            return quarter(
                _start_year(match, text, fy_start_month), int(match["q"]), fy_start_month
            )
    example = quarter(2026, 1, fy_start_month).label
    raise PeriodError(f"'{text}' is not a quarter: write it like {example}")


def parse_year(text: str, fy_start_month: int = DEFAULT_FY_START_MONTH) -> Period:
    """Read a financial year such as `2024/25`, `2024-25` or `2024/2025`."""
    match = _YEAR_PATTERN.match(" ".join(text.split()))
    if not match:
        raise PeriodError(
            f"'{text}' is not a year: write it like {year_label(2024, fy_start_month)}"
        )
    return financial_year(_start_year(match, text, fy_start_month), fy_start_month)


def parse_period(text: str, fy_start_month: int = DEFAULT_FY_START_MONTH) -> Period:
    """A quarter label or a financial-year label."""
    if re.search(r"q\s*\d", text, re.IGNORECASE):
        return parse_quarter(text, fy_start_month)
    try:
        return parse_year(text, fy_start_month)
    except PeriodError:
        example_q = quarter(2026, 1, fy_start_month).label
        example_y = year_label(2024, fy_start_month)
        raise PeriodError(
            f"'{text}' is not a period: write a quarter like {example_q} or a year like {example_y}"
        ) from None
