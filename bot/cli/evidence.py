"""`qpr evidence`: a team's evidence for a quarter, as text or JSON, with charts if asked."""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path

from bot.base.config import Settings
from bot.base.wording import plural
from bot.cli.common import database, day, refuse
from reviews.as_of import figures_as_of
from reviews.errors import QprError
from reviews.kinds import id_of
from storage import queries
from storage.periods import PeriodError, last_ended_quarter, parse_quarter

# When a quarter's review meets, by default: about two months after the quarter ends.
REVIEW_AFTER = timedelta(days=60)


def add(evidence) -> None:
    evidence.add_argument("--team", required=True, help="team name")
    evidence.add_argument("--period", help="quarter such as 2026/27 Q1 (default: the last ended)")
    evidence.add_argument("--format", choices=["text", "json"], default="text")
    evidence.add_argument(
        "--charts",
        type=Path,
        metavar="DIR",
        help="also write a PNG chart per indicator and an overview here",
    )
    evidence.add_argument(
        "--as-of",
        type=day,
        metavar="YYYY-MM-DD",
        help="the date the figures' ages are counted to (default: the quarter's review's, "
        "as in Slack and its report: the day it closed, or today while open; with no "
        "review, today or 60 days after a past quarter ended)",
    )
    evidence.set_defaults(handler=run)


def _as_of(factory, team_name: str, period, today: date) -> date:
    """The quarter's review's own day, as Slack and its reports use; with no review, a past
    quarter's figures are aged to when its review would have met, not to today."""
    with factory() as session:
        team = queries.team_by_name(session, team_name)
        review = queries.review_for(session, id_of(team), period.end) if team else None
    if review is not None:
        return figures_as_of(review, today)
    return min(today, period.end + REVIEW_AFTER)


def run(args, settings: Settings) -> int:
    # Loaded here: pandas and matplotlib take seconds, and most commands never need them.
    from bot.shared.charts import write_charts
    from bot.shared.terminal import render_evidence
    from reviews.evidence import build_evidence
    from reviews.evidence.contract import evidence_json

    fy = settings.fy_start_month
    today = date.today()
    try:
        period = parse_quarter(args.period, fy) if args.period else last_ended_quarter(today, fy)
    except PeriodError as exc:
        return refuse(str(exc))
    if period.start > today:
        return refuse(f"{period.label} has not started yet")
    if period.end >= today:
        print(f"qpr: {period.label} is not over yet: its figures are incomplete", file=sys.stderr)
    factory = database(settings.database_url)
    as_of = args.as_of or _as_of(factory, args.team, period, today)
    if as_of <= period.end:
        return refuse(
            f"--as-of {as_of:%Y-%m-%d} is before {period.label} ended: figures are aged "
            "from after the quarter"
        )
    if args.charts and args.charts.exists() and not args.charts.is_dir():
        return refuse(f"--charts {args.charts} is a file, not a folder")
    try:
        with factory() as session:
            evidence = build_evidence(session, args.team, period, as_of, fy)
    except QprError as exc:
        return refuse(str(exc), 1)
    if args.format == "json":
        print(json.dumps(evidence_json(evidence), indent=2))
    else:
        print(render_evidence(evidence))
    if args.charts:
        written = write_charts(evidence, args.charts)
        print(f"{plural(len(written), 'chart')} written to {args.charts}", file=sys.stderr)
    return 0
