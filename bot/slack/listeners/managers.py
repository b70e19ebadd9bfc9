"""The view across teams: `/qpr managers` (who sees every team) and `/qpr overview` (every
team's review of a quarter, posted in a managers' channel)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.shared.reports.teams import TeamsReport
from bot.slack.blocks.overview import overview_blocks
from bot.slack.deps import Invocation
from bot.slack.mrkdwn import user_id
from reviews import managers, teams
from reviews.calendar import local_date
from reviews.errors import QprError
from reviews.overview import overview
from reviews.periods import PeriodError, last_ended_quarter, parse_quarter

USAGE = "Usage: `/qpr managers add @someone` or `/qpr managers remove @someone`."


def managers_command(call: Invocation) -> None:
    deps, args = call.deps, call.args
    if len(args) < 2 or args[0].lower() not in ("add", "remove"):
        with deps.factory() as session:
            who = managers.managers(session)
        listed = ", ".join(f"<@{u}>" for u in who) if who else "none yet"
        call.respond(
            f"Managers (they see every team's reviews): {listed}.\n{USAGE} Managers add "
            "managers; whoever runs the bot names the first (`qpr managers add`)."
        )
        return
    who = " ".join(args[1:])
    target = user_id(who)
    if target is None:
        raise QprError(f"I can't tell who `{who}` is. {USAGE}")
    adding = args[0].lower() == "add"
    with deps.factory.unit_of_work() as session:
        change = managers.add_manager if adding else managers.remove_manager
        changed = change(session, call.user, target, call.trigger_id)
    if adding:
        call.respond(
            f"<@{target}> is {'now' if changed else 'already'} a manager: their App Home "
            "lists every team's review, and `/qpr overview` posts it in a managers' channel."
        )
    else:
        call.respond(f"<@{target}> is {'no longer' if changed else 'not'} a manager.")


def overview_command(call: Invocation) -> None:
    deps = call.deps
    fy = deps.settings.fy_start_month
    today = local_date(datetime.now(UTC), deps.settings.timezone)
    try:
        period = parse_quarter(call.rest, fy) if call.rest else last_ended_quarter(today, fy)
    except PeriodError as exc:
        raise QprError(
            f"{exc!s}. Usage: `/qpr overview [period]`, e.g. `/qpr overview 2026/27 Q2`."
        ) from None
    with deps.factory() as session:
        managers.require_manager(session, call.user, "post the overview of every team")
        team = teams.team_by_channel(session, call.channel)
        if team is not None:
            raise QprError(
                f"This is the channel of *{team.name}*. The overview of every team "
                "is for a managers' channel: post it there."
            )
        found = overview(session, period, today, fy)
    text, blocks = overview_blocks(TeamsReport(found))
    call.respond(response_type="in_channel", text=text, blocks=blocks)
