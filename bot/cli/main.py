"""The `qpr` console command: one module a subcommand, each adding its own arguments."""

from __future__ import annotations

import argparse
import os
import sys

import sqlalchemy as sa

from bot.base.config import Settings, SettingsError
from bot.cli import (
    comparators,
    db,
    demo,
    evidence,
    imports,
    indicator,
    managers,
    person,
    reminders,
    report,
    retention,
    serve,
    team,
)


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
    except BrokenPipeError:
        # Piped into `head` or the like, which stopped reading: not a failure. Standard
        # output is pointed at nothing so the interpreter's own flush stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except sa.exc.SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        print(f"qpr: the database could not be used: {reason}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qpr", description="Quarterly Performance Reviews for social care teams, in Slack."
    )
    commands = parser.add_subparsers(metavar="COMMAND")
    for command in (
        db,
        imports,
        serve,
        team,
        managers,
        indicator,
        comparators,
        evidence,
        report,
        reminders,
        person,
        retention,
        demo,
    ):
        command.add(commands)
    return parser


if __name__ == "__main__":
    sys.exit(main())
