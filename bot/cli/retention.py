"""`qpr retention [--apply]`: what is older than the retention period (QPR_RETAIN_YEARS,
default 6), and with `--apply` its removal; the aggregate record is kept."""

from __future__ import annotations

from bot.base.config import Settings
from bot.cli.common import database
from reviews.cases import Context
from reviews.cases import people as cases


def add(found) -> None:
    found.add_argument(
        "--apply", action="store_true", help="remove them (without it, only list them)"
    )
    found.set_defaults(handler=run)


def run(args, settings: Settings) -> int:
    ctx = Context(database(settings.database_url), settings.fy_start_month, settings.timezone)
    years = settings.retain_years
    past = cases.past_retention(ctx, years, apply=args.apply)
    since = past.before.date().isoformat()
    if not past.anything:
        print(f"Nothing held is older than {years} years (before {since}).")
        return 0
    print(
        f"{'Removed' if args.apply else 'Older than'} {years} years (before {since})"
        f"{'' if args.apply else ', to be removed with --apply'}:"
    )
    for what, n in past.found.items():
        if n:
            print(f"  {what}: {n}")
    if args.apply:
        print(
            "Kept: each review's agreed outcomes, ratings and needs, and the counts of "
            "complaints and views."
        )
    return 0
