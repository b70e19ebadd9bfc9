"""`qpr demo`: a fresh database, the sample data loaded, and one team's evidence with its
charts."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from bot.charts import write_charts
from bot.cli_render import describe_import, render_evidence
from bot.config import Settings
from reviews.evidence import build_evidence
from reviews.evidence.contract import evidence_json
from storage import migrate
from storage.db import SessionFactory, make_engine
from storage.imports import Options, import_file
from storage.periods import last_ended_quarter

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
DEMO_TEAM = "Older People's Services"
FILES = [
    ("indicators", SAMPLE / "indicators.csv"),
    ("values", SAMPLE / "values.csv"),
    ("comparators", SAMPLE / "examples" / "comparators.csv"),
    ("complaints", SAMPLE / "complaints.csv"),
    ("survey", SAMPLE / "survey.csv"),
    ("views", SAMPLE / "views.csv"),
]


def run_demo(folder: Path, settings: Settings, today: date | None = None) -> int:
    """Load the sample data into a fresh SQLite database in `folder`, print one team's
    evidence, and write its charts and JSON beside the database."""
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "demo.sqlite3"
    for stale in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        stale.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{database}")
    migrate.upgrade(engine)
    factory = SessionFactory(engine)
    print(f"Database: {database}")
    for kind, path in FILES:
        report = import_file(factory, kind, path, Options(fy_start_month=settings.fy_start_month))
        print(describe_import(report))
    today = today or date.today()
    period = last_ended_quarter(today, settings.fy_start_month)
    with factory() as session:
        evidence = build_evidence(session, DEMO_TEAM, period, today, settings.fy_start_month)
    engine.dispose()
    print()
    print(render_evidence(evidence))
    (folder / "evidence.json").write_text(json.dumps(evidence_json(evidence), indent=2))
    charts = write_charts(evidence, folder / "charts")
    print()
    print(f"Written: {folder / 'evidence.json'} and {len(charts)} charts in {folder / 'charts'}")
    return 0
