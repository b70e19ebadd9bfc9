"""Faults as an operator meets them, against the real `qpr serve` in processes of its own:
killed (-9) or stopped (SIGTERM) in the middle of a burst, killed between Slack taking a
post and the bot hearing so, two instances on one database with Slack retrying across
them, and a storm of rate limits. Each counts what Slack heard acknowledged against what
was stored: nothing lost, nothing doubled."""

from __future__ import annotations

import os
import signal
import socket as sockets
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlmodel import select

from bot.slack.standin import FakeSlack, SlackUser
from reviews import outcomes, teams
from storage import migrate
from storage.db import SessionFactory, make_engine
from storage.models import Outbox, OutcomeStatement
from storage.periods import parse_quarter
from tests.e2e.own_postgres import OwnPostgres
from tests.helpers.review import agree_one_outcome
from tests.helpers.slack import eventually

QPR = Path(sys.executable).parent / "qpr"
SECRET = "fault-secret"
CHANNEL = "C0FAULT"
THREAD = "1700000000.000100"
FACILITATOR = "UFAC"


class Served:
    """`qpr serve` on the test's database, with Slack played by `fake`: over HTTP, or in
    Socket Mode when given the WebSocket stand-in `socket`."""

    def __init__(self, database: str, fake: FakeSlack, folder: Path, socket=None):
        self.database, self.fake, self.folder, self.socket = database, fake, folder, socket
        self.process: subprocess.Popen | None = None
        self.port = 0

    def start(self) -> Served:
        with sockets.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "QPR_"))}
        self.process = subprocess.Popen(
            [str(QPR), "serve", "--host", "127.0.0.1"],
            cwd=self.folder,
            env={
                **clean,
                "DATABASE_URL": self.database,
                "SLACK_BOT_TOKEN": "xoxb-fault",
                "SLACK_SIGNING_SECRET": SECRET,
                "SLACK_API_URL": self.fake.url,
                "PORT": str(self.port),
                **({"SLACK_APP_TOKEN": "xapp-1-fault"} if self.socket else {}),
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        if self.socket is not None:
            self.socket.wait_connected(self.socket.connections + 1)
            return self
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.process.stdout.read().decode()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    return self
            except OSError:
                time.sleep(0.1)
        raise AssertionError("qpr serve did not answer /healthz")

    def user(self) -> SlackUser:
        return SlackUser(f"http://127.0.0.1:{self.port}/slack/events", self.fake, SECRET, CHANNEL)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def terminate(self) -> tuple[float, int, str]:
        """SIGTERM: how long it took to exit, its exit code and what it printed."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        out = self.process.communicate(timeout=30)[0].decode()
        return time.monotonic() - started, self.process.returncode, out

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.kill()

    def worker(self) -> int | None:
        """The pid of the worker process `qpr serve` started, once it is running."""
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return None
        alive = [int(child) for child in children if running(int(child))]
        return alive[0] if alive else None


def _review_in_progress(engine) -> str:
    """A team whose review of 2026/27 Q2 is taking proposals in THREAD; the database URL."""
    with _factory(engine).unit_of_work() as session:
        team, _ = teams.setup_team(session, CHANNEL, "Reablement", FACILITATOR)
        review, _ = outcomes.start_review(session, team, parse_quarter("2026/27 Q2"), FACILITATOR)
        outcomes.set_thread(session, review, THREAD)
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def database(engine) -> str:
    return _review_in_progress(engine)


def _factory(engine) -> SessionFactory:
    return SessionFactory(engine)


@pytest.fixture
def fake():
    with FakeSlack() as fake:
        yield fake


def reply(n: int) -> dict:
    return {
        "type": "message",
        "channel": CHANNEL,
        "user": f"U{n:03}",
        "ts": f"1700000100.{n:06}",
        "thread_ts": THREAD,
        "text": f"Outcome statement number {n}",
    }


def burst(users: list[SlackUser], count: int, retry_every: int = 0, start: int = 0) -> set[str]:
    """`count` replies sent by 8 clients at once, spread over the instances; the ts of each
    Slack heard acknowledged. With `retry_every`, that share also goes to another instance,
    as Slack retrying would."""

    def send(n: int) -> str | None:
        event = reply(n)
        status, _ = users[n % len(users)].event(event, event_id=f"EvBurst{n}")
        if retry_every and n % retry_every == 0:
            users[(n + 1) % len(users)].event(event, event_id=f"EvBurst{n}")
        return event["ts"] if status == 200 else None

    with ThreadPoolExecutor(8) as pool:
        return {ts for ts in pool.map(send, range(start, start + count)) if ts}


def stored(engine) -> list[str]:
    with _factory(engine)() as session:
        return list(session.exec(select(OutcomeStatement.slack_message_ts)).all())


def test_killed_in_a_burst_loses_nothing_acknowledged(database, engine, fake, tmp_path):
    fake.slow("reactions.add", 0.05)  # the work lags well behind the acknowledgements
    served = Served(database, fake, tmp_path).start()
    try:
        acked = burst([served.user()], 30)
        served.kill()
        assert len(acked) == 30
        assert len(stored(engine)) < 30  # the kill came with work still to do
        served = Served(database, fake, tmp_path).start()
        eventually(lambda: len(stored(engine)) >= 30, timeout=40)
        time.sleep(0.5)
    finally:
        served.stop()
    assert sorted(stored(engine)) == sorted(acked)  # none lost, none doubled


def test_sigterm_in_a_burst_exits_within_10_s_and_loses_nothing(database, engine, fake, tmp_path):
    fake.slow("reactions.add", 0.05)
    served = Served(database, fake, tmp_path).start()
    try:
        acked = burst([served.user()], 30)
        took, code, out = served.terminate()
        assert took < 10 and code == 0, out
        assert "QPR bot: stopped" in out
        served = Served(database, fake, tmp_path).start()
        eventually(lambda: len(stored(engine)) >= 30, timeout=40)
        time.sleep(0.5)
    finally:
        served.stop()
    assert sorted(stored(engine)) == sorted(acked)


def running(pid: int) -> bool:
    # A process that ended is a zombie until its parent reaps it: gone, for this purpose.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_a_worker_process_that_dies_is_started_again_and_its_work_done(
    database, engine, fake, tmp_path
):
    fake.slow("reactions.add", 0.05)
    served = Served(database, fake, tmp_path).start()
    try:
        eventually(lambda: served.worker() is not None, timeout=10)
        first = served.worker()
        acked = burst([served.user()], 20)
        os.kill(first, signal.SIGKILL)
        acked |= burst([served.user()], 10, start=20)  # still acknowledged meanwhile
        eventually(lambda: len(stored(engine)) >= 30, timeout=40)
        assert served.worker() not in (None, first)
        time.sleep(0.5)
    finally:
        served.stop()
    assert sorted(stored(engine)) == sorted(acked)


def test_the_worker_process_stops_when_qpr_serve_is_killed(database, fake, tmp_path):
    served = Served(database, fake, tmp_path).start()
    eventually(lambda: served.worker() is not None, timeout=10)
    worker = served.worker()
    served.kill()
    eventually(lambda: not running(worker), timeout=12)


def test_two_instances_with_slack_retrying_across_them_keep_each_once(
    database, engine, fake, tmp_path
):
    first = Served(database, fake, tmp_path).start()
    second = Served(database, fake, tmp_path).start()
    try:
        acked = burst([first.user(), second.user()], 40, retry_every=3)
        eventually(lambda: len(stored(engine)) >= 40, timeout=40)
        time.sleep(1)
    finally:
        first.stop()
        second.stop()
    assert sorted(stored(engine)) == sorted(acked)
    assert len(fake.calls("reactions.add")) == 40


def test_a_storm_of_rate_limits_is_ridden_out(database, engine, fake, tmp_path):
    fake.fail_next("reactions.add", status=429, retry_after=1, times=4)
    served = Served(database, fake, tmp_path).start()
    try:
        acked = burst([served.user()], 12)
        eventually(lambda: len(stored(engine)) >= 12, timeout=40)
        eventually(lambda: _reacted(fake) == acked, timeout=40)
    finally:
        served.stop()
    assert sorted(stored(engine)) == sorted(acked)


def test_killed_after_slack_took_a_post_the_restart_adopts_it(database, engine, fake, tmp_path):
    with _factory(engine).unit_of_work() as session:
        review = outcomes.review_by_thread(session, CHANNEL, THREAD)
        agree_one_outcome(session, review, FACILITATOR)  # owes the evidence
    fake.slow("chat.postMessage", 30)  # Slack has the post; the bot never hears back
    served = Served(database, fake, tmp_path).start()
    try:
        fake.wait_for("chat.postMessage")
        served.kill()
        fake.slow("chat.postMessage", 0)
        served = Served(database, fake, tmp_path).start()
        eventually(lambda: _states(engine) == {"sent"}, timeout=30)
    finally:
        served.stop()
    glance = [c for c in fake.calls("chat.postMessage") if c.params["text"].startswith("Evidence")]
    assert len(glance) == 1  # found in the thread, not posted again
    assert glance[0].params["metadata"]["event_type"] == "qpr_owed_post"
    assert fake.calls("conversations.replies")


def _reacted(fake) -> set[str]:
    """The replies the bot tried to mark with :memo: (Slack refused some of the tries)."""
    return {c.params["timestamp"] for c in fake.calls("reactions.add")}


def _states(engine) -> set[str]:
    with _factory(engine)() as session:
        return {r.state for r in session.exec(select(Outbox)).all()}


def test_postgresql_stopped_and_started_under_the_bot_loses_nothing_acknowledged(fake, tmp_path):
    own = OwnPostgres()
    if not own.available:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("no initdb on this machine; under CI every PostgreSQL test must run")
        pytest.skip("no initdb on this machine")
    own.create()
    engine = make_engine(own.url)
    served = None
    try:
        migrate.upgrade(engine)
        _review_in_progress(engine)
        served = Served(own.url, fake, tmp_path).start()
        user = served.user()
        acked = burst([user], 10)
        eventually(lambda: len(stored(engine)) == 10)

        own.stop()
        # Nothing can be kept, so nothing is acknowledged: Slack sends the events again.
        down = {n: user.event(reply(n), event_id=f"EvDown{n}")[0] for n in range(10, 15)}
        assert set(down.values()) == {503}
        status, answer = user.command("start 2026/27 Q3")
        assert status == 200 and "nothing was done" in answer

        own.start()
        for n in down:  # Slack's retries
            assert user.event(reply(n), event_id=f"EvDown{n}")[0] == 200
            acked.add(reply(n)["ts"])
        eventually(lambda: len(stored(engine)) >= 15, timeout=40)
        time.sleep(0.5)
        assert sorted(stored(engine)) == sorted(acked)
    finally:
        if served is not None:
            served.stop()
        engine.dispose()
        own.remove()
