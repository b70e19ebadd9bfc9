from datetime import date

import pytest

from storage.imports.cells import CellError, missing_marker, parse_count, parse_date, parse_number
from storage.imports.privacy import personal_column, personal_detail_in_text


@pytest.mark.parametrize(
    "text,value",
    [
        ("12", 12.0),
        (" 61.5 ", 61.5),
        ("1,234.5", 1234.5),
        ("81,004", 81004.0),
        ("61.5%", 61.5),
        ("-3", -3.0),
        ("1e3", 1000.0),
    ],
)
def test_numbers_as_spreadsheets_write_them(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["sixty", "1,23", "12,34.5", "nan", "inf", "1.2.3"])
def test_things_that_are_not_numbers(text):
    with pytest.raises(CellError):
        parse_number(text)


def test_dates_are_iso_or_day_first():
    assert parse_date("2026-06-30") == date(2026, 6, 30)
    assert parse_date("30/06/2026") == date(2026, 6, 30)
    assert parse_date("2026-06-30T00:00:00") == date(2026, 6, 30)
    for bad in ("06/30/2026", "30/06/26", "30 June 2026", "2026-02-30"):
        with pytest.raises(CellError):
            parse_date(bad)


def test_counts_are_whole_and_not_negative():
    assert parse_count("1,200") == 1200
    for bad in ("2.5", "-1"):
        with pytest.raises(CellError):
            parse_count(bad)


@pytest.mark.parametrize("text", ["", "NA", "n/a", "c", ":", "[c]", "[x]", "*"])
def test_markers_for_no_value(text):
    assert missing_marker(text) is not None


def test_a_real_value_is_not_a_marker():
    assert missing_marker("0") is None


@pytest.mark.parametrize("header", ["Name", "Client name", "NHS No", "Postcode", "DOB", "E-mail"])
def test_headers_that_name_personal_identifiers(header):
    assert personal_column(header)


@pytest.mark.parametrize("header", ["team", "received", "category", "theme", "text", "kind"])
def test_ordinary_headers_are_not_personal(header):
    assert personal_column(header) is None


def test_identifiers_in_free_text_are_recognised():
    assert personal_detail_in_text("ring 07700 900123") == "a phone number"
    assert personal_detail_in_text("NHS 943 476 5919") == "an NHS number"
    assert personal_detail_in_text("waited 3 weeks in 2024 for 2 visits") is None
