"""`qpr demo`: a fresh database, the sample data loaded, and one team's evidence."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.cli_render import describe_import, render_evidence
from bot.config import Settings
from reviews.evidence import build_evidence
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


def run_demo(database_url: str, settings: Settings, today: date | None = None) -> int:
    if database_url.startswith("sqlite:///"):
        path = Path(database_url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in path.parent.glob(path.name + "*"):
            stale.unlink()
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    factory = SessionFactory(engine)
    print(f"Database: {database_url}")
    for kind, path in FILES:
        report = import_file(factory, kind, path, Options(fy_start_month=settings.fy_start_month))
        print(describe_import(report))
    today = today or date.today()
    period = last_ended_quarter(today, settings.fy_start_month)
    with factory() as session:
        evidence = build_evidence(session, DEMO_TEAM, period, today, settings.fy_start_month)
    print()
    print(render_evidence(evidence))
    engine.dispose()
    return 0
