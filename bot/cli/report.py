"""`qpr report`: the record of a review as a file, in any of the report formats."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from bot.base.config import Settings
from bot.cli.common import database, refuse
from bot.shared.reports import FORMATS
from reviews.as_of import figures_as_of
from reviews.errors import QprError, UnknownTeam
from storage import queries
from storage.periods import PeriodError, parse_quarter


def add(report) -> None:
    which = report.add_mutually_exclusive_group(required=True)
    which.add_argument("--team", help="team name")
    which.add_argument(
        "--all-teams",
        action="store_true",
        help="every team's review of the quarter, for a meeting across teams",
    )
    report.add_argument(
        "--period",
        help="quarter such as 2026/27 Q2 (default: the team's latest review; with "
        "--all-teams, the latest quarter to have ended)",
    )
    report.add_argument("--format", choices=list(FORMATS), default="md")
    report.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write here (default: standard output)"
    )
    report.set_defaults(handler=run)


def run(args, settings: Settings) -> int:
    # Loaded here: pandas and matplotlib are needed only when a report is made.
    from bot.shared.reports import render
    from bot.shared.reports.report import build_report
    from reviews import outcomes

    if args.output and not args.output.parent.is_dir():
        return refuse(f"there is no folder {args.output.parent} to write into")
    if args.format == "pdf" and not args.output and sys.stdout.isatty():
        return refuse("a PDF is not for the terminal: give -o FILE")
    try:
        period = parse_quarter(args.period, settings.fy_start_month) if args.period else None
    except PeriodError as exc:
        return refuse(str(exc))
    factory = database(settings.database_url)
    if args.all_teams:
        made = _all_teams(factory, period, args.format, settings.fy_start_month)
        return _write(made, args.output)
    with factory() as session:
        team = queries.team_by_name(session, args.team)
        try:
            if team is None:
                raise UnknownTeam(args.team, queries.team_names(session))
            review = outcomes.review_of(session, team, period)
        except QprError as exc:
            return refuse(str(exc), 1)
        report = build_report(
            session,
            review,
            figures_as_of(review, date.today()),
            settings.fy_start_month,
            charts=args.format in ("html", "pdf"),
        )
    return _write(render(report, args.format), args.output)


def _all_teams(factory, period, fmt: str, fy_start_month: int) -> bytes:
    from bot.shared.reports import render_teams
    from bot.shared.reports.teams import TeamsReport
    from reviews.cases import Context, managers

    ctx = Context(factory, fy_start_month)
    return render_teams(TeamsReport(managers.every_team(ctx, managers.operator(), period)), fmt)


def _write(made: bytes, output: Path | None) -> int:
    if output:
        output.write_bytes(made)
        print(f"Wrote {output} ({len(made):,} bytes)", file=sys.stderr)
    else:
        sys.stdout.buffer.write(made)
    return 0
