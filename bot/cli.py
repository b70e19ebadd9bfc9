"""The `qpr` console command."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from bot.cli_render import describe_import, problem_lines
from bot.config import Settings, SettingsError
from bot.reports import FORMATS
from reviews.errors import QprError, UnknownTeam
from reviews.teams import update_team
from storage import migrate, queries
from storage.db import SessionFactory, make_engine
from storage.imports import (
    KINDS,
    ImportRejected,
    Mapping,
    Options,
    import_file,
)
from storage.models import Team
from storage.periods import PeriodError, last_ended_quarter, parse_quarter

# Beyond this many problems the list is cut, with a count of the rest: a file that is wrong
# in every row says so in its first screens.
PROBLEMS_SHOWN = 200
# When a quarter's review meets, by default: about two months after the quarter ends.
REVIEW_AFTER = timedelta(days=60)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"qpr: {exc}", file=sys.stderr)
        return 2
    try:
        return args.handler(args, settings)
    except sa.exc.SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        print(f"qpr: the database could not be used: {reason}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qpr", description="Quarterly Performance Reviews for social care teams, in Slack."
    )
    commands = parser.add_subparsers(metavar="COMMAND")

    db = commands.add_parser("db", help="database migrations")
    db_commands = db.add_subparsers(metavar="ACTION")
    upgrade = db_commands.add_parser("upgrade", help="bring the database schema up to date")
    upgrade.set_defaults(handler=_db_upgrade)

    imp = commands.add_parser("import", help="import a CSV or XLSX file")
    imp.add_argument("kind", choices=list(KINDS), help="what the file holds")
    imp.add_argument("file", type=Path)
    imp.add_argument(
        "--dry-run", action="store_true", help="check the file and report, write nothing"
    )
    imp.add_argument(
        "--ignore-extra",
        action="store_true",
        help="skip columns the format does not know instead of refusing the file",
    )
    imp.add_argument(
        "--indicator",
        metavar="CODE",
        help="comparators: the indicator the file carries, when it names it only in words",
    )
    imp.add_argument(
        "--mapping",
        type=Path,
        metavar="TOML",
        help="a file mapping another layout's columns and codes onto ours",
    )
    imp.set_defaults(handler=_import)

    serve = commands.add_parser(
        "serve", help="run the Slack app (Socket Mode with SLACK_APP_TOKEN, else HTTP)"
    )
    serve.add_argument("--host", default="0.0.0.0", help="HTTP mode: address to listen on")
    serve.set_defaults(handler=_serve)

    team = commands.add_parser("team", help="show or change a team's settings")
    team.add_argument("name", help="team name")
    team.add_argument(
        "--area-code",
        metavar="CODE",
        help="the council's ONS code, left out of its peers in comparisons ('' to clear)",
    )
    team.add_argument(
        "--response-days",
        type=int,
        metavar="N",
        help="days within which a complaint should be closed",
    )
    team.add_argument("--timezone", metavar="TZ", help="the team's timezone, e.g. Europe/London")
    for flag, what in (
        ("--kickoff-days", "working days before the meeting that the review starts"),
        ("--outcomes-close-days", "working days before the meeting that outcomes close"),
        ("--need-notice-days", "working days before a need's date that its owner is told"),
    ):
        team.add_argument(flag, type=int, metavar="N", help=what)
    team.set_defaults(handler=_team)

    evidence = commands.add_parser("evidence", help="a team's evidence for a quarter")
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
        type=_day,
        metavar="YYYY-MM-DD",
        help="the date the figures' ages are counted to (default: today, or 60 days "
        "after a past quarter ended)",
    )
    evidence.set_defaults(handler=_evidence)

    report = commands.add_parser("report", help="the record of a review as a file")
    report.add_argument("--team", required=True, help="team name")
    report.add_argument("--period", help="quarter such as 2026/27 Q2 (default: the latest review)")
    report.add_argument("--format", choices=list(FORMATS), default="md")
    report.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write here (default: standard output)"
    )
    report.set_defaults(handler=_report)

    due = commands.add_parser(
        "reminders", help="what reminders would be sent at a moment, without sending them"
    )
    due.add_argument(
        "--at",
        required=True,
        type=_moment,
        metavar='"YYYY-MM-DD HH:MM"',
        help="the moment, in QPR_TIMEZONE",
    )
    due.add_argument("--team", help="one team only")
    due.set_defaults(handler=_reminders)

    demo = commands.add_parser(
        "demo", help="play a whole review with the sample data, no Slack needed; write its reports"
    )
    demo.add_argument(
        "--out",
        type=Path,
        default=Path("qpr-demo"),
        help="folder for the demo database and the review's reports (default: %(default)s)",
    )
    demo.set_defaults(handler=_demo)
    return parser


def _factory(url: str) -> SessionFactory:
    return SessionFactory(make_engine(url))


def _db_upgrade(args, settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    migrate.upgrade(engine)
    print(f"Database is at revision {migrate.current_revision(engine)}.")
    return 0


def _import(args, settings: Settings) -> int:
    try:
        mapping = Mapping.load(args.mapping) if args.mapping else Mapping()
    except (OSError, ValueError) as exc:
        print(f"qpr: cannot read the mapping file: {exc}", file=sys.stderr)
        return 2
    if mapping.kind and mapping.kind != args.kind:
        print(
            f"qpr: {args.mapping} is a mapping for {mapping.kind} files, not {args.kind}",
            file=sys.stderr,
        )
        return 2
    if args.indicator:
        mapping.indicator = args.indicator
    options = Options(
        dry_run=args.dry_run,
        ignore_extra=args.ignore_extra,
        mapping=mapping,
        fy_start_month=settings.fy_start_month,
        progress=ProgressBar() if sys.stderr.isatty() else None,
    )
    engine = make_engine(settings.database_url)
    if not args.dry_run:
        migrate.upgrade(engine)
    elif migrate.current_revision(engine) != migrate.head_revision(engine):
        print(
            "qpr: the database is not set up yet: run `qpr db upgrade` first "
            "(a dry run changes nothing, not even that)",
            file=sys.stderr,
        )
        return 2
    try:
        report = import_file(SessionFactory(engine), args.kind, args.file, options)
    except ImportRejected as exc:
        if options.progress:
            options.progress.clear()
        _print_problems(exc)
        return 1
    if options.progress:
        options.progress.clear()
    print(describe_import(report))
    return 0


def _print_problems(exc: ImportRejected) -> None:
    print(
        f"{exc.path.name} was not imported: {len(exc.problems)} problem(s). Nothing was written.",
        file=sys.stderr,
    )
    lines = problem_lines(exc.problems)
    for line in lines[:PROBLEMS_SHOWN]:
        print(f"  {line}", file=sys.stderr)
    if len(lines) > PROBLEMS_SHOWN:
        print(f"  ... and {len(lines) - PROBLEMS_SHOWN} more", file=sys.stderr)


class ProgressBar:
    """A one-line bar on the terminal for files large enough to keep someone waiting."""

    WIDTH = 30

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.shown = False

    def __call__(self, done: int, total: int, phase: str) -> None:
        if total <= 10_000:
            return
        filled = int(self.WIDTH * done / total)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r{phase:>8} [{bar}] {done:,}/{total:,} rows")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * (self.WIDTH + 40) + "\r")
            self.stream.flush()


def _serve(args, settings: Settings) -> int:
    from bot.app import build_app

    if not settings.slack_bot_token:
        print("qpr: SLACK_BOT_TOKEN is not set (see .env.example)", file=sys.stderr)
        return 2
    if not settings.slack_app_token and not settings.slack_signing_secret:
        print(
            "qpr: set SLACK_SIGNING_SECRET for HTTP mode, or SLACK_APP_TOKEN for Socket Mode",
            file=sys.stderr,
        )
        return 2
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # Bolt logs a refused request's body at INFO: people's words stay out of the logs.
    logging.getLogger("slack_bolt").setLevel(logging.ERROR)
    factory = _factory(settings.database_url)
    migrate.upgrade(factory.engine)
    from bot.listeners.context import Deps
    from bot.reminders import Reminders

    deps = Deps(factory=factory, settings=settings)
    app = build_app(settings, factory, deps=deps)
    Reminders(deps, app.client).start()
    if settings.slack_app_token:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        print("QPR bot: Socket Mode", file=sys.stderr)
        SocketModeHandler(app, settings.slack_app_token).start()
        return 0
    from bot.server import make_server

    server = make_server(app, factory, args.host, settings.port)
    print(
        f"QPR bot: HTTP on {args.host}:{settings.port} (POST /slack/events, GET /healthz)",
        file=sys.stderr,
    )
    server.run()
    return 0


def _report(args, settings: Settings) -> int:
    from bot.reports import render
    from bot.reports.report import build_report
    from reviews import outcomes

    if args.output and not args.output.parent.is_dir():
        print(f"qpr: there is no folder {args.output.parent} to write into", file=sys.stderr)
        return 2
    factory = _factory(settings.database_url)
    migrate.upgrade(factory.engine)
    with factory() as session:
        team = queries.team_by_name(session, args.team)
        if team is None:
            print(f"qpr: {UnknownTeam(args.team, queries.team_names(session))}", file=sys.stderr)
            return 1
        if args.period:
            try:
                period = parse_quarter(args.period, settings.fy_start_month)
            except PeriodError as exc:
                print(f"qpr: {exc}", file=sys.stderr)
                return 2
            review = queries.review_for(session, team.id, period.end)
        else:
            review = outcomes.latest_review(session, team)
        if review is None:
            which = f"of {args.period} " if args.period else ""
            print(f"qpr: {team.name} has no review {which}yet", file=sys.stderr)
            return 1
        report = build_report(
            session,
            review,
            date.today(),
            settings.fy_start_month,
            charts=args.format in ("html", "pdf"),
        )
    made = render(report, args.format)
    if args.output:
        args.output.write_bytes(made)
        print(f"Wrote {args.output} ({len(made):,} bytes)", file=sys.stderr)
    elif args.format == "pdf" and sys.stdout.isatty():
        print("qpr: a PDF is not for the terminal: give -o FILE", file=sys.stderr)
        return 2
    else:
        sys.stdout.buffer.write(made)
    return 0


def _day(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"'{text}' is not a date such as 2026-11-26 or 26/11/2026")


def _moment(text: str) -> datetime:
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a moment such as \"2027-01-12 09:00\""
        ) from None


def _reminders(args, settings: Settings) -> int:
    from reviews import reminders
    from reviews.calendar import zone
    from reviews.reminders import describe as describe_reminder

    factory = _factory(settings.database_url)
    migrate.upgrade(factory.engine)
    at = args.at.replace(tzinfo=zone(settings.timezone)).astimezone(UTC)
    with factory() as session:
        team_id = None
        if args.team:
            team = queries.team_by_name(session, args.team)
            if team is None:
                print(
                    f"qpr: {UnknownTeam(args.team, queries.team_names(session))}", file=sys.stderr
                )
                return 1
            team_id = team.id
        found = reminders.due(session, at, settings.fy_start_month, team_id)
        names = dict(session.execute(sa.select(Team.id, Team.name)).all())
    live = [d for d in found if d.until > at and not d.paused]
    stale = [d for d in found if d.until <= at or d.paused]
    local = zone(settings.timezone)
    if not found:
        print(
            f"Nothing would be sent at {args.at:%Y-%m-%d %H:%M}. Reminders need a team set up "
            "in a channel (/qpr setup) with a meeting schedule (/qpr schedule)."
        )
    for d in live:
        print(
            f"{d.due_at.astimezone(local):%Y-%m-%d %H:%M}  {names.get(d.team_id, d.team_id)}  "
            f"{describe_reminder(d, detail=True)}"
        )
    for d in stale:
        why = "paused" if d.paused else "too late"
        print(
            f"(skipped, {why})  {d.due_at.astimezone(local):%Y-%m-%d %H:%M}  "
            f"{names.get(d.team_id, d.team_id)}  {describe_reminder(d, detail=True)}"
        )
    return 0


def _team(args, settings: Settings) -> int:
    factory = _factory(settings.database_url)
    migrate.upgrade(factory.engine)
    try:
        with factory.unit_of_work() as session:
            team = update_team(
                session,
                args.name,
                args.area_code,
                args.response_days,
                args.timezone,
                kickoff_days=args.kickoff_days,
                outcomes_close_days=args.outcomes_close_days,
                need_notice_days=args.need_notice_days,
            )
            print(
                f"{team.name}: area code {team.area_code or 'not set'}; complaints to be "
                f"closed within {team.complaint_response_days} days; "
                f"channel {team.slack_channel_id or 'not set up'}; timezone {team.timezone}; "
                f"kick-off {team.kickoff_days} working days before the meeting, outcomes "
                f"close {team.outcomes_close_days} before it; needs reminded "
                f"{team.need_notice_days} working days before they are due"
            )
    except QprError as exc:
        print(f"qpr: {exc}", file=sys.stderr)
        return 1
    return 0


def _evidence(args, settings: Settings) -> int:
    # Loaded here: pandas and matplotlib take seconds, and most commands never need them.
    from bot.charts import write_charts
    from bot.cli_render import render_evidence
    from reviews.evidence import build_evidence
    from reviews.evidence.contract import evidence_json

    fy = settings.fy_start_month
    today = date.today()
    try:
        period = parse_quarter(args.period, fy) if args.period else last_ended_quarter(today, fy)
    except PeriodError as exc:
        print(f"qpr: {exc}", file=sys.stderr)
        return 2
    if period.start > today:
        print(f"qpr: {period.label} has not started yet", file=sys.stderr)
        return 2
    if period.end >= today:
        print(f"qpr: {period.label} is not over yet: its figures are incomplete", file=sys.stderr)
    # A past quarter's figures are aged to when its review would have met, not to today.
    as_of = args.as_of or min(today, period.end + REVIEW_AFTER)
    if as_of <= period.end:
        print(
            f"qpr: --as-of {as_of:%Y-%m-%d} is before {period.label} ended: figures are aged "
            "from after the quarter",
            file=sys.stderr,
        )
        return 2
    if args.charts and args.charts.exists() and not args.charts.is_dir():
        print(f"qpr: --charts {args.charts} is a file, not a folder", file=sys.stderr)
        return 2
    factory = _factory(settings.database_url)
    migrate.upgrade(factory.engine)
    try:
        with factory() as session:
            evidence = build_evidence(session, args.team, period, as_of, fy)
    except QprError as exc:
        print(f"qpr: {exc}", file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps(evidence_json(evidence), indent=2))
    else:
        print(render_evidence(evidence))
    if args.charts:
        written = write_charts(evidence, args.charts)
        print(f"{len(written)} chart(s) written to {args.charts}", file=sys.stderr)
    return 0


def _demo(args, settings: Settings) -> int:
    from bot.demo import run_demo

    return run_demo(args.out, settings)


if __name__ == "__main__":
    sys.exit(main())
