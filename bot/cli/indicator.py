"""`qpr indicator CODE`: an indicator's definition shown, and where its control limits start
afresh (with why) set or cleared."""

from __future__ import annotations

from bot.base.config import Settings
from bot.cli.common import database, day, refuse
from reviews import managers
from reviews.errors import QprError
from reviews.indicators import indicator_named, set_recalculation


def add(found) -> None:
    found.add_argument("code", metavar="CODE", help="the indicator's code, e.g. 'ASCOF 2B(1)'")
    change = found.add_mutually_exclusive_group()
    change.add_argument(
        "--recalculate-from",
        type=day,
        metavar="YYYY-MM-DD",
        help="limits start afresh from the first figure on or after this date, once 12 "
        "figures follow it (a sustained change the team understands)",
    )
    change.add_argument(
        "--no-recalculation", action="store_true", help="one set of limits over the whole series"
    )
    found.add_argument("--reason", help="what changed then, shown beside the recalculation")
    found.set_defaults(handler=run)


def run(args, settings: Settings) -> int:
    factory = database(settings.database_url)
    try:
        with factory.unit_of_work() as session:
            if args.recalculate_from or args.no_recalculation:
                indicator = set_recalculation(
                    session, args.code, args.recalculate_from, args.reason, managers.OPERATOR
                )
            elif args.reason:
                return refuse("--reason goes with --recalculate-from")
            else:
                indicator = indicator_named(session, args.code)
            line = f"{indicator.code}: {indicator.title} ({indicator.unit}, "
            line += f"{indicator.polarity} is better"
            if indicator.target is not None:
                line += f", target {indicator.target:g}"
            line += ")."
            if indicator.recalculate_from:
                line += (
                    f" Limits recalculated from {indicator.recalculate_from:%d %b %Y}: "
                    f"{indicator.recalculate_reason or 'no reason recorded'}."
                )
            else:
                line += " One set of limits over the whole series."
    except QprError as exc:
        return refuse(str(exc), 1)
    print(line)
    return 0
