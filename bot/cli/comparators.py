"""`qpr comparators`: which peers' figures are loaded, by indicator and period, so that an
operator can see what a team will be placed among before a review."""

from __future__ import annotations

from bot.base.config import Settings
from bot.base.wording import format_value, plural
from bot.cli.common import database
from reviews.evidence.model import unit_words
from storage import queries


def add(comparators) -> None:
    comparators.add_argument("--indicator", metavar="CODE", help="one indicator only")
    comparators.set_defaults(handler=run)


def run(args, settings: Settings) -> int:
    factory = database(settings.database_url)
    with factory() as session:
        rows = queries.comparator_coverage(session, args.indicator)
    if not rows:
        which = f" for {args.indicator}" if args.indicator else ""
        print(
            f"No comparators loaded{which}. Load them with `qpr import comparators FILE` "
            "(see the README for the layouts it reads)."
        )
        return 0
    current = None
    for code, title, unit, label, _end, areas, valued, england, unit_label in rows:
        words = unit_words(str(unit), title, unit_label)
        if code != current:
            print(f"{code}  {title} ({words if words and words != '%' else unit})")
            current = code
        shown = format_value(england, str(unit), None, words)
        england_text = f"; England {shown}" if england else ""
        print(f"  {label:<10} {plural(areas, 'area')}, {valued} with a value{england_text}")
    return 0
