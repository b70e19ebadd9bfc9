"""The view across teams: `/qpr managers` (who sees every team) and `/qpr overview` (every
team's review of a quarter, posted in a managers' channel)."""

from __future__ import annotations

from bot.shared.reports.teams import TeamsReport
from bot.slack.blocks.overview import overview_blocks
from bot.slack.deps import Invocation
from bot.slack.mrkdwn import user_id
from reviews.cases import managers
from reviews.errors import QprError
from reviews.periods import PeriodError, parse_quarter

USAGE = "Usage: `/qpr managers add @someone` or `/qpr managers remove @someone`."


def managers_command(call: Invocation) -> None:
    args = call.args
    if len(args) < 2 or args[0].lower() not in ("add", "remove"):
        current = managers.listed(call.deps.ctx)
        listed = ", ".join(f"<@{u}>" for u in current) if current else "none yet"
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
    changed = managers.change_manager(call.deps.ctx, call.asker, target, adding)
    if adding:
        call.respond(
            f"<@{target}> is {'now' if changed else 'already'} a manager: their App Home "
            "lists every team's review, and `/qpr overview` posts it in a managers' channel."
        )
    else:
        call.respond(f"<@{target}> is {'no longer' if changed else 'not'} a manager.")


def overview_command(call: Invocation) -> None:
    try:
        period = parse_quarter(call.rest, call.deps.settings.fy_start_month) if call.rest else None
    except PeriodError as exc:
        raise QprError(
            f"{exc!s}. Usage: `/qpr overview [period]`, e.g. `/qpr overview 2026/27 Q2`."
        ) from None
    found = managers.every_team(call.deps.ctx, call.asker, period)
    text, blocks = overview_blocks(TeamsReport(found))
    call.respond(response_type="in_channel", text=text, blocks=blocks)
