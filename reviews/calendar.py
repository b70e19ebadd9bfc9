"""Working days and meeting rules, in a team's own timezone. Weekends and England and Wales
bank holidays are not working days; a meeting that falls on one moves to the next working
day."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from reviews.errors import QprError
from storage.periods import Period

ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"]
_RULE = re.compile(
    r"^(?P<ordinal>first|second|third|fourth|last)\s+(?P<weekday>[a-z]+?)s?"
    r"(?:\s+(?:at\s+)?(?P<time>\d{1,2}[:.]\d{2}))?$"
)
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
DEFAULT_TIME = time(10, 0)


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    # England and Wales share their bank holidays; Scotland and Northern Ireland differ.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


@cache
def next_working_day(day: date) -> date:
    """The day itself if it is a working day, else the first one after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


@cache
def working_days_before(day: date, count: int) -> date:
    """The working day `count` working days before `day` (0: `day` itself)."""
    while count > 0:
        day -= timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise QprError(f"'{name}' is not a timezone such as Europe/London.") from None


@lru_cache(maxsize=8192)  # teams share dates and times: worked out once per minute's round
def at(day: date, clock: time, tz: str) -> datetime:
    """A wall-clock time on a day in a timezone, as UTC (clock changes included)."""
    return datetime.combine(day, clock, tzinfo=zone(tz)).astimezone(UTC)


def local_date(moment: datetime, tz: str) -> date:
    return moment.astimezone(zone(tz)).date()


def parse_time(text: str) -> time:
    match = _TIME.match(text.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise QprError(f"'{text}' is not a time such as 10:00.")
    return time(int(match.group(1)), int(match.group(2)))


@dataclass(frozen=True)
class MeetingRule:
    """A meeting on, say, the third Tuesday of the month after each quarter ends."""

    ordinal: int  # 1 to 4, or -1 for the last
    weekday: int  # 0 Monday to 4 Friday
    clock: time

    @classmethod
    @cache
    def parse(cls, text: str) -> MeetingRule:
        match = _RULE.match(" ".join(text.lower().split()))
        if not match or match.group("weekday") not in WEEKDAYS:
            raise QprError(
                f"'{text}' is not a meeting rule. Write it as `third tuesday 10:00`: first, "
                "second, third, fourth or last, a weekday, and a time."
            )
        clock = parse_time(match.group("time")) if match.group("time") else DEFAULT_TIME
        return cls(ORDINALS[match.group("ordinal")], WEEKDAYS.index(match.group("weekday")), clock)

    def __str__(self) -> str:
        ordinal = next(k for k, v in ORDINALS.items() if v == self.ordinal)
        return f"{ordinal} {WEEKDAYS[self.weekday]} {self.clock:%H:%M}"

    @cache  # noqa: B019 (rules are few and immutable; many teams share one)
    def day_after(self, period: Period) -> date:
        """The meeting for a quarter: in the month after it ends, moved to a working day."""
        month_start = period.end + timedelta(days=1)
        if self.ordinal > 0:
            first = month_start + timedelta(days=(self.weekday - month_start.weekday()) % 7)
            day = first + timedelta(weeks=self.ordinal - 1)
        else:
            following = (month_start + timedelta(days=32)).replace(day=1)
            last = following - timedelta(days=1)
            day = last - timedelta(days=(last.weekday() - self.weekday) % 7)
        return next_working_day(day)
