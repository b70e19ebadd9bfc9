"""`qpr team NAME`: a team's settings shown, or changed; `qpr team create NAME` makes one."""

from __future__ import annotations

from bot.base.config import Settings
from bot.cli.common import USER_ID, database, refuse
from reviews.errors import QprError
from reviews.teams import create_team, facilitators, name_facilitator, update_team


def add(team) -> None:
    team.add_argument("words", nargs="+", metavar="[create] NAME", help="team name")
    team.add_argument(
        "--new-team",
        action="store_true",
        help="with create: make it even though its name is close to an existing team's",
    )
    team.add_argument(
        "--area-code",
        metavar="CODE",
        help="the council's ONS code: its published figures stand in where the team has "
        "none, and it is left out of its peers ('' to clear)",
    )
    team.add_argument(
        "--council-figures",
        choices=("yes", "no"),
        help="yes: the team's own figures are its council's (say, the whole adult social care "
        "service), so they are ranked among councils; no (the default): the council's "
        "published figure is ranked, as the council's",
    )
    team.add_argument(
        "--facilitator",
        metavar="USER_ID",
        help="name a facilitator (a Slack user id, such as U012AB3CD): a team whose data is "
        "loaded is set up in Slack by one of its facilitators, or by a manager",
    )
    team.add_argument(
        "--response-days",
        type=int,
        metavar="N",
        help="days within which a complaint should be closed",
    )
    team.add_argument("--timezone", metavar="TZ", help="the team's timezone, e.g. Europe/London")
    for flag, what in (
        ("--kickoff-days", "working days before the meeting that the review starts"),
        ("--outcomes-close-days", "working days before the meeting that outcomes close"),
        ("--need-notice-days", "working days before a need's date that its owner is told"),
    ):
        team.add_argument(flag, type=int, metavar="N", help=what)
    team.set_defaults(handler=run)


def run(args, settings: Settings) -> int:
    creating = args.words[0].lower() == "create" and len(args.words) > 1
    name = " ".join(args.words[1:] if creating else args.words)
    if args.facilitator is not None and not USER_ID.match(args.facilitator):
        return refuse(
            "give the person's Slack user id, such as U012AB3CD (in Slack: their profile, "
            "the menu, Copy member ID)"
        )
    factory = database(settings.database_url)
    try:
        with factory.unit_of_work() as session:
            if creating:
                create_team(session, name, args.new_team)
            team = update_team(
                session,
                name,
                args.area_code,
                args.response_days,
                args.timezone,
                None if args.council_figures is None else args.council_figures == "yes",
                kickoff_days=args.kickoff_days,
                outcomes_close_days=args.outcomes_close_days,
                need_notice_days=args.need_notice_days,
            )
            if args.facilitator:
                name_facilitator(session, team.name, args.facilitator)
            named = facilitators(session, team)
            settings_line = (
                f"{team.name}: area code {team.area_code or 'not set'}; its figures are "
                f"{'the' if team.council_figures else 'not the'} council's; complaints to be "
                f"closed within {team.complaint_response_days} days; "
                f"channel {team.slack_channel_id or 'not set up'}; timezone {team.timezone}; "
                f"kick-off {team.kickoff_days} working days before the meeting, outcomes "
                f"close {team.outcomes_close_days} before it; needs reminded "
                f"{team.need_notice_days} working days before they are due; facilitators "
                f"{', '.join(named) or 'none yet'}"
            )
    except QprError as exc:
        return refuse(str(exc), 1)
    if creating:
        print(f"Team created: {name}")
    print(settings_line)
    return 0
