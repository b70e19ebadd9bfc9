"""`/qpr schedule`: when the team meets, and its reminders paused or resumed."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from bot.text import escape
from reviews import schedule, teams
from reviews.calendar import local_date, parse_time, zone
from reviews.errors import QprError
from reviews.reminders import describe
from reviews.schedule import Outlook

USAGE = (
    "Usage: `/qpr schedule 2027-01-12 10:00` (the next meeting), `/qpr schedule third "
    "tuesday 10:00` (every quarter, in the month after it ends), `/qpr schedule pause` or "
    "`resume` (the reminders)."
)
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})$")


def outlook_text(found: Outlook, tz: str) -> str:
    parts = []
    if found.next_meeting:
        parts.append(f"Next meeting {found.next_meeting:%A %d %B %Y at %H:%M}.")
    else:
        parts.append("No meeting date set (`/qpr schedule`).")
    if found.rule:
        parts.append(f"Meets on the {found.rule} of the month after each quarter.")
    if found.paused:
        parts.append("Reminders are paused (`/qpr schedule resume`).")
    elif found.next_reminder:
        when = found.next_reminder.due_at.astimezone(zone(tz))
        parts.append(
            f"Next reminder {when:%a %d %b %H:%M}: {escape(describe(found.next_reminder))}."
        )
    return " ".join(parts)


def team_outlook(deps, session, team, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    return outlook_text(
        schedule.outlook(session, team, now, deps.settings.fy_start_month), team.timezone
    )


def _day(text: str) -> date:
    try:
        if "/" in text:
            d, m, y = (int(x) for x in text.split("/"))
            return date(y, m, d)
        return date.fromisoformat(text)
    except ValueError:
        raise QprError(f"'{escape(text)}' is not a date. {USAGE}") from None


def schedule_command(deps, respond, channel: str, user: str, args: list[str], request_id) -> None:
    now = datetime.now(UTC)
    text = " ".join(args).strip()
    with deps.factory.unit_of_work() as session:
        team = teams.team_for_channel(session, channel)
        word = text.lower()
        if not text:
            respond(f"*{escape(team.name)}*: {team_outlook(deps, session, team, now)}\n{USAGE}")
            return
        if word in ("pause", "resume"):
            changed = schedule.set_paused(session, team, user, word == "pause", request_id)
            state = "paused" if word == "pause" else "on"
            done = f"Reminders for *{escape(team.name)}* are {'now ' if changed else ''}{state}."
        elif _DATE.match(args[0]):
            clock = parse_time(args[1]) if len(args) > 1 else None
            if len(args) > 2:
                raise QprError(USAGE)
            day = schedule.set_meeting(
                session,
                team,
                user,
                _day(args[0]),
                clock,
                local_date(now, team.timezone),
                deps.settings.fy_start_month,
                request_id,
            )
            done = f"The next meeting of *{escape(team.name)}* is on {day:%A %d %B %Y}."
        else:
            rule = schedule.set_rule(session, team, user, text, request_id)
            done = (
                f"*{escape(team.name)}* meets on the {rule} of the month after each quarter "
                "(moved to the next working day if that is a bank holiday)."
            )
        session.flush()
        outlook = team_outlook(deps, session, team, now)
    respond(response_type="in_channel", text=f"{done} {outlook}")
