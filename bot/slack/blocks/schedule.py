"""A team's schedule in a sentence or two: the next meeting, its rule, the next reminder."""

from __future__ import annotations

from bot.slack.mrkdwn import escape
from reviews.calendar import zone
from reviews.reminders import describe
from reviews.schedule import Outlook


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
