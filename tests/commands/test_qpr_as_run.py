"""Every `qpr` command as a person runs it: the installed console script, in a process of
its own, started the way the README shows. A suite that imports modules in its own order
can hide an import cycle that crashes the real command; here each command starts cold.

The demo runs once and its database is the prepared one for the commands that read a
review; the commands that need none are in test_qpr_setup_and_serve.py."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from reviews.calendar import MeetingRule
from storage.periods import last_ended_quarter
from tests.helpers.commands import qpr, text

TEAM = "Older People's Services"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, str, str]:
    """The demo, run once: its folder, its database URL and what it printed."""
    cwd = tmp_path_factory.mktemp("demo")
    run = qpr("demo", "--out", "out", database="sqlite:///unused.sqlite3", cwd=cwd)
    assert run.returncode == 0, text(run)
    folder = cwd / "out"
    return folder, f"sqlite:///{folder / 'demo.sqlite3'}", run.stdout.decode()


def test_qpr_demo_plays_a_review_and_writes_every_report(demo):
    folder, _, out = demo
    assert "/qpr setup Older People's Services" in out
    assert "Record of the QPR" in out
    every = [".csv", ".html", ".json", ".md", ".pdf"]
    assert sorted(p.suffix for p in folder.glob("qpr-older-people-s-services-*")) == every
    assert sorted(p.suffix for p in folder.glob("qpr-every-team-*")) == every
    assert "QPR " in out and ": every team ==" in out


def test_qpr_report_of_all_teams_names_each_team_and_whether_late(demo, tmp_path):
    _, database, _ = demo
    played = last_ended_quarter(date.today()).label
    target = tmp_path / "teams.json"
    args = ("report", "--all-teams", "--period", played)
    run = qpr(*args, "--format", "json", "-o", str(target), database=database, cwd=tmp_path)
    assert run.returncode == 0, text(run)
    paper = json.loads(target.read_text())
    assert paper["period"] == played
    teams = {t["team"]: t for t in paper["teams"]}
    assert set(teams) == {TEAM, "Children in Need", "Adults with Learning Disabilities"}
    assert teams[TEAM]["overall"] == "some progress" and not teams[TEAM]["late"]
    # Its meeting is on the second Wednesday after the quarter: late once that has come, if
    # its schedule was set before it (the demo sets it today).
    meeting = MeetingRule.parse("second wednesday").day_after(last_ended_quarter(date.today()))
    assert teams["Adults with Learning Disabilities"]["meeting_date"] == meeting.isoformat()
    assert not teams["Adults with Learning Disabilities"]["late"]
    run = qpr("report", "--all-teams", database=database, cwd=tmp_path)  # the latest quarter
    assert run.returncode == 0, text(run)
    assert run.stdout.decode().startswith(f"# QPR {played}: every team")
    run = qpr("report", "--format", "json", database=database, cwd=tmp_path)
    assert run.returncode == 2 and "one of the arguments --team --all-teams" in text(run)


@pytest.mark.parametrize("fmt", ["md", "html", "pdf", "csv", "json"])
def test_qpr_report_writes_the_demo_review_in_every_format(demo, fmt, tmp_path):
    _, database, _ = demo
    target = tmp_path / f"report.{fmt}"
    # The demo's review, of the last quarter that ended (the next quarter's is just begun).
    played = last_ended_quarter(date.today()).label
    run = qpr(
        "report",
        "--team",
        TEAM,
        "--period",
        played,
        "--format",
        fmt,
        "-o",
        str(target),
        database=database,
        cwd=tmp_path,
    )
    assert run.returncode == 0, text(run)
    assert f"Wrote {target}" in run.stderr.decode()
    statement = "Carers get a break and feel supported"
    if fmt == "pdf":
        pages = PdfReader(target).pages
        assert statement in " ".join(" ".join(p.extract_text().split()) for p in pages)
    elif fmt == "json":
        report = json.loads(target.read_text())
        assert report["team"] == TEAM and report["status"] == "judged"
        assert statement in [o["text"] for o in report["outcomes"]]
    else:
        assert statement in target.read_text()


def test_qpr_report_to_standard_output_is_the_markdown_record(demo, tmp_path):
    _, database, _ = demo
    run = qpr("report", "--team", TEAM, database=database, cwd=tmp_path)
    assert run.returncode == 0, text(run)
    assert run.stdout.decode().startswith("# QPR ")


def test_qpr_report_of_an_unknown_team_or_a_missing_quarter_says_so(demo, tmp_path):
    _, database, _ = demo
    run = qpr("report", "--team", "Nobody", database=database, cwd=tmp_path)
    assert run.returncode == 1
    assert "There is no team called 'Nobody'" in run.stderr.decode()
    run = qpr("report", "--team", TEAM, "--period", "2019/20 Q1", database=database, cwd=tmp_path)
    assert run.returncode == 1
    assert "has no review of 2019/20 Q1 yet" in run.stderr.decode()
    assert "Traceback" not in text(run)


def test_qpr_evidence_prints_text_json_and_writes_charts(demo, tmp_path):
    _, database, _ = demo
    run = qpr("evidence", "--team", TEAM, database=database, cwd=tmp_path)
    assert run.returncode == 0, text(run)
    assert f"{TEAM}: evidence for" in run.stdout.decode()

    run = qpr("evidence", "--team", TEAM, "--format", "json", database=database, cwd=tmp_path)
    assert run.returncode == 0, text(run)
    found = json.loads(run.stdout)
    assert found["team"] == TEAM and found["indicators"]

    # A team of a few indicators: each chart takes a second to draw.
    charts = tmp_path / "charts"
    args = ("evidence", "--team", "Children in Need", "--charts", str(charts))
    run = qpr(*args, database=database, cwd=tmp_path)
    assert run.returncode == 0, text(run)
    drawn = sorted(p.name for p in charts.glob("*.png"))
    assert "overview.png" in drawn and "CIN_ASSESS45.png" in drawn
    assert all((charts / name).read_bytes().startswith(b"\x89PNG") for name in drawn)


def test_qpr_team_shows_and_changes_a_teams_settings(demo, tmp_path):
    _, database, _ = demo
    run = qpr("team", TEAM, "--response-days", "20", database=database, cwd=tmp_path)
    assert run.returncode == 0, text(run)
    assert "complaints to be closed within 20 days" in run.stdout.decode()
    run = qpr("team", TEAM, "--timezone", "Mars/Olympus", database=database, cwd=tmp_path)
    assert run.returncode == 1
    assert "Traceback" not in text(run)


def test_qpr_team_create_makes_a_team_and_refuses_a_slip(demo, tmp_path):
    _, database, _ = demo
    run = qpr(
        "team", "create", "Home Care", "--area-code", "E08000009", database=database, cwd=tmp_path
    )
    assert run.returncode == 0, text(run)
    assert "Team created: Home Care" in run.stdout.decode()
    assert "Home Care: area code E08000009" in run.stdout.decode()
    run = qpr("team", "create", "Older Peoples Services", database=database, cwd=tmp_path)
    assert run.returncode == 1
    assert "did you mean that team?" in run.stderr.decode()


def test_qpr_comparators_lists_what_is_loaded_by_indicator_and_period(demo, tmp_path):
    _, database, _ = demo
    run = qpr("comparators", database=database, cwd=tmp_path)
    assert run.returncode == 0, text(run)
    lines = run.stdout.decode().splitlines()
    assert lines[0].startswith("ASCOF 3A  Overall satisfaction")
    assert any(line.strip().startswith("2024/25") and "with a value" in line for line in lines)
    run = qpr("comparators", "--indicator", "NO SUCH", database=database, cwd=tmp_path)
    assert run.returncode == 0 and "No comparators loaded for NO SUCH" in run.stdout.decode()


def test_qpr_reminders_lists_what_would_be_sent_at_a_moment(demo, tmp_path):
    _, database, _ = demo
    run = qpr("reminders", "--at", "2027-01-12 09:00", database=database, cwd=tmp_path)
    assert run.returncode == 0, text(run)
    listed = run.stdout.decode()
    assert listed.strip()
    # A person is named, not only given as a Slack id.
    assert "need:" not in listed or "to Ben (UBEN)" in listed  # Ann's need is done
    assert not re.search(r"to U[A-Z0-9]+\]", listed)
    # Nothing due then, for a team set up with a schedule: the next one is named instead.
    team = ("--team", "Older People's Services")
    run = qpr("reminders", *team, "--at", "2026-05-01 03:00", database=database, cwd=tmp_path)
    said = run.stdout.decode()
    assert said.startswith("Nothing would be sent at 2026-05-01 03:00. The next reminder: 2026")
    assert "need a team set up" not in said
    run = qpr("reminders", "--at", "tomorrow", database=database, cwd=tmp_path)
    assert run.returncode == 2
    assert "is not a moment" in run.stderr.decode()


def test_qpr_evidence_ages_a_reviews_figures_to_the_same_day_as_slack_and_its_report(
    demo, tmp_path
):
    _, database, out = demo
    played = last_ended_quarter(date.today()).label
    run = qpr(
        "evidence",
        "--team",
        TEAM,
        "--period",
        played,
        "--format",
        "json",
        database=database,
        cwd=tmp_path,
    )
    assert run.returncode == 0, text(run)
    evidence = json.loads(run.stdout)
    run = qpr(
        "report",
        "--team",
        TEAM,
        "--period",
        played,
        "--format",
        "json",
        database=database,
        cwd=tmp_path,
    )
    report = json.loads(run.stdout)
    as_of = date.fromisoformat(evidence["as_of"])
    # The thread said the same day (the review was closed on it).
    assert f"figures as of {as_of:%d %b %Y}" in out
    ages = {i["code"]: i["latest"]["age_days"] for i in evidence["indicators"]}
    for row in report["summary"]:
        assert row["age_days"] == ages[row["code"]], row["code"]


def test_qpr_person_exports_and_forgets_a_member_of_staff(demo, tmp_path):
    folder, _, _ = demo
    copy = tmp_path / "copy.sqlite3"
    shutil.copy(folder / "demo.sqlite3", copy)  # the other tests read the demo as it was
    database = f"sqlite:///{copy}"
    run = qpr("person", "export", "UANN", database=database, cwd=tmp_path)
    assert run.returncode == 0, text(run)
    held = json.loads(run.stdout)
    assert held["name"] == "Ann" and held["proposals"] and held["needs_owned"]

    run = qpr("person", "forget", "UANN", database=database, cwd=tmp_path)  # no terminal
    assert run.returncode == 2 and "run it with --yes" in run.stderr.decode()
    run = qpr("person", "forget", "@ann", database=database, cwd=tmp_path)
    assert run.returncode == 2 and "Slack user id" in run.stderr.decode()
    run = qpr("person", "forget", "UANN", "--yes", database=database, cwd=tmp_path)
    assert run.returncode == 0, text(run)
    assert "UANN is forgotten" in run.stdout.decode()

    report = qpr("report", "--team", TEAM, "--format", "json", database=database, cwd=tmp_path)
    assert report.returncode == 0, text(report)
    assert "UANN" not in report.stdout.decode() and '"Ann"' not in report.stdout.decode()
    assert "a former member" in report.stdout.decode()
    run = qpr("person", "forget", "UANN", "--yes", database=database, cwd=tmp_path)
    assert "Nothing is held about UANN" in run.stdout.decode()


def test_qpr_retention_lists_what_is_past_the_period_and_refuses_a_bad_one(demo, tmp_path):
    _, database, _ = demo
    run = qpr("retention", database=database, cwd=tmp_path)
    assert run.returncode == 0, text(run)
    assert run.stdout.decode().startswith("Nothing held is older than 6 years")
    run = qpr("retention", database=database, cwd=tmp_path, env={"QPR_RETAIN_YEARS": "six"})
    assert run.returncode == 2 and "QPR_RETAIN_YEARS" in run.stderr.decode()
