"""The `qpr` console command: one module a subcommand, each adding its own arguments."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

import sqlalchemy as sa

from bot.base.config import Settings, SettingsError

# Each command: its module (bot/cli/MODULE.py, whose `add` gives its arguments) and what it
# does. Only the module of the command being run is loaded: a command starts with what it
# needs, and `qpr --help` with nothing.
COMMANDS = {
    "db": ("db", "database migrations"),
    "import": ("imports", "import a CSV or XLSX file"),
    "serve": ("serve", "run the Slack app (Socket Mode with SLACK_APP_TOKEN, else HTTP)"),
    "team": ("team", "show or change a team's settings; `qpr team create NAME` makes a new team"),
    "managers": ("managers", "list, add or remove the managers, who see every team's reviews"),
    "indicator": (
        "indicator",
        "show an indicator, or recalculate its control limits from a date, with why",
    ),
    "comparators": (
        "comparators",
        "list the comparator figures loaded, by indicator and period",
    ),
    "evidence": ("evidence", "a team's evidence for a quarter"),
    "report": ("report", "the record of a review as a file"),
    "reminders": ("reminders", "what reminders would be sent at a moment, without sending them"),
    "person": ("person", "export everything held about a member of staff, or forget them"),
    "retention": (
        "retention",
        "list people's words and identities older than QPR_RETAIN_YEARS; --apply removes them",
    ),
    "demo": (
        "demo",
        "play a whole review with the sample data, no Slack needed; write its reports",
    ),
}


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    parser = _parser(words)
    args = parser.parse_args(words)
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


def _parser(argv: list[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qpr", description="Quarterly Performance Reviews for social care teams, in Slack."
    )
    commands = parser.add_subparsers(metavar="COMMAND")
    chosen = next((word for word in argv if not word.startswith("-")), None)
    for name, (module, words) in COMMANDS.items():
        found = commands.add_parser(name, help=words)
        if name == chosen:
            importlib.import_module(f"bot.cli.{module}").add(found)
    return parser


if __name__ == "__main__":
    sys.exit(main())
