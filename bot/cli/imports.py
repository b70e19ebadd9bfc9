"""`qpr import KIND FILE`: a CSV or XLSX file checked whole, then written or refused."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.base.config import Settings
from bot.base.wording import plural
from bot.cli.common import refuse
from bot.shared.import_text import describe_import, problem_lines
from storage import migrate
from storage.db import SessionFactory, make_engine
from storage.imports import KINDS, ImportRejected, Mapping, Options, import_file

# Beyond this many problems the list is cut, with a count of the rest: a file that is wrong
# in every row says so in its first screens.
PROBLEMS_SHOWN = 200


def add(imp) -> None:
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
        "--new-team",
        action="store_true",
        help="create teams whose names are close to an existing team's (refused otherwise, "
        "as a likely slip)",
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
    imp.set_defaults(handler=run)


def run(args, settings: Settings) -> int:
    try:
        mapping = Mapping.load(args.mapping) if args.mapping else Mapping()
    except (OSError, ValueError) as exc:
        return refuse(f"cannot read the mapping file: {exc}")
    if mapping.kind and mapping.kind != args.kind:
        return refuse(f"{args.mapping} is a mapping for {mapping.kind} files, not {args.kind}")
    if args.indicator:
        mapping.indicator = args.indicator
    progress = ProgressBar() if sys.stderr.isatty() else None
    options = Options(
        dry_run=args.dry_run,
        ignore_extra=args.ignore_extra,
        mapping=mapping,
        fy_start_month=settings.fy_start_month,
        new_team=args.new_team,
        progress=progress,
    )
    engine = make_engine(settings.database_url)
    if not args.dry_run:
        migrate.upgrade(engine)
    elif migrate.current_revision(engine) != migrate.head_revision(engine):
        return refuse(
            "the database is not set up yet: run `qpr db upgrade` first "
            "(a dry run changes nothing, not even that)"
        )
    try:
        report = import_file(SessionFactory(engine), args.kind, args.file, options)
    except ImportRejected as exc:
        if progress:
            progress.clear()
        _print_problems(exc)
        return 1
    if progress:
        progress.clear()
    print(describe_import(report))
    return 0


def _print_problems(exc: ImportRejected) -> None:
    print(
        f"{exc.path.name} was not imported: {plural(len(exc.problems), 'problem')}. "
        "Nothing was written.",
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
