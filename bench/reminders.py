"""Reminder speed: 10,000 teams whose outcome statements close today, on SQLite and
PostgreSQL, in one run.

Every team meets on the third Tuesday of October 2026 and has a review still collecting
outcome statements, so at 09:00 on Tuesday 13 October each is due "outcome statements close
today" in its thread, and each has a "close in two days" reminder that is now past its use.
Prints the time to find what is due and to claim it (against a plain bulk insert of the
same rows), and the reminders sent per second against the stand-in Slack server (against
posting the same messages with no database at all). Posts to one channel are spaced a
second apart; the run checks that no channel got two posts closer than that.

    python bench/reminders.py [--teams 10000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.databases import new_database
from bot.base.config import Settings
from bot.slack.app import web_client
from bot.slack.deps import Deps
from bot.slack.scheduler import Reminders
from bot.slack.standin import FakeSlack
from reviews import reminders
from storage.db import SessionFactory
from storage.imports.bulk import insert_rows
from storage.models import Facilitator, Reminder, Review, Team

NOW = datetime(2026, 10, 13, 8, 0, tzinfo=UTC)  # 09:00 in London
WORKERS = 8


def load(factory: SessionFactory, teams: int) -> None:
    now = datetime.now(UTC)
    with factory.unit_of_work() as session:
        insert_rows(
            session,
            Team.__table__,
            [
                {
                    "name": f"Team {n}",
                    "name_key": f"team {n}",
                    "slack_channel_id": f"C{n:07d}",
                    "timezone": "Europe/London",
                    "meeting_rule": "third tuesday 10:00",
                    "complaint_response_days": 20,
                    "reminders_paused": False,
                    "kickoff_days": 10,
                    "outcomes_close_days": 5,
                    "need_notice_days": 3,
                    "created_at": now,
                }
                for n in range(teams)
            ],
            {},
        )
        ids = dict(session.execute(sa.select(Team.name_key, Team.id)).all())
        insert_rows(
            session,
            Facilitator.__table__,
            [{"team_id": i, "slack_user_id": f"U{i:07d}", "added_at": now} for i in ids.values()],
            {},
        )
        insert_rows(
            session,
            Review.__table__,
            [
                {
                    "team_id": i,
                    "period_label": "2026/27 Q2",
                    "period_start": date(2026, 7, 1),
                    "period_end": date(2026, 9, 30),
                    "stage": "outcomes",
                    "meeting_date": date(2026, 10, 20),
                    "slack_channel_id": f"C{i:07d}",
                    "slack_thread_ts": f"1700000000.{i:06d}",
                    "created_at": now,
                }
                for i in ids.values()
            ],
            {},
        )


def find_and_claim(factory: SessionFactory) -> tuple[float, float, int, int]:
    started = time.perf_counter()
    with factory() as session:
        found = reminders.due(session, NOW, 4)
    found_at = time.perf_counter()
    with factory.unit_of_work() as session:
        mine, skipped = reminders.claim(session, found, NOW, "bench")
    claimed_at = time.perf_counter()
    with factory.unit_of_work() as session:
        session.execute(sa.delete(Reminder))
    return found_at - started, claimed_at - found_at, len(mine), len(skipped)


def bare_insert(factory: SessionFactory, rows: int) -> float:
    """The floor for claiming: the same number of rows inserted in bulk, nothing checked."""
    started = time.perf_counter()
    with factory.unit_of_work() as session:
        insert_rows(
            session,
            Reminder.__table__,
            [
                {
                    "kind": "bare",
                    "subject": f"s{n}",
                    "occasion": "o",
                    "team_id": 1,
                    "due_at": NOW,
                    "state": "claimed",
                    "attempts": 0,
                }
                for n in range(rows)
            ],
            {},
        )
    took = time.perf_counter() - started
    with factory.unit_of_work() as session:
        session.execute(sa.delete(Reminder))
    return took


def bare_posts(fake: FakeSlack, teams: int) -> float:
    client = web_client(Settings(slack_bot_token="xoxb-bench", slack_api_url=fake.url))

    def post(n: int) -> None:
        client.chat_postMessage(channel=f"C{n:07d}", thread_ts="1.1", text="Closing today")

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        list(pool.map(post, range(teams)))
    return time.perf_counter() - started


def closest_gap(fake: FakeSlack) -> float | None:
    last: dict[str, float] = {}
    gap = None
    for call in fake.calls("chat.postMessage"):
        channel = call.params["channel"]
        if channel in last:
            between = call.at - last[channel]
            gap = between if gap is None else min(gap, between)
        last[channel] = call.at
    return gap


def run(kind: str, postgres: str | None, folder: Path, teams: int) -> None:
    engine = new_database(kind, postgres, folder)
    factory = SessionFactory(engine)
    load(factory, teams)
    find, claim, mine, skipped = find_and_claim(factory)
    floor = bare_insert(factory, mine + skipped)
    print(
        f"{kind:10}  find {find * 1000:7.0f} ms  claim {claim * 1000:7.0f} ms "
        f"({mine:,} to send, {skipped:,} past their use)  bare insert {floor * 1000:6.0f} ms  "
        f"claim/bare {claim / floor:4.1f}x"
    )
    with FakeSlack() as fake:
        baseline = bare_posts(fake, teams)
    with FakeSlack() as fake:
        settings = Settings(slack_bot_token="xoxb-bench", slack_api_url=fake.url)
        deps = Deps(factory=factory, settings=settings)
        bot = Reminders(deps, web_client(settings), instance="bench", workers=WORKERS)
        started = time.perf_counter()
        tally = bot.tick(NOW)
        took = time.perf_counter() - started
        again = bot.tick(NOW)
        deps.stop()
        gap = closest_gap(fake)
    print(
        f"{'':10}  sent {tally.sent:,} in {took:5.1f} s = {tally.sent / took:6.0f}/s  "
        f"(bare posts {teams / baseline:6.0f}/s, ratio {took / baseline:4.1f}x); "
        f"a second round sent {again.sent}; closest posts in one channel: "
        + ("none twice" if gap is None else f"{gap:.2f} s")
    )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=10_000)
    parser.add_argument("--postgres", default=os.environ.get("QPR_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for kind in ("sqlite", "postgresql"):
            if kind == "postgresql" and not args.postgres:
                print("postgresql  skipped: no --postgres URL or QPR_TEST_POSTGRES_URL")
                continue
            run(kind, args.postgres, Path(folder), args.teams)


if __name__ == "__main__":
    main()
