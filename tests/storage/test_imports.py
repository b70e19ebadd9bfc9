"""Imports: whole files checked first, every problem listed, good files upserted once."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import Workbook
from sqlmodel import select

from storage.imports import ImportRejected, Mapping, Options, import_file
from storage.models import (
    ComparatorValue,
    Complaint,
    Indicator,
    IndicatorValue,
    SurveyResult,
    Team,
    UserView,
)
from tests.conftest import REAL, SAMPLE
from tests.helpers.files import load_indicators, rows, snapshot, write

SAMPLE_ORDER = ["indicators", "values", "complaints", "survey", "views"]


def test_every_sample_file_imports_and_importing_it_again_changes_nothing(factory):
    first = {k: import_file(factory, k, SAMPLE / f"{k}.csv") for k in SAMPLE_ORDER}
    assert first["indicators"].added == 19
    assert first["values"].added == 891
    assert first["values"].new_teams == [
        "Adults with Learning Disabilities",
        "Children in Need",
        "Older People's Services",
    ]
    assert first["complaints"].added == 411
    assert first["survey"].added == 150
    assert first["views"].added == 106
    for kind in SAMPLE_ORDER:
        again = import_file(factory, kind, SAMPLE / f"{kind}.csv")
        assert (again.added, again.updated, again.unchanged) == (0, 0, again.rows), kind
        assert again.new_teams == []


def test_every_example_file_imports_after_the_sample_indicators(factory):
    import_file(factory, "indicators", SAMPLE / "indicators.csv")
    for kind in ["indicators", "values", "comparators", "complaints", "survey", "views"]:
        report = import_file(factory, kind, SAMPLE / "examples" / f"{kind}.csv")
        assert report.rows > 0
        assert import_file(factory, kind, SAMPLE / "examples" / f"{kind}.csv").unchanged == (
            report.rows - report.skipped
        )


def test_the_real_tidy_area_files_import_as_comparators_of_a_named_indicator(factory):
    import_file(factory, "indicators", SAMPLE / "indicators.csv")
    satisfaction = REAL / "trafford_nn_ascof3a_satisfaction_2014-15_to_2024-25.csv"
    admissions = REAL / "trafford_nn_ascof2a2_admissions65_2014-15_to_2023-24.csv"

    report = import_file(
        factory, "comparators", satisfaction, Options(mapping=Mapping(indicator="ASCOF 3A"))
    )
    assert (report.rows, report.added) == (187, 187)
    report = import_file(
        factory, "comparators", admissions, Options(mapping=Mapping(indicator="ascof 2a(2)"))
    )
    assert (report.rows, report.added) == (170, 170)

    def value(code, area, label):
        return rows(
            factory,
            select(ComparatorValue.value, ComparatorValue.missing_marker)
            .join(Indicator)
            .where(
                Indicator.code == code,
                ComparatorValue.area_name == area,
                ComparatorValue.period_label == label,
            ),
        )[0]

    assert value("ASCOF 3A", "Trafford", "2019/20") == (84.8, None)
    assert value("ASCOF 3A", "England", "2020/21") == (None, "na")
    assert value("ASCOF 3A", "Bexley", "2020/21") == (67.2, None)
    assert value("ASCOF 2A(2)", "Trafford", "2023/24") == (779.6, None)
    period = rows(
        factory,
        select(ComparatorValue.period_start, ComparatorValue.period_end).where(
            ComparatorValue.period_label == "2019/20"
        ),
    )[0]
    assert period == (date(2019, 4, 1), date(2020, 3, 31))

    again = import_file(
        factory, "comparators", satisfaction, Options(mapping=Mapping(indicator="ASCOF 3A"))
    )
    assert (again.added, again.updated, again.unchanged) == (0, 0, 187)


def test_a_tidy_area_file_without_the_indicator_option_is_refused_with_a_hint(factory):
    import_file(factory, "indicators", SAMPLE / "indicators.csv")
    with pytest.raises(ImportRejected) as refused:
        import_file(
            factory, "comparators", REAL / "trafford_nn_ascof3a_satisfaction_2014-15_to_2024-25.csv"
        )
    assert len(refused.value.problems) == 187
    assert "--indicator" in refused.value.problems[0].message


def test_the_long_multi_measure_file_imports_through_its_mapping(factory):
    import_file(factory, "indicators", SAMPLE / "indicators.csv")
    oflog = REAL / "oflog_asc_measures_by_la_2015-16_to_2022-23.csv"
    options = Options(mapping=Mapping.load(SAMPLE / "mappings" / "oflog_asc.toml"))

    report = import_file(factory, "comparators", oflog, options)
    assert (report.rows, report.added) == (6376, 6376)

    def value(code, area_code, label):
        return rows(
            factory,
            select(ComparatorValue.value)
            .join(Indicator)
            .where(
                Indicator.code == code,
                ComparatorValue.area_code == area_code,
                ComparatorValue.period_label == label,
            ),
        )[0]

    assert value("ASCOF 2D", "E08000025", "2022/23") == 56.4  # Birmingham
    assert value("ASCOF 1D", "E06000005", "2016/17") == 7.6  # Darlington
    assert value("ASCOF 1J", "E08000009", "2019/20") == 0.0  # Trafford's implausible zero
    # Buckinghamshire changed its code: both codes keep their own years.
    assert value("ASCOF 2D", "E10000002", "2019/20") == 71.3
    assert value("ASCOF 2D", "E06000060", "2021/22") == 77.4
    empty = rows(
        factory,
        select(sa.func.count()).select_from(ComparatorValue).where(ComparatorValue.value.is_(None)),
    )[0]
    assert empty == 298

    again = import_file(factory, "comparators", oflog, options)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 6376)


def test_a_file_with_five_bad_rows_lists_all_five_and_writes_nothing(factory, engine, tmp_path):
    load_indicators(factory, tmp_path)
    before = snapshot(engine)
    path = write(
        tmp_path,
        "values.csv",
        (
            "team,indicator,period_end,value,numerator,denominator\n"
            "Older People's Services,ASCOF 3A,2026-06-30,61.5,123,200\n"
            "Older People's Services,ASCOF 9Z,2026-06-30,61.5,,\n"
            "Older People's Services,ASCOF 3A,2026-05-31,sixty,,\n"
            "Older People's Services,ASCOF 3A,31/13/2026,61.5,,\n"
            "Older People's Services,ASCOF 3A,2026-04-30,112,,\n"
            "Older People's Services,ASCOF 3A,2026-03-31,61.5,210,200\n"
            "older people's services,ascof 3a,30/06/2026,62,,\n"
        ),
    )
    with pytest.raises(ImportRejected) as refused:
        import_file(factory, "values", path)
    assert [str(p) for p in refused.value.problems] == [
        "row 3, column indicator: unknown indicator 'ASCOF 9Z': load it with an indicators "
        "file first",
        "row 4, column value: 'sixty' is not a number",
        "row 5, column period_end: '31/13/2026' is not a date: write YYYY-MM-DD or DD/MM/YYYY",
        "row 6, column value: 112 is outside 0-100, but the indicator is a percentage",
        "row 7, column numerator: 210 is above the denominator 200",
        "row 8, column team, indicator, period_end: repeats row 2 (same team, indicator, "
        "period_end)",
    ]
    assert snapshot(engine) == before


def test_a_valid_file_adds_updates_and_counts_new_teams(factory, tmp_path):
    load_indicators(factory, tmp_path)
    first = write(
        tmp_path,
        "v1.csv",
        (
            "team,indicator,period_end,value\n"
            "Older People's Services,ASCOF 3A,2026-06-30,61.5\n"
            "Older People's Services,ASCOF 3A,2026-03-31,60.1\n"
        ),
    )
    report = import_file(factory, "values", first)
    assert (report.added, report.updated, report.unchanged) == (2, 0, 0)
    assert report.new_teams == ["Older People's Services"]

    second = write(
        tmp_path,
        "v2.csv",
        (
            "Team , INDICATOR,Period_End,Value\n"
            "OLDER PEOPLE'S SERVICES,ascof 3a,30/06/2026,62.0\n"
            "older people's services,ASCOF 3A,31/03/2026,60.1\n"
            "Children in Need,CIN CASELOAD,31/03/2026,17.5\n"
        ),
    )
    report = import_file(factory, "values", second)
    assert (report.added, report.updated, report.unchanged) == (1, 1, 1)
    assert report.new_teams == ["Children in Need"]
    stored = rows(
        factory,
        select(IndicatorValue.value, IndicatorValue.source_file).where(
            IndicatorValue.period_end == date(2026, 6, 30)
        ),
    )
    assert stored == [(62.0, "v2.csv")]
    assert rows(factory, select(sa.func.count()).select_from(Team))[0] == 2


def test_councils_files_as_excel_saves_them_are_read(factory, tmp_path):
    load_indicators(factory, tmp_path)
    # Windows-1252 from Excel, quoted fields with commas, day-first dates, thousands
    # separators and percent signs.
    path = write(
        tmp_path,
        "values.csv",
        (
            "team,indicator,period_end,value,numerator,denominator\r\n"
            '"Older People\'s Services, North",ASCOF 2A(2),30/06/2026,'
            '"1,234.5","1,000","81,004"\r\n'
            '"Older People\'s Services, North",ASCOF 3A,30/06/2026,61.5%,,\r\n'
        ),
        encoding="cp1252",
    )
    report = import_file(factory, "values", path)
    assert report.added == 2
    assert report.new_teams == ["Older People's Services, North"]
    values = dict(rows(factory, select(Indicator.code, IndicatorValue.value).join(Indicator)))
    assert values == {"ASCOF 2A(2)": 1234.5, "ASCOF 3A": 61.5}


def test_a_byte_order_mark_and_windows_1252_text_are_read_correctly(factory, tmp_path):
    text = (
        "team,received,kind,theme,text\n"
        "Café Club,2026-05-01,comment,charging,The charge went up to £12 a week.\n"
    )
    for encoding, name in (("utf-8-sig", "bom.csv"), ("cp1252", "ansi.csv")):
        import_file(factory, "views", write(tmp_path, name, text, encoding))
    stored = rows(factory, select(Team.name, UserView.text).join(Team))
    assert set(stored) == {("Café Club", "The charge went up to £12 a week.")}


def test_an_xlsx_workbook_imports_like_its_csv(factory, tmp_path):
    load_indicators(factory, tmp_path)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["team", "indicator", "period_end", "value", "numerator", "denominator"])
    sheet.append(["Children in Need", "CIN CASELOAD", date(2026, 6, 30), 17.5, None, None])
    sheet.append(["Children in Need", "CIN CASELOAD", "31/05/2026", "18", None, None])
    sheet.append([None, None, None, None, None, None])
    path = tmp_path / "values.xlsx"
    workbook.save(path)

    report = import_file(factory, "values", path)
    assert (report.rows, report.added) == (2, 2)
    stored = rows(
        factory,
        select(IndicatorValue.period_end, IndicatorValue.value).order_by(IndicatorValue.period_end),
    )
    assert stored == [(date(2026, 5, 31), 18.0), (date(2026, 6, 30), 17.5)]
    assert import_file(factory, "values", path).unchanged == 2


def test_a_missing_column_and_an_unknown_one_are_named(factory, tmp_path):
    load_indicators(factory, tmp_path)
    path = write(
        tmp_path,
        "values.csv",
        ("team,indicatr,period_end,value\nOlder People's Services,ASCOF 3A,2026-06-30,61.5\n"),
    )
    with pytest.raises(ImportRejected) as refused:
        import_file(factory, "values", path)
    messages = [str(p) for p in refused.value.problems]
    assert len(messages) == 2
    assert "row 1, column indicator: missing required column" in messages
    assert any(
        m.startswith("row 1, column indicatr: unknown column for values (did you mean indicator?)")
        for m in messages
    )


def test_extra_columns_are_skipped_only_when_asked(factory, tmp_path):
    path = write(
        tmp_path,
        "survey.csv",
        (
            "team,survey,wave,question,response,count,positive,notes\n"
            "Children in Need,Children and Families Survey,2025/26,Do you feel listened to?,"
            "Yes,40,yes,checked\n"
        ),
    )
    with pytest.raises(ImportRejected):
        import_file(factory, "survey", path)
    report = import_file(factory, "survey", path, Options(ignore_extra=True))
    assert report.added == 1


@pytest.mark.parametrize(
    "kind,header,what",
    [
        ("complaints", "Name", "a person's name"),
        ("complaints", "Date of Birth", "a date of birth"),
        ("views", "NHS number", "an NHS number"),
        ("views", "Address", "an address"),
    ],
)
def test_complaints_and_views_with_a_personal_identifier_column_are_refused(
    factory, engine, tmp_path, kind, header, what
):
    if kind == "complaints":
        text = (
            f"team,received,category,outcome,closed,{header}\n"
            "Children in Need,2026-05-01,delays,upheld,2026-05-20,x\n"
        )
    else:
        text = (
            f"team,received,kind,theme,text,{header}\n"
            "Children in Need,2026-05-01,comment,delays,Slow reply,x\n"
        )
    before = snapshot(engine)
    with pytest.raises(ImportRejected) as refused:
        import_file(factory, kind, write(tmp_path, f"{kind}.csv", text), Options(ignore_extra=True))
    (problem,) = refused.value.problems
    assert problem.column == header
    assert what in problem.message and "without names or personal details" in problem.message
    assert snapshot(engine) == before


def test_a_view_whose_text_holds_an_email_address_is_refused(factory, tmp_path):
    path = write(
        tmp_path,
        "views.csv",
        (
            "team,received,kind,theme,text\n"
            "Children in Need,2026-05-01,comment,information,"
            "Please write to me at a.b@example.org\n"
        ),
    )
    with pytest.raises(ImportRejected) as refused:
        import_file(factory, "views", path)
    assert "an email address" in refused.value.problems[0].message


def test_complaint_and_survey_rules_are_checked(factory, tmp_path):
    complaints = write(
        tmp_path,
        "complaints.csv",
        (
            "team,received,category,outcome,closed\n"
            "Children in Need,2026-05-01,delays,rejected,2026-05-20\n"
            "Children in Need,2026-05-01,delays,open,2026-05-20\n"
            "Children in Need,2026-05-01,delays,upheld,2026-04-20\n"
        ),
    )
    with pytest.raises(ImportRejected) as refused:
        import_file(factory, "complaints", complaints)
    assert [(p.row, p.column) for p in refused.value.problems] == [
        (2, "outcome"),
        (3, "closed"),
        (4, "closed"),
    ]
    assert "not a known outcome" in refused.value.problems[0].message

    survey = write(
        tmp_path,
        "survey.csv",
        (
            "team,survey,wave,question,response,count,positive\n"
            "Children in Need,CFS,2025/26,Listened to?,Yes,-3,yes\n"
            "Children in Need,CFS,2025/26,Listened to?,No,4,perhaps\n"
        ),
    )
    with pytest.raises(ImportRejected) as refused:
        import_file(factory, "survey", survey)
    assert [str(p) for p in refused.value.problems] == [
        "row 2, column count: '-3' is negative; a count cannot be",
        "row 3, column positive: 'perhaps' is not yes or no",
    ]


def test_unknown_polarity_and_unit_are_named(factory, tmp_path):
    path = write(
        tmp_path,
        "indicators.csv",
        (
            "code,title,unit,polarity\n"
            "X1,Something,percent,upwards\n"
            "X2,Something else,furlongs,higher\n"
        ),
    )
    with pytest.raises(ImportRejected) as refused:
        import_file(factory, "indicators", path)
    assert [(p.row, p.column) for p in refused.value.problems] == [(2, "polarity"), (3, "unit")]


def test_an_indicator_says_its_basis_frequency_and_publication_lag(factory, tmp_path):
    from storage.models import Indicator

    path = write(
        tmp_path,
        "indicators.csv",
        (
            "code,title,unit,polarity,basis,frequency,lag_days\n"
            "R1,Admissions,rate,lower,Rolling 12 months,monthly,45\n"
            "Y1,Assessments so far,count,higher,year-to-date,,\n"
            "P1,Satisfied,percent,higher,,annual,250\n"
        ),
    )
    import_file(factory, "indicators", path)
    with factory() as session:
        stored = {
            i.code: (str(i.basis), i.frequency and str(i.frequency), i.lag_days)
            for i in session.exec(select(Indicator))
        }
    assert stored == {
        "R1": ("rolling_12_months", "monthly", 45),
        "Y1": ("year_to_date", None, None),
        "P1": ("point", "annual", 250),
    }
    bad = write(
        tmp_path,
        "bad.csv",
        (
            "code,title,unit,polarity,basis,frequency,lag_days\n"
            "B1,Bad,percent,higher,weekly,fortnightly,-3\n"
            "B2,Worse,percent,higher,point,monthly,9000\n"
        ),
    )
    with pytest.raises(ImportRejected) as refused:
        import_file(factory, "indicators", bad)
    assert [(p.row, p.column) for p in refused.value.problems] == [
        (2, "basis"),
        (2, "frequency"),
        (2, "lag_days"),
        (3, "lag_days"),
    ]


def test_a_team_name_all_but_the_same_as_a_team_is_refused_as_a_slip(factory, tmp_path):
    import_file(factory, "indicators", SAMPLE / "indicators.csv")
    import_file(factory, "values", SAMPLE / "values.csv")
    slip = write(
        tmp_path,
        "slip.csv",
        "team,indicator,period_end,value\n"
        "Older Peoples Services,ASCOF 2D,2026-05-31,70\n"
        "Childrn in Need,ASCOF 2D,2026-05-31,70\n"
        "Home Care,ASCOF 2D,2026-05-31,70\n",
    )
    with pytest.raises(ImportRejected) as refused:
        import_file(factory, "values", slip)
    assert [str(p) for p in refused.value.problems] == [
        "row 2, column team: 'Older Peoples Services' is not a team yet: did you mean "
        "'Older People's Services'? (--new-team creates it as a new team)",
        "row 3, column team: 'Childrn in Need' is not a team yet: did you mean "
        "'Children in Need'? (--new-team creates it as a new team)",
    ]
    # Teams told apart by a number, a letter or a compass point are not slips.
    apart = write(
        tmp_path,
        "apart.csv",
        "team,indicator,period_end,value\n"
        "Adults Team 10,ASCOF 2D,2026-05-31,70\n"
        "Adults Team 11,ASCOF 2D,2026-05-31,70\n"
        "Mental Health East,ASCOF 2D,2026-05-31,70\n"
        "Mental Health West,ASCOF 2D,2026-05-31,70\n",
    )
    assert len(import_file(factory, "values", apart).new_teams) == 4
    report = import_file(factory, "values", slip, Options(new_team=True))
    assert report.new_teams == ["Childrn in Need", "Home Care", "Older Peoples Services"]


def test_a_figure_or_a_view_dated_in_the_future_is_refused(factory, tmp_path):
    import_file(factory, "indicators", SAMPLE / "indicators.csv")
    values = write(
        tmp_path,
        "future.csv",
        "team,indicator,period_end,value\nHome Care,ASCOF 2D,2026-12-31,70\n",
    )
    with pytest.raises(ImportRejected) as refused:
        import_file(factory, "values", values, Options(today=date(2026, 11, 30)))
    assert [str(p) for p in refused.value.problems] == [
        "row 2, column period_end: 31/12/2026 is in the future"
    ]
    assert import_file(factory, "values", values, Options(today=date(2027, 1, 1))).added == 1
    views = write(
        tmp_path,
        "views.csv",
        "team,received,kind,theme,text\nHome Care,2027-01-02,comment,access,Soon\n",
    )
    with pytest.raises(ImportRejected) as refused:
        import_file(factory, "views", views, Options(today=date(2026, 11, 30)))
    assert [str(p) for p in refused.value.problems] == [
        "row 2, column received: 02/01/2027 is in the future"
    ]


def test_identical_complaints_on_one_day_are_kept_apart_and_match_on_reimport(factory, tmp_path):
    text = (
        "team,received,category,outcome,closed\n"
        "Children in Need,2026-05-01,delays,upheld,2026-05-20\n"
        "Children in Need,2026-05-01,delays,upheld,2026-05-20\n"
    )
    path = write(tmp_path, "complaints.csv", text)
    assert import_file(factory, "complaints", path).added == 2
    changed = write(
        tmp_path,
        "complaints2.csv",
        text.replace("upheld,2026-05-20\n", "not upheld,2026-05-22\n", 1),
    )
    report = import_file(factory, "complaints", changed)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 1)
    assert sorted(rows(factory, select(Complaint.outcome))) == ["not upheld", "upheld"]


def test_a_dry_run_reports_what_would_change_and_writes_nothing(factory, engine):
    import_file(factory, "indicators", SAMPLE / "indicators.csv")
    before = snapshot(engine)
    report = import_file(
        factory, "values", SAMPLE / "examples" / "values.csv", Options(dry_run=True)
    )
    assert report.dry_run and report.added > 0 and report.new_teams
    assert snapshot(engine) == before


def test_months_without_a_value_are_skipped_not_stored_as_zero(factory, tmp_path):
    load_indicators(factory, tmp_path)
    path = write(
        tmp_path,
        "values.csv",
        (
            "team,indicator,period_end,value\n"
            "Children in Need,CIN CASELOAD,2026-04-30,NA\n"
            "Children in Need,CIN CASELOAD,2026-05-31,[c]\n"
            "Children in Need,CIN CASELOAD,2026-06-30,17\n"
        ),
    )
    report = import_file(factory, "values", path)
    assert (report.added, report.skipped) == (1, 2)
    assert rows(factory, select(IndicatorValue.value)) == [17.0]


def test_an_empty_or_unreadable_file_is_refused_with_a_reason(factory, tmp_path):
    for name, content in (("empty.csv", b""), ("broken.xlsx", b"not a workbook")):
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(ImportRejected) as refused:
            import_file(factory, "values", path)
        assert refused.value.problems[0].message


def test_survey_results_keep_their_counts(factory):
    import_file(factory, "survey", SAMPLE / "survey.csv")
    total = rows(factory, select(sa.func.sum(SurveyResult.count)))[0]
    assert total > 1000
