"""Files as they really arrive: each case once lost data, crashed or misled."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook
from sqlmodel import select

from storage.imports import ImportRejected, Mapping, Options, import_file
from storage.models import ComparatorValue, Indicator, IndicatorValue, Team, UserView
from tests.helpers.files import load_indicators, rows, snapshot, write

VIEWS_HEADER = "team,received,kind,theme,text\n"


def refused(factory, kind, path, options=None) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        import_file(factory, kind, path, options)
    return [str(p) for p in caught.value.problems]


def test_text_with_an_unquoted_comma_is_refused_not_cut_short(factory, tmp_path):
    path = write(
        tmp_path,
        "views.csv",
        VIEWS_HEADER
        + "Children in Need,2026-05-01,comment,visits,The carers are lovely, but late\n",
    )
    assert refused(factory, "views", path) == [
        "row 2, column #6: a value beyond the last named column (text with a comma must be "
        "in quotes)"
    ]


def test_a_quote_that_is_never_closed_is_refused(factory, tmp_path):
    path = write(
        tmp_path,
        "views.csv",
        VIEWS_HEADER + 'Children in Need,2026-05-03,comment,visits,"unclosed\n'
        "Children in Need,2026-05-04,comment,visits,Fine\n",
    )
    (problem,) = refused(factory, "views", path)
    assert "never closed" in problem


def test_trailing_empty_cells_as_excel_writes_them_are_fine(factory, tmp_path):
    path = write(
        tmp_path, "views.csv", VIEWS_HEADER + "Children in Need,2026-05-03,comment,visits,Fine,,\n"
    )
    assert import_file(factory, "views", path).added == 1


def test_different_views_in_separate_files_are_both_kept(factory, tmp_path):
    first = write(
        tmp_path,
        "a.csv",
        VIEWS_HEADER + "Children in Need,2026-05-01,compliment,home care,Carers were wonderful.\n",
    )
    second = write(
        tmp_path,
        "b.csv",
        VIEWS_HEADER
        + "Children in Need,2026-05-01,compliment,home care,The new rota works well.\n",
    )
    import_file(factory, "views", first)
    assert import_file(factory, "views", second).added == 1
    assert len(rows(factory, select(UserView.text))) == 2


def test_a_percentage_formatted_xlsx_cell_is_read_as_a_percentage(factory, tmp_path):
    load_indicators(factory, tmp_path)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["team", "indicator", "period_end", "value"])
    sheet.append(["Children in Need", "ASCOF 3A", date(2026, 6, 30), 0.615])
    sheet["D2"].number_format = "0.0%"
    path = tmp_path / "values.xlsx"
    workbook.save(path)
    import_file(factory, "values", path)
    assert rows(factory, select(IndicatorValue.value)) == [61.5]


def test_a_file_mixing_utf8_and_windows_1252_lines_keeps_both_right(factory, tmp_path):
    path = tmp_path / "views.csv"
    path.write_bytes(
        VIEWS_HEADER.encode()
        + "Café Club,2026-05-01,comment,charging,Fine\n".encode()
        + "Café Club,2026-05-02,comment,charging,It costs £12\n".encode("cp1252")
    )
    import_file(factory, "views", path)
    assert rows(factory, select(Team.name)) == ["Café Club"]
    assert "It costs £12" in rows(factory, select(UserView.text))


def test_a_curly_apostrophe_matches_the_same_team(factory, tmp_path):
    import_file(
        factory,
        "views",
        write(
            tmp_path,
            "a.csv",
            VIEWS_HEADER + "Older People's Services,2026-05-01,comment,visits,Fine\n",
        ),
    )
    report = import_file(
        factory,
        "views",
        write(
            tmp_path,
            "b.csv",
            VIEWS_HEADER + "Older People\u2019s Services,2026-05-02,comment,visits,Good\n",
        ),
    )
    assert report.new_teams == []


def test_text_longer_than_its_column_is_refused(factory, tmp_path):
    path = write(
        tmp_path, "views.csv", VIEWS_HEADER + f"{'T' * 130},2026-05-01,comment,{'x' * 90},Fine\n"
    )
    assert refused(factory, "views", path) == [
        "row 2, column team: is 130 characters long; the most is 120",
        "row 2, column theme: is 90 characters long; the most is 80",
    ]


def test_counts_too_large_to_store_are_refused(factory, tmp_path):
    path = write(
        tmp_path,
        "survey.csv",
        "team,survey,wave,question,response,count,positive\n"
        'T,S,2025/26,Q,Yes,"3,000,000,000",yes\n',
    )
    assert refused(factory, "survey", path) == [
        "row 2, column count: '3,000,000,000' is too large for a count"
    ]


def test_blank_key_and_tags_cells_mean_no(factory, tmp_path):
    path = write(
        tmp_path,
        "indicators.csv",
        "code,title,unit,polarity,tags,key\nX1,Something,percent,higher,,\n",
    )
    import_file(factory, "indicators", path)
    assert rows(factory, select(Indicator.key, Indicator.tags)) == [(False, [])]


def test_a_numerator_without_a_denominator_column_is_refused(factory, tmp_path):
    load_indicators(factory, tmp_path)
    path = write(
        tmp_path,
        "values.csv",
        "team,indicator,period_end,value,numerator\nT,ASCOF 3A,2026-06-30,50,10\n",
    )
    assert refused(factory, "values", path) == [
        "row 1, column denominator: must come with numerator: give both or neither"
    ]


def test_a_folder_given_as_the_file_is_refused_plainly(factory, tmp_path):
    assert refused(factory, "values", tmp_path) == [f"{tmp_path}: is a folder, not a file"]


def test_an_xlsx_named_csv_and_a_utf16_file_are_recognised(factory, tmp_path):
    workbook = Workbook()
    workbook.active.append(["team", "received", "kind", "theme", "text"])
    workbook.save(tmp_path / "book.csv")
    assert "is an XLSX workbook" in refused(factory, "views", tmp_path / "book.csv")[0]
    path = tmp_path / "unicode.txt"
    path.write_bytes(
        (
            VIEWS_HEADER.replace(",", "\t")
            + "Children in Need\t2026-05-01\tcomment\tvisits\tFine\n"
        ).encode("utf-16")
    )
    assert import_file(factory, "views", path).added == 1


def test_a_title_row_above_the_header_gets_a_hint(factory, tmp_path):
    path = write(
        tmp_path,
        "views.csv",
        "User views for April,,,,\n"
        + VIEWS_HEADER
        + "Children in Need,2026-05-01,comment,visits,Fine\n",
    )
    problems = refused(factory, "views", path)
    assert any("the header must be the first row" in p for p in problems)


def test_a_header_without_rows_is_refused(factory, tmp_path):
    assert refused(factory, "views", write(tmp_path, "views.csv", VIEWS_HEADER)) == [
        "row 2: the file has a header but no rows"
    ]


def test_semicolons_in_tags_do_not_confuse_the_separator(factory, tmp_path):
    path = write(
        tmp_path,
        "indicators.csv",
        "code,title,unit,polarity,tags\nX1,Something,percent,higher,a;b;c;d;e;f\n",
    )
    import_file(factory, "indicators", path)
    assert rows(factory, select(Indicator.tags)) == [["a", "b", "c", "d", "e", "f"]]


def test_an_implausible_year_is_refused(factory, tmp_path):
    path = write(
        tmp_path, "views.csv", VIEWS_HEADER + "Children in Need,30/06/0026,comment,visits,Fine\n"
    )
    assert "not a plausible date" in refused(factory, "views", path)[0]


def test_a_quarter_label_with_a_hyphen_is_a_comparator_period(factory, tmp_path):
    load_indicators(factory, tmp_path)
    path = write(
        tmp_path,
        "comparators.csv",
        "indicator,area_code,area_name,period,value\n"
        "ASCOF 3A,E92000001,England,2024-25 Q1,64\n"
        "ASCOF 3A,E92000001,England,2025-03-31,65\n",
    )
    import_file(factory, "comparators", path)
    assert sorted(rows(factory, select(ComparatorValue.period_label))) == [
        "2024/25 Q1",
        "2025-03-31",
    ]


def test_a_mapped_column_is_not_mistaken_for_a_personal_one(factory, engine, tmp_path):
    path = write(
        tmp_path,
        "complaints.csv",
        "Team name,received,Client group,outcome\nChildren in Need,2026-05-01,delays,upheld\n",
    )
    mapping = Mapping(columns={"team": "Team name", "category": "Client group"})
    assert import_file(factory, "complaints", path, Options(mapping=mapping)).added == 1
    before = snapshot(engine)
    other = write(
        tmp_path,
        "c2.csv",
        "team,received,category,outcome,Service user\n"
        "Children in Need,2026-05-01,delays,upheld,x\n",
    )
    assert (
        "a person identifier"
        in refused(factory, "complaints", other, Options(ignore_extra=True))[0]
    )
    assert snapshot(engine) == before
