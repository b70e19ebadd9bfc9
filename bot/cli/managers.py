"""`qpr managers [add|remove USER_ID]`: who sees every team's reviews. The first manager is
named here, by whoever runs the bot; after that managers change it in Slack too."""

from __future__ import annotations

from bot.base.config import Settings
from bot.cli.common import USER_ID, database, refuse
from reviews import managers
from reviews.errors import QprError


def add(commands) -> None:
    found = commands.add_parser(
        "managers", help="list, add or remove the managers, who see every team's reviews"
    )
    found.add_argument("change", nargs="?", choices=["add", "remove"])
    found.add_argument(
        "user", nargs="?", metavar="USER_ID", help="a Slack user id, such as U012AB3CD"
    )
    found.set_defaults(handler=run)


def run(args, settings: Settings) -> int:
    factory = database(settings.database_url)
    if args.change is None:
        with factory() as session:
            who = managers.managers(session)
        print("\n".join(who) if who else "No managers yet: qpr managers add USER_ID")
        return 0
    if not args.user or not USER_ID.match(args.user):
        return refuse(
            "give the person's Slack user id, such as U012AB3CD (in Slack: their profile, "
            "the menu, Copy member ID)"
        )
    try:
        with factory.unit_of_work() as session:
            change = managers.add_manager if args.change == "add" else managers.remove_manager
            changed = change(session, managers.OPERATOR, args.user)
    except QprError as exc:
        return refuse(str(exc), 1)
    if args.change == "add":
        print(f"{args.user} is {'now' if changed else 'already'} a manager.")
    else:
        print(f"{args.user} is {'no longer' if changed else 'not'} a manager.")
    return 0
