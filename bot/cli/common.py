"""What the commands share: the database, refusals on standard error, and the argument
types for dates and moments."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date, datetime

from storage import migrate
from storage.db import SessionFactory, make_engine

# A Slack user id, as an operator copies it from a person's profile.
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,31}$")


def database(url: str, upgrade: bool = True) -> SessionFactory:
    """The database at `url`, brought up to date first unless told not to."""
    factory = SessionFactory(make_engine(url))
    if upgrade:
        migrate.upgrade(factory.engine)
    return factory


def refuse(message: str, code: int = 2) -> int:
    """Say why on standard error, and give the exit code to return."""
    print(f"qpr: {message}", file=sys.stderr)
    return code


def day(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"'{text}' is not a date such as 2026-11-26 or 26/11/2026")


def moment(text: str) -> datetime:
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a moment such as \"2027-01-12 09:00\""
        ) from None
