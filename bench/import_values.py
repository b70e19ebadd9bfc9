"""Import speed: `qpr import values` against a raw load of the same rows, in one run.

Generates a values file (default 1,000,000 rows: 200 teams x 50 indicators x 100 months),
then on each database:
  - baseline: pandas reads the CSV, maps names to ids, and bulk-inserts (executemany on
    SQLite, COPY on PostgreSQL), with no validation;
  - import: the real import, validating every row, then writing in one transaction;
  - re-import: the same file again (everything unchanged).
Prints rows per second and the ratio import / baseline.

    python bench/import_values.py [--rows N] [--postgres URL]

PostgreSQL is used when --postgres or QPR_TEST_POSTGRES_URL is given (`make bench` starts a
throwaway server).
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.databases import new_database
from storage.db import SessionFactory
from storage.imports import import_file

INDICATORS = 50


def month_ends(count: int) -> list[date]:
    ends, year, month = [], 2018, 4
    for _ in range(count):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        ends.append(date(year, month, 1) - timedelta(days=1))
    return ends


def write_files(folder: Path, rows: int) -> tuple[Path, Path]:
    indicators = folder / "indicators.csv"
    with indicators.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "title", "unit", "polarity"])
        for i in range(INDICATORS):
            writer.writerow([f"BENCH {i:02d}", f"Bench indicator {i}", "percent", "higher"])
    months = month_ends(100)
    teams = max(1, rows // (INDICATORS * len(months)))
    values = folder / "values.csv"
    written = 0
    with values.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["team", "indicator", "period_end", "value", "numerator", "denominator"])
        for t in range(teams):
            for i in range(INDICATORS):
                for m, end in enumerate(months):
                    if written == rows:
                        return indicators, values
                    denominator = 200 + (t * 7 + i * 3 + m) % 300
                    numerator = (denominator * (40 + (t + i + m) % 55)) // 100
                    value = round(100 * numerator / denominator, 1)
                    writer.writerow(
                        [
                            f"Team {t:03d}",
                            f"BENCH {i:02d}",
                            end.isoformat(),
                            value,
                            numerator,
                            denominator,
                        ]
                    )
                    written += 1
    return indicators, values


def baseline(engine: sa.Engine, indicators: Path, values: Path) -> float:
    """Seconds for the raw load: read, map names to ids, bulk insert. No checks."""
    import_file(SessionFactory(engine), "indicators", indicators)
    gc.disable()  # on equal terms with the import, which loads with the collector off
    started = time.perf_counter()
    frame = pd.read_csv(values)
    with engine.begin() as conn:
        team_names = frame["team"].unique()
        conn.execute(
            sa.text(
                "INSERT INTO team (name, name_key, timezone, "
                "complaint_response_days, created_at) "
                "VALUES (:n, :k, 'Europe/London', 20, CURRENT_TIMESTAMP)"
            ),
            [{"n": n, "k": n.casefold()} for n in team_names],
        )
        team_ids = dict(conn.execute(sa.text("SELECT name, id FROM team")).all())
        indicator_ids = dict(conn.execute(sa.text("SELECT code, id FROM indicator")).all())
        frame["team_id"] = frame["team"].map(team_ids)
        frame["indicator_id"] = frame["indicator"].map(indicator_ids)
        frame["period_end"] = pd.to_datetime(frame["period_end"]).dt.date
        columns = ["team_id", "indicator_id", "period_end", "value", "numerator", "denominator"]
        records = list(frame[columns].itertuples(index=False, name=None))
        if engine.dialect.name == "postgresql":
            cursor = conn.connection.driver_connection.cursor()
            with cursor.copy(
                "COPY indicator_value (team_id, indicator_id, period_end, value, "
                "numerator, denominator, loaded_at) FROM STDIN"
            ) as copy:
                for record in records:
                    copy.write_row((*record, "now"))
        else:
            conn.connection.driver_connection.executemany(
                "INSERT INTO indicator_value (team_id, indicator_id, period_end, value, "
                "numerator, denominator, loaded_at) VALUES (?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)",
                [(t, i, p.isoformat(), v, n, d) for t, i, p, v, n, d in records],
            )
    elapsed = time.perf_counter() - started
    gc.enable()
    return elapsed


def timed_import(engine: sa.Engine, indicators: Path, values: Path) -> tuple[float, float]:
    factory = SessionFactory(engine)
    import_file(factory, "indicators", indicators)
    started = time.perf_counter()
    report = import_file(factory, "values", values)
    first = time.perf_counter() - started
    assert report.added == report.rows, report
    started = time.perf_counter()
    report = import_file(factory, "values", values)
    again = time.perf_counter() - started
    assert report.unchanged == report.rows, report
    return first, again


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postgres", default=os.environ.get("QPR_TEST_POSTGRES_URL"))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="qpr-bench-") as tmp:
        folder = Path(tmp)
        indicators, values = write_files(folder, args.rows)
        size = values.stat().st_size / 1e6
        print(f"{args.rows:,} value rows, {size:.0f} MB of CSV")
        kinds = ["sqlite"] + (["postgresql"] if args.postgres else [])
        if not args.postgres:
            print("(no PostgreSQL given: set QPR_TEST_POSTGRES_URL or use `make bench`)")
        print(f"{'database':<11}{'baseline':>16}{'import':>16}{'re-import':>16}{'ratio':>8}")
        for kind in kinds:
            engine = new_database(kind, args.postgres, folder)
            base = baseline(engine, indicators, values)
            engine.dispose()
            engine = new_database(kind, args.postgres, folder)
            first, again = timed_import(engine, indicators, values)
            engine.dispose()
            print(
                f"{kind:<11}{args.rows / base:>11,.0f} r/s{args.rows / first:>11,.0f} r/s"
                f"{args.rows / again:>11,.0f} r/s{first / base:>7.2f}x"
            )
        print("ratio = import time / baseline time (aim: within 2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
