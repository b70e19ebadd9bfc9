"""Evidence speed: one team's summary from a store of that team alone and from a store of
200 teams, on SQLite and PostgreSQL, in one run.

Each team has 50 indicators with 5 years of monthly values, 5,000 complaints, 4 survey
waves and 200 user views. The summary is computed without charts. Prints the median time
per summary in each store and the ratio large / small (aim: under 300 ms and under 1.5:
the cost should follow the team's data, not the size of the store).

    python bench/evidence.py [--teams 200] [--repeat 7] [--postgres URL]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.databases import new_database
from reviews.evidence import build_evidence
from storage.db import SessionFactory
from storage.imports.bulk import insert_rows
from storage.models import (
    Complaint,
    Indicator,
    IndicatorValue,
    SurveyResult,
    Team,
    UserView,
)
from storage.periods import parse_quarter

INDICATORS = 50
MONTHS = 60
COMPLAINTS = 5_000
WAVES = ["2022/23", "2023/24", "2024/25", "2025/26"]
QUESTIONS = 6
VIEWS = 200
PERIOD = parse_quarter("2026/27 Q2")
TODAY = date(2026, 11, 26)
CATEGORIES = ["communication", "delays", "care quality", "charging", "staff attitude"]
OUTCOMES = ["upheld", "partly upheld", "not upheld", "withdrawn"]


def month_ends() -> list[date]:
    ends, year, month = [], 2021, 10
    for _ in range(MONTHS):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        ends.append(date(year, month, 1) - timedelta(days=1))
    return ends


def fill(engine: sa.Engine, teams: int) -> None:
    """Write `teams` teams of identical shape; the first is the one summarised."""
    rng = random.Random(7)
    now = datetime.now(UTC)
    ends = month_ends()
    factory = SessionFactory(engine)
    with factory.unit_of_work() as session:
        insert_rows(
            session,
            Indicator.__table__,
            [
                {
                    "code": f"B{i:02d}",
                    "title": f"Indicator {i}",
                    "unit": "percent",
                    "polarity": "higher" if i % 3 else "lower",
                    "target": 60.0,
                    "tags": [],
                    "key": i < 6,
                }
                for i in range(INDICATORS)
            ],
        )
        insert_rows(
            session,
            Team.__table__,
            [
                {
                    "name": f"Team {t:03d}",
                    "name_key": f"team {t:03d}",
                    "timezone": "Europe/London",
                    "complaint_response_days": 20,
                    "created_at": now,
                }
                for t in range(teams)
            ],
        )
        team_ids = [r[0] for r in session.execute(sa.select(Team.id).order_by(Team.id))]
        indicator_ids = [r[0] for r in session.execute(sa.select(Indicator.id))]
        for team_id in team_ids:
            insert_rows(
                session,
                IndicatorValue.__table__,
                [
                    {
                        "team_id": team_id,
                        "indicator_id": i,
                        "period_end": end,
                        "value": round(rng.gauss(60, 5), 1),
                        "loaded_at": now,
                    }
                    for i in indicator_ids
                    for end in ends
                ],
            )
            complaints = []
            for n in range(COMPLAINTS):
                received = date(2021, 11, 1) + timedelta(days=rng.randrange(1790))
                outcome = rng.choice(OUTCOMES) if received < date(2026, 9, 1) else "open"
                closed = (
                    received + timedelta(days=rng.randrange(1, 60)) if outcome != "open" else None
                )
                complaints.append(
                    {
                        "team_id": team_id,
                        "reference": f"C{n}",
                        "received": received,
                        "category": rng.choice(CATEGORIES),
                        "outcome": outcome,
                        "closed": closed,
                        "loaded_at": now,
                    }
                )
            insert_rows(session, Complaint.__table__, complaints)
            insert_rows(
                session,
                SurveyResult.__table__,
                [
                    {
                        "team_id": team_id,
                        "survey": "Adult Social Care Survey",
                        "wave": wave,
                        "question": f"Question {q}",
                        "response": response,
                        "count": rng.randrange(20, 90),
                        "positive": response == "yes",
                        "loaded_at": now,
                    }
                    for wave in WAVES
                    for q in range(QUESTIONS)
                    for response in ("yes", "no")
                ],
            )
            insert_rows(
                session,
                UserView.__table__,
                [
                    {
                        "team_id": team_id,
                        "reference": f"V{n}",
                        "received": date(2024, 1, 1) + timedelta(days=rng.randrange(1000)),
                        "kind": rng.choice(["compliment", "comment", "suggestion"]),
                        "theme": rng.choice(CATEGORIES),
                        "text": "A short comment.",
                        "loaded_at": now,
                    }
                    for n in range(VIEWS)
                ],
            )
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    else:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")


def time_summary(engine: sa.Engine, repeat: int) -> float:
    factory = SessionFactory(engine)
    times = []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        with factory() as session:
            evidence = build_evidence(session, "Team 000", PERIOD, TODAY)
        times.append(time.perf_counter() - started)
        assert len(evidence.indicators) == INDICATORS
    return statistics.median(times[1:])  # the first run warms caches and imports


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--postgres", default=os.environ.get("QPR_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    kinds = ["sqlite"] + (["postgresql"] if args.postgres else [])
    if not args.postgres:
        print("(no PostgreSQL given: set QPR_TEST_POSTGRES_URL or use `make bench`)")
    per_team = INDICATORS * MONTHS + COMPLAINTS + len(WAVES) * QUESTIONS * 2 + VIEWS
    print(
        f"per team: {INDICATORS} indicators x {MONTHS} months, {COMPLAINTS:,} complaints, "
        f"{len(WAVES)} survey waves, {VIEWS} views ({per_team:,} rows)"
    )
    print(f"{'database':<11}{'1 team':>12}{f'{args.teams} teams':>14}{'ratio':>8}")
    with tempfile.TemporaryDirectory(prefix="qpr-bench-") as tmp:
        for kind in kinds:
            results = []
            for teams in (1, args.teams):
                engine = new_database(kind, args.postgres, Path(tmp))
                fill(engine, teams)
                results.append(time_summary(engine, args.repeat))
                engine.dispose()
            small, large = results
            print(
                f"{kind:<11}{small * 1000:>9.0f} ms{large * 1000:>11.0f} ms{large / small:>7.2f}x"
            )
    print(
        "time per summary without charts, median; ratio = large store / small store "
        "(aims: under 300 ms, under 1.5x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
