"""The `qpr` console command as an operator uses it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot.base.config import Settings
from bot.cli.main import main
from storage import migrate
from storage.db import make_engine
from tests.conftest import REAL, SAMPLE


@pytest.fixture
def env(monkeypatch, database_url, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    return database_url


def test_db_upgrade_reports_the_revision(env, capsys):
    assert main(["db", "upgrade"]) == 0
    head = migrate.head_revision(make_engine(env))
    assert f"Database is at revision {head}." in capsys.readouterr().out


def test_import_prints_counts_and_a_second_import_reports_all_unchanged(env, capsys):
    assert main(["import", "indicators", str(SAMPLE / "indicators.csv")]) == 0
    assert main(["import", "values", str(SAMPLE / "values.csv")]) == 0
    out = capsys.readouterr().out
    assert "values.csv: imported 891 rows of values: 891 added, 0 updated, 0 unchanged." in out
    assert "New teams: Adults with Learning Disabilities, Children in Need" in out
    assert main(["import", "values", str(SAMPLE / "values.csv")]) == 0
    assert "0 added, 0 updated, 891 unchanged." in capsys.readouterr().out


def test_a_refused_import_exits_non_zero_and_lists_problems_on_stderr(env, capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("team,received,category,outcome\nChildren in Need,2026-13-01,delays,lost\n")
    assert main(["import", "complaints", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.csv was not imported: 2 problems. Nothing was written." in err
    assert "row 2, column received: '2026-13-01' is not a date" in err
    assert "row 2, column outcome: 'lost' is not a known outcome" in err


def test_the_same_problem_in_many_rows_is_said_once(env, capsys):
    main(["import", "indicators", str(SAMPLE / "indicators.csv")])
    path = REAL / "trafford_nn_ascof2a2_admissions65_2014-15_to_2023-24.csv"
    assert main(["import", "comparators", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith("170 problems. Nothing was written.")
    assert err[1].startswith("  rows 2, 3, 4, 5, 6 and 165 more, column indicator: unknown")
    assert len(err) == 2


def test_the_real_files_import_from_the_command_line(env, capsys):
    main(["import", "indicators", str(SAMPLE / "indicators.csv")])
    assert (
        main(
            [
                "import",
                "comparators",
                str(REAL / "trafford_nn_ascof3a_satisfaction_2014-15_to_2024-25.csv"),
                "--indicator",
                "ASCOF 3A",
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "import",
                "comparators",
                str(REAL / "oflog_asc_measures_by_la_2015-16_to_2022-23.csv"),
                "--mapping",
                str(SAMPLE / "mappings" / "oflog_asc.toml"),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "187 added" in out and "6376 added" in out


def test_a_mapping_for_another_kind_is_refused(env, capsys):
    mapping = SAMPLE / "mappings" / "oflog_asc.toml"
    assert main(["import", "values", str(SAMPLE / "values.csv"), "--mapping", str(mapping)]) == 2
    assert "is a mapping for comparators files, not values" in capsys.readouterr().err


def test_dry_run_says_nothing_was_written(env, capsys):
    assert main(["import", "indicators", str(SAMPLE / "indicators.csv"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would import 19 rows of indicators: 19 added" in out
    assert "Dry run: nothing was written." in out
    with make_engine(env).connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM indicator")).scalar() == 0


def test_a_bad_setting_is_reported_plainly(monkeypatch, capsys):
    monkeypatch.setenv("QPR_FY_START_MONTH", "April")
    assert main(["db", "upgrade"]) == 2
    assert "QPR_FY_START_MONTH" in capsys.readouterr().err


def test_settings_never_show_tokens():
    settings = Settings.from_env(
        {
            "SLACK_BOT_TOKEN": "xoxb-secret-token",
            "DATABASE_URL": "postgresql+psycopg://qpr:hunter2@db/qpr",
        }
    )
    shown = repr(settings)
    assert "xoxb-secret-token" not in shown and "hunter2" not in shown


def test_the_progress_bar_shows_only_for_files_over_ten_thousand_rows():
    import io

    from bot.cli.imports import ProgressBar

    stream = io.StringIO()
    bar = ProgressBar(stream)
    bar(5_000, 9_000, "checking")
    assert stream.getvalue() == ""
    bar(10_000, 20_000, "checking")
    assert "checking [###############...............] 10,000/20,000 rows" in stream.getvalue()
    bar.clear()
    assert stream.getvalue().endswith("\r")


def test_qpr_team_sets_lead_times_and_timezone_and_refuses_nonsense(env, capsys):
    assert main(["import", "indicators", str(SAMPLE / "indicators.csv")]) == 0
    assert main(["import", "values", str(SAMPLE / "values.csv")]) == 0
    capsys.readouterr()
    args = ["team", "Older People's Services", "--kickoff-days", "8", "--timezone", "Europe/Dublin"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "timezone Europe/Dublin" in out and "kick-off 8 working days before" in out
    assert main(["team", "Older People's Services", "--need-notice-days", "0"]) == 1
    assert "a number of working days, 1 to 30" in capsys.readouterr().err
    assert main(["team", "Older People's Services", "--timezone", "Mars/Olympus"]) == 1
    assert "is not a timezone" in capsys.readouterr().err


def test_qpr_indicator_recalculates_limits_only_with_a_reason_and_audits_it(env, capsys):
    assert main(["import", "indicators", str(SAMPLE / "indicators.csv")]) == 0
    capsys.readouterr()
    assert main(["indicator", "ASCOF 2B(1)", "--recalculate-from", "2025-07-31"]) == 1
    assert "say why the process changed" in capsys.readouterr().err
    reason = "The new reablement service began in July 2025"
    args = ["indicator", "ASCOF 2B(1)", "--recalculate-from", "2025-07-31", "--reason", reason]
    assert main(args) == 0
    assert f"Limits recalculated from 31 Jul 2025: {reason}." in capsys.readouterr().out
    engine = make_engine(env)
    with engine.connect() as connection:
        kept = connection.execute(
            sa.text("SELECT recalculate_from, recalculate_reason FROM indicator WHERE code = :c"),
            {"c": "ASCOF 2B(1)"},
        ).one()
        audited = connection.execute(
            sa.text("SELECT actor FROM audit_event WHERE action = 'indicator.recalculate'")
        ).all()
    engine.dispose()
    assert str(kept[0]).startswith("2025-07-31") and kept[1] == reason
    assert [a[0] for a in audited] == ["operator"]
    assert main(["indicator", "NOPE"]) == 1
    assert "There is no indicator 'NOPE'" in capsys.readouterr().err


def test_qpr_team_names_a_facilitator_who_may_then_set_up_its_channel(env, capsys):
    assert main(["import", "indicators", str(SAMPLE / "indicators.csv")]) == 0
    assert main(["import", "values", str(SAMPLE / "values.csv")]) == 0
    capsys.readouterr()
    assert main(["team", "Children in Need", "--facilitator", "@dev"]) == 2
    assert "Slack user id" in capsys.readouterr().err
    assert main(["team", "Children in Need", "--facilitator", "U0DEV"]) == 0
    assert "facilitators U0DEV" in capsys.readouterr().out


def test_a_refusal_on_the_terminal_says_a_name_as_it_was_typed(env, capsys):
    assert main(["report", "--team", "Nobody <x> & co"]) == 1
    err = capsys.readouterr().err
    assert "There is no team called 'Nobody <x> & co'" in err and "&lt;" not in err
