"""`qpr person export|forget USER_ID`: a data protection request about a member of staff,
answered by whoever runs the bot: everything held about them, as JSON, or their forgetting
(asked to confirm unless `--yes`)."""

from __future__ import annotations

import json
import sys

from bot.base.config import Settings
from bot.cli.common import USER_ID, database, refuse

# The words the bot keeps came from Slack: it says how they name a person.
from bot.slack.mrkdwn import mentions_of
from reviews.cases import Context
from reviews.cases import people as cases


def add(person) -> None:
    person.add_argument("action", choices=["export", "forget"])
    person.add_argument("user", metavar="USER_ID", help="their Slack user id, such as U012AB3CD")
    person.add_argument(
        "--yes", action="store_true", help="forget without asking to confirm (for scripts)"
    )
    person.set_defaults(handler=run)


def run(args, settings: Settings) -> int:
    if not USER_ID.match(args.user):
        return refuse(
            "give the person's Slack user id, such as U012AB3CD (in Slack: their profile, "
            "the menu, Copy member ID)"
        )
    ctx = Context(database(settings.database_url), settings.fy_start_month, settings.timezone)
    if args.action == "export":
        held = cases.export_person(ctx, args.user, mentions_of)
        json.dump(held, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            return refuse("forgetting cannot be undone: run it with --yes to confirm")
        answer = input(
            f"Forget {args.user}: their id and name replaced by 'a former member' everywhere, "
            "their proposals never agreed and their supports deleted. This cannot be undone. "
            "Type yes to go on: "
        )
        if answer.strip().lower() != "yes":
            print("Nothing was changed.")
            return 1
    forgotten = cases.forget_person(ctx, args.user, mentions_of)
    if not forgotten.anything:
        print(f"Nothing is held about {args.user}: nothing was changed.")
    else:
        print(f"{args.user} is forgotten: now 'a former member' wherever the record keeps them.")
        for what, n in forgotten.changed.items():
            print(f"  {what}: {n}")
    for team in forgotten.teams_left_without_facilitator:
        print(f'{team} has no facilitator now: qpr team "{team}" --facilitator USER_ID')
    if forgotten.still_being_worked:
        print(
            f"{forgotten.still_being_worked} request(s) from Slack naming them are still being "
            "worked: run this again in a minute to forget what they add."
        )
    return 0
