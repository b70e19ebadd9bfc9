"""Overview speed: every team's review of a quarter at a glance (a manager's App Home,
`/qpr overview`, `qpr report --all-teams`), against one team's full evidence summary in the
same store, on SQLite and PostgreSQL, in one run.

The store holds `--teams` teams of the evidence benchmark's shape (50 indicators of which 6
are key, 5 years of monthly values, 5,000 complaints, 4 survey waves, 200 views each).
Prints the median time of the overview, its time per team, and the ratio of the time per
team to one team's full evidence summary (aim: under 1: the overview reads only what it
shows, the key indicators).

    python bench/overview.py [--teams 30] [--repeat 5] [--postgres URL]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.databases import new_database
from bench.evidence import PERIOD, TODAY, fill
from reviews.evidence import build_evidence
from reviews.overview import overview
from storage.db import SessionFactory


def median_time(work, repeat: int) -> float:
    times = []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times[1:])  # the first run warms caches and imports


def one_summary(factory: SessionFactory) -> None:
    with factory() as session:
        build_evidence(session, "Team 000", PERIOD, TODAY)


def every_team(factory: SessionFactory, teams: int) -> None:
    with factory() as session:
        found = overview(session, PERIOD, TODAY, 4)
    assert len(found.teams) == teams and len(found.teams[0].key) == 6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", default=os.environ.get("QPR_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    kinds = ["sqlite"] + (["postgresql"] if args.postgres else [])
    if not args.postgres:
        print("(no PostgreSQL given: set QPR_TEST_POSTGRES_URL or use `make bench`)")
    print(
        f"{'database':<11}{'1 summary':>12}{f'overview of {args.teams}':>18}"
        f"{'per team':>11}{'ratio':>8}"
    )
    with tempfile.TemporaryDirectory(prefix="qpr-bench-") as tmp:
        for kind in kinds:
            engine = new_database(kind, args.postgres, Path(tmp))
            fill(engine, args.teams)
            factory = SessionFactory(engine)
            one = median_time(lambda f=factory: one_summary(f), args.repeat)
            whole = median_time(lambda f=factory: every_team(f, args.teams), args.repeat)
            per_team = whole / args.teams
            print(
                f"{kind:<11}{one * 1000:>9.0f} ms{whole * 1000:>15.0f} ms"
                f"{per_team * 1000:>8.0f} ms{per_team / one:>7.2f}x"
            )
            engine.dispose()
    print("median times; ratio = overview time per team / one team's full summary (aim: under 1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
