"""`/qpr schedule`: when the team meets, and its reminders paused or resumed."""

from __future__ import annotations

import re
from datetime import date

from bot.slack.blocks.schedule import outlook_text
from bot.slack.deps import Invocation
from bot.slack.mrkdwn import escape
from reviews.calendar import parse_time
from reviews.cases import schedule
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
    ctx, args, text = call.deps.ctx, call.args, call.rest.strip()
    word = text.lower()
    if not text:
        found = schedule.outlook(ctx, call.asker)
        outlook = outlook_text(found.outlook, found.team.timezone)
        call.respond(f"*{escape(found.team.name)}*: {outlook}\n{USAGE}")
        return
    if word in ("pause", "resume"):
        found = schedule.pause(ctx, call.asker, word == "pause")
        state = "paused" if word == "pause" else "on"
        name = escape(found.team.name)
        done = f"Reminders for *{name}* are {'now ' if found.changed else ''}{state}."
    elif _DATE.match(args[0]):
        if len(args) > 2:
            raise QprError(USAGE)
        clock = parse_time(args[1]) if len(args) > 1 else None
        found = schedule.meet_on(ctx, call.asker, _day(args[0]), clock)
        done = f"The next meeting of *{escape(found.team.name)}* is on {found.day:%A %d %B %Y}."
    else:
        found = schedule.meet_by_rule(ctx, call.asker, text)
        done = (
            f"*{escape(found.team.name)}* meets on the {found.rule} of the month after each "
            "quarter (moved to the next working day if that is a bank holiday)."
        )
    outlook = outlook_text(found.outlook, found.team.timezone)
    call.respond(response_type="in_channel", text=f"{done} {outlook}")
