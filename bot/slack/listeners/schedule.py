"""`/qpr schedule`: when the team meets, and its reminders paused or resumed."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from bot.slack.blocks.schedule import outlook_text
from bot.slack.deps import Invocation
from bot.slack.mrkdwn import escape
from reviews import schedule, teams
from reviews.calendar import local_date, parse_time
from reviews.errors import QprError

USAGE = (
    "Usage: `/qpr schedule 2027-01-12 10:00` (the next meeting), `/qpr schedule third "
    "tuesday 10:00` (every quarter, in the month after it ends), `/qpr schedule pause` or "
    "`resume` (the reminders)."
)
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})$")


def _day(text: str) -> date:
    try:
        if "/" in text:
            d, m, y = (int(x) for x in text.split("/"))
            return date(y, m, d)
        return date.fromisoformat(text)
    except ValueError:
        raise QprError(f"'{text}' is not a date. {USAGE}") from None


def schedule_command(call: Invocation) -> None:
    deps, args = call.deps, call.args
    now = datetime.now(UTC)
    fy = deps.settings.fy_start_month
    text = call.rest.strip()
    with deps.factory.unit_of_work() as session:
        team = teams.team_for_channel(session, call.channel)
        word = text.lower()
        if not text:
            outlook = outlook_text(schedule.outlook(session, team, now, fy), team.timezone)
            call.respond(f"*{escape(team.name)}*: {outlook}\n{USAGE}")
            return
        if word in ("pause", "resume"):
            pause = word == "pause"
            changed = schedule.set_paused(session, team, call.user, pause, call.trigger_id)
            state = "paused" if word == "pause" else "on"
            done = f"Reminders for *{escape(team.name)}* are {'now ' if changed else ''}{state}."
        elif _DATE.match(args[0]):
            clock = parse_time(args[1]) if len(args) > 1 else None
            if len(args) > 2:
                raise QprError(USAGE)
            day = schedule.set_meeting(
                session,
                team,
                call.user,
                _day(args[0]),
                clock,
                local_date(now, team.timezone),
                fy,
                call.trigger_id,
            )
            done = f"The next meeting of *{escape(team.name)}* is on {day:%A %d %B %Y}."
        else:
            rule = schedule.set_rule(session, team, call.user, text, call.trigger_id)
            done = (
                f"*{escape(team.name)}* meets on the {rule} of the month after each quarter "
                "(moved to the next working day if that is a bank holiday)."
            )
        session.flush()
        outlook = outlook_text(schedule.outlook(session, team, now, fy), team.timezone)
    call.respond(response_type="in_channel", text=f"{done} {outlook}")
