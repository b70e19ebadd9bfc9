"""`qpr managers [add|remove USER_ID]`: who sees every team's reviews. The first manager is
named here, by whoever runs the bot; after that managers change it in Slack too."""

from __future__ import annotations

from bot.base.config import Settings
from bot.cli.common import USER_ID, database, refuse
from reviews.cases import Context, managers
from reviews.errors import QprError


def add(found) -> None:
    found.add_argument("change", nargs="?", choices=["add", "remove"])
    found.add_argument(
        "user", nargs="?", metavar="USER_ID", help="a Slack user id, such as U012AB3CD"
    )
    found.set_defaults(handler=run)


def run(args, settings: Settings) -> int:
    ctx = Context(database(settings.database_url), settings.fy_start_month, settings.timezone)
    if args.change is None:
        who = managers.listed(ctx)
        print("\n".join(who) if who else "No managers yet: qpr managers add USER_ID")
        return 0
    if not args.user or not USER_ID.match(args.user):
        return refuse(
            "give the person's Slack user id, such as U012AB3CD (in Slack: their profile, "
            "the menu, Copy member ID)"
        )
    try:
        changed = managers.change_manager(ctx, managers.operator(), args.user, args.change == "add")
    except QprError as exc:
        return refuse(str(exc), 1)
    if args.change == "add":
        print(f"{args.user} is {'now' if changed else 'already'} a manager.")
    else:
        print(f"{args.user} is {'no longer' if changed else 'not'} a manager.")
    return 0
