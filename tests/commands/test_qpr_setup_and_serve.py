"""The `qpr` commands that need no review played first, as a person runs them: the
installed console script in a process of its own (see test_qpr_as_run.py): its help, the
first manager, a new database, imports, serving (its tokens, HTTP), an indicator's limits,
and the README's recipe for a council's published figures. Apart from the demo's module, so
that the two run side by side."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.demo.play import FILES as DEMO_FILES
from bot.slack.standin import FakeSlack, SlackUser
from reviews import installation
from storage import migrate
from storage.db import SessionFactory, make_engine
from tests.conftest import SAMPLE
from tests.helpers.commands import QPR, qpr, text

TEAM = "Older People's Services"


def test_the_console_script_is_installed_and_answers_help(tmp_path):
    assert QPR.exists(), f"{QPR} is not installed: pip install -e ."
    run = qpr("--help", database="sqlite:///x.sqlite3", cwd=tmp_path)
    assert run.returncode == 0
    commands = (
        "db",
        "import",
        "serve",
        "team",
        "managers",
        "indicator",
        "comparators",
        "evidence",
        "report",
        "reminders",
    )
    for command in (*commands, "demo"):
        assert command in run.stdout.decode()
    as_module = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--help"], capture_output=True, cwd=tmp_path
    )
    assert as_module.returncode == 0 and as_module.stdout == run.stdout


def test_qpr_managers_names_the_first_manager_and_refuses_what_is_not_a_user_id(tmp_path):
    database = f"sqlite:///{tmp_path / 'qpr.sqlite3'}"
    run = qpr("managers", database=database, cwd=tmp_path)
    assert run.returncode == 0 and "No managers yet" in run.stdout.decode()
    run = qpr("managers", "add", "@hana", database=database, cwd=tmp_path)
    assert run.returncode == 2 and "Slack user id, such as U012AB3CD" in text(run)
    run = qpr("managers", "add", "U0HANA", database=database, cwd=tmp_path)
    assert run.returncode == 0 and "U0HANA is now a manager" in run.stdout.decode()
    assert qpr("managers", database=database, cwd=tmp_path).stdout.decode().split() == ["U0HANA"]


def test_qpr_db_upgrade_brings_a_new_database_to_the_head_revision(tmp_path):
    database = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    run = qpr("db", "upgrade", database=database, cwd=tmp_path)
    assert run.returncode == 0, text(run)
    head = migrate.head_revision(make_engine(database))
    assert run.stdout.decode().strip() == f"Database is at revision {head}."


def test_qpr_import_takes_each_kind_and_refuses_a_bad_file_whole(tmp_path):
    database = f"sqlite:///{tmp_path / 'imports.sqlite3'}"
    # Each kind, from the files the demo loads.
    for kind, path in DEMO_FILES:
        run = qpr("import", kind, str(path), database=database, cwd=tmp_path)
        assert run.returncode == 0, text(run)
        assert f"{path.name}: imported" in run.stdout.decode(), kind
    again = qpr("import", "views", str(SAMPLE / "views.csv"), database=database, cwd=tmp_path)
    assert "0 added, 0 updated" in again.stdout.decode()

    bad = tmp_path / "bad.csv"
    bad.write_text("team,received,category,outcome\nChildren in Need,2026-13-01,delays,lost\n")
    run = qpr("import", "complaints", str(bad), "--dry-run", database=database, cwd=tmp_path)
    assert run.returncode == 1
    assert "row 2, column received" in run.stderr.decode()
    assert "Traceback" not in text(run)


def test_qpr_serve_without_a_token_says_what_to_set(tmp_path):
    run = qpr("serve", database=f"sqlite:///{tmp_path / 'x.sqlite3'}", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.decode().strip() == "qpr: SLACK_BOT_TOKEN is not set (see .env.example)"


@pytest.mark.parametrize(
    ("tokens", "refused", "said"),
    [
        ({"SLACK_BOT_TOKEN": "xapp-1-A0-1-abc"}, None, "SLACK_BOT_TOKEN is an app-level token"),
        ({"SLACK_BOT_TOKEN": "not-a-token"}, None, "SLACK_BOT_TOKEN is not a bot token"),
        (
            {"SLACK_APP_TOKEN": "xoxb-the-wrong-one"},
            None,
            "SLACK_APP_TOKEN is not an app-level token",
        ),
        ({}, ("auth.test", "token_revoked"), "Slack refused SLACK_BOT_TOKEN (token_revoked)"),
        (
            {"SLACK_APP_TOKEN": "xapp-1-A0-1-abc"},
            ("apps.connections.open", "invalid_auth"),
            "Slack refused SLACK_APP_TOKEN (invalid_auth)",
        ),
    ],
)
def test_qpr_serve_checks_its_tokens_with_slack_and_ends_with_one_line(
    tokens, refused, said, tmp_path
):
    with FakeSlack() as fake:
        if refused:
            fake.fail_next(refused[0], error=refused[1])
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "QPR_"))}
        run = subprocess.run(
            [str(QPR), "serve", "--host", "127.0.0.1"],
            cwd=tmp_path,
            env={
                **clean,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
                "SLACK_BOT_TOKEN": "xoxb-good",
                "SLACK_SIGNING_SECRET": "s",
                "SLACK_API_URL": fake.url,
                "PORT": str(_free_port()),
                **tokens,
            },
            capture_output=True,
            timeout=60,
        )
    assert run.returncode == 2
    lines = run.stderr.decode().strip().splitlines()
    assert lines == [f"qpr: {lines[-1].removeprefix('qpr: ')}"] and said in lines[0]
    assert "Traceback" not in run.stderr.decode()
    for token in tokens.values():
        assert token not in run.stderr.decode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_qpr_serve_answers_slack_over_http_and_logs_no_ones_words(tmp_path):
    port = _free_port()
    secret = "served-secret"
    # Slack had said the app was uninstalled: a start with a token it accepts resumes.
    engine = make_engine(f"sqlite:///{tmp_path / 'served.sqlite3'}")
    migrate.upgrade(engine)
    with SessionFactory(engine).unit_of_work() as session:
        installation.stop(session, installation.UNINSTALLED)
    engine.dispose()
    with FakeSlack() as fake:
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "QPR_"))}
        server = subprocess.Popen(
            [str(QPR), "serve", "--host", "127.0.0.1"],
            cwd=tmp_path,
            env={
                **clean,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'served.sqlite3'}",
                "SLACK_BOT_TOKEN": "xoxb-served",
                "SLACK_SIGNING_SECRET": secret,
                "SLACK_API_URL": fake.url,
                "PORT": str(port),
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            health = _wait_for_health(port, server)
            assert health == {"ok": True, "database": "reachable"}
            user = SlackUser(f"http://127.0.0.1:{port}/slack/events", fake, secret, "CSERVED")
            status, _ = user.command("setup Home Care & Reablement")
            assert status == 200
            answer = fake.wait_for("respond/1")[0].params
            assert "*Home Care &amp; Reablement*" in answer["text"]
            # Waiting for requests, it waits: a loop that never sleeps would hold a whole
            # core of the council's server (a second of processor time each second).
            assert _processor_seconds_over(server.pid, 2.0) < 0.5
        finally:
            server.terminate()
            log = server.communicate(timeout=20)[0].decode()
    assert "command /qpr setup trigger-1" in log
    assert "Slack has the app again: sending resumes" in log
    assert "Reablement" not in log and "xoxb-served" not in log


def _processor_seconds_over(pid: int, seconds: float) -> float:
    """The processor time a process (its own threads, not its children) takes over
    `seconds` of wall time."""

    def used() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime

    before = used()
    time.sleep(seconds)
    return used() - before


def _wait_for_health(port: int, server: subprocess.Popen, within: float = 60) -> dict:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"qpr serve exited: {server.stdout.read().decode()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                return json.loads(r.read())
        except OSError:
            time.sleep(0.2)
    raise AssertionError("qpr serve did not answer /healthz")


def test_qpr_indicator_shows_and_recalculates_with_a_reason(tmp_path):
    database = f"sqlite:///{tmp_path / 'qpr.sqlite3'}"
    run = qpr(
        "import", "indicators", str(SAMPLE / "indicators.csv"), database=database, cwd=tmp_path
    )
    assert run.returncode == 0, text(run)
    run = qpr("indicator", "ASCOF 2B(1)", database=database, cwd=tmp_path)
    assert run.returncode == 0 and "One set of limits over the whole series." in text(run)
    args = ("indicator", "ASCOF 2B(1)", "--recalculate-from", "2025-07-31")
    run = qpr(*args, database=database, cwd=tmp_path)
    assert run.returncode == 1 and "--reason" in text(run)
    run = qpr(*args, "--reason", "New reablement service", database=database, cwd=tmp_path)
    assert run.returncode == 0 and "recalculated from 31 Jul 2025: New reablement" in text(run)


def test_the_readmes_recipe_for_a_councils_published_figures_runs_end_to_end(tmp_path):
    """As the README shows it: the sample indicators, Oflog's long file with its mapping, and
    a team of Birmingham's, whose evidence is the council's published annual figures."""
    database = f"sqlite:///{tmp_path / 'qpr.sqlite3'}"
    real = Path(__file__).resolve().parents[1] / "data" / "real"
    mapping = SAMPLE / "mappings" / "oflog_asc.toml"
    steps = [
        ("import", "indicators", str(SAMPLE / "indicators.csv")),
        (
            "import",
            "comparators",
            str(real / "oflog_asc_measures_by_la_2015-16_to_2022-23.csv"),
            "--mapping",
            str(mapping),
        ),
        ("team", "create", "Birmingham Adults", "--area-code", "E08000025"),
    ]
    for step in steps:
        run = qpr(*step, database=database, cwd=tmp_path)
        assert run.returncode == 0, text(run)
        if step[1] == "comparators":
            # An implausible value is imported, and said.
            assert "Trafford's ASCOF 1J for 2019/20, 0, is far from every other" in text(run)
    args = ("evidence", "--team", "Birmingham Adults", "--period", "2022/23 Q4")
    run = qpr(*args, "--format", "json", database=database, cwd=tmp_path)
    assert run.returncode == 0, text(run)
    data = json.loads(run.stdout)
    (sequel,) = [i for i in data["indicators"] if i["code"] == "ASCOF 2D"]
    assert sequel["latest"]["value"] == 56.4 and sequel["frequency"] == "annual"
    assert sequel["freshness"]["status"] == "current" and sequel["missing_periods"] == []
    (placed,) = [p for p in data["comparators"] if p["code"] == "ASCOF 2D"]
    assert (placed["period_label"], placed["rank"], placed["of"]) == ("2022/23", 134, 151)
    words = text(qpr(*args, database=database, cwd=tmp_path))
    assert "56.4% (2022/23, " in words and "rank 134 of 151 English councils in 2022/23" in words
    # Years, not months: a gap is a year the survey was not run, never "Apr 2016".
    assert "ASCOF 2D        no figure" not in words and "Apr 2016" not in words
    assert "was expected by" not in words
