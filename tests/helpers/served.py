"""`qpr serve` as the fault tests run it: in processes of their own, against a database
with a review in progress and a stand-in Slack; bursts of signed replies, and what was
stored."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket as sockets
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlmodel import select

from bot.slack.standin import FakeSlack, SlackUser
from reviews import outcomes, teams
from storage.db import SessionFactory
from storage.models import Outbox, OutcomeStatement
from storage.periods import parse_quarter

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

    def health(self) -> dict:
        """What GET /healthz answers, once it answers."""
        deadline = time.monotonic() + 30
        while True:
            try:
                url = f"http://127.0.0.1:{self.port}/healthz"
                with urllib.request.urlopen(url, timeout=2) as answer:
                    return json.loads(answer.read())
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def user(self) -> SlackUser:
        return SlackUser(f"http://127.0.0.1:{self.port}/slack/events", self.fake, SECRET, CHANNEL)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def kill_all(self) -> None:
        """Killed with its worker, as a container or a machine is: nothing finishes."""
        worker = self.worker()
        if worker is not None:
            os.kill(worker, signal.SIGKILL)
        self.kill()

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
        children = []
        # Each thread's children apart: a worker started again is its watcher thread's.
        for task in Path(f"/proc/{self.process.pid}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                children += task.read_text().split()
        # Its other child is multiprocessing's resource tracker, which is not the worker.
        workers = [int(child) for child in children if _spawned(int(child))]
        return workers[0] if workers else None


def _spawned(pid: int) -> bool:
    try:
        return b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _review_in_progress(engine) -> str:
    """A team whose review of 2026/27 Q2 is taking proposals in THREAD; the database URL."""
    with _factory(engine).unit_of_work() as session:
        team, _ = teams.setup_team(session, CHANNEL, "Reablement", FACILITATOR)
        review, _ = outcomes.start_review(session, team, parse_quarter("2026/27 Q2"), FACILITATOR)
        outcomes.set_thread(session, review, THREAD)
    return engine.url.render_as_string(hide_password=False)


def _factory(engine) -> SessionFactory:
    return SessionFactory(engine)


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


def running(pid: int) -> bool:
    # A process that ended is a zombie until its parent reaps it: gone, for this purpose.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _reacted(fake) -> set[str]:
    """The replies the bot tried to mark with :memo: (Slack refused some of the tries)."""
    return {c.params["timestamp"] for c in fake.calls("reactions.add")}


def _states(engine) -> set[str]:
    with _factory(engine)() as session:
        return {r.state for r in session.exec(select(Outbox)).all()}
