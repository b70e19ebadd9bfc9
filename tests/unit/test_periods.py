from datetime import date

import pytest

from storage.periods import (
    PeriodError,
    last_ended_quarter,
    parse_period,
    parse_quarter,
    parse_year,
    quarter_containing,
)


@pytest.mark.parametrize("text", ["2026/27 Q1", "Q1 2026/27", "2026-27 Q1", " 2026/27  q1 "])
def test_the_three_ways_of_writing_a_quarter_mean_april_to_june(text):
    period = parse_quarter(text)
    assert (period.start, period.end, period.label) == (
        date(2026, 4, 1),
        date(2026, 6, 30),
        "2026/27 Q1",
    )


def test_q4_of_a_financial_year_is_in_the_next_calendar_year():
    period = parse_quarter("2026/27 Q4")
    assert (period.start, period.end) == (date(2027, 1, 1), date(2027, 3, 31))


def test_calendar_quarters_when_the_year_starts_in_january():
    period = parse_quarter("2026 Q1", fy_start_month=1)
    assert (period.start, period.end, period.label) == (
        date(2026, 1, 1),
        date(2026, 3, 31),
        "2026 Q1",
    )


def test_no_period_means_the_last_quarter_that_has_ended():
    assert last_ended_quarter(date(2026, 11, 26)).label == "2026/27 Q2"
    assert last_ended_quarter(date(2026, 4, 1)).label == "2025/26 Q4"
    assert last_ended_quarter(date(2026, 4, 1), fy_start_month=1).label == "2026 Q1"


def test_a_year_label_covers_april_to_march():
    assert parse_year("2016-17").start == date(2016, 4, 1)
    assert parse_year("2024/25").end == date(2025, 3, 31)
    assert parse_period("2024/2025").label == "2024/25"


@pytest.mark.parametrize(
    "text,says",
    [
        ("2026/28 Q1", "second year must follow"),
        ("2026/27 Q5", "no quarter 5"),
        ("2026 Q1", "that one is 2025/26 Q4"),
        ("2026 Q5", "no quarter 5"),
        ("last quarter", "not a period"),
    ],
)
def test_a_bad_period_says_what_is_wrong(text, says):
    with pytest.raises(PeriodError, match=says):
        parse_period(text)


def test_each_day_falls_in_exactly_one_quarter():
    assert quarter_containing(date(2026, 3, 31)).label == "2025/26 Q4"
    assert quarter_containing(date(2026, 4, 1)).label == "2026/27 Q1"
