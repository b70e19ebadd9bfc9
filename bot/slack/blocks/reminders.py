"""The reminders as messages: about a review (outcomes closing, the meeting, the judgement
owed) in its thread or to a facilitator, and about an information need to its owner."""

from __future__ import annotations

from datetime import datetime

from bot.slack import ids
from bot.slack.blocks.kit import button, context, plain, section, short
from bot.slack.mrkdwn import escape
from reviews import reminders
from reviews.calendar import local_date, zone
from reviews.reminders import Due
from storage.models import InformationNeed, Review, Team


def review_message(due: Due, review: Review, team: Team, now: datetime) -> tuple[str, list[dict]]:
    """A reminder about a review: outcomes closing, the meeting, or the judgement owed."""
    tz = team.timezone
    meeting = due.meeting.astimezone(zone(tz)) if due.meeting else None
    when = f"{meeting:%A %d %B} at {meeting:%H:%M}" if meeting else ""
    if due.kind == reminders.OUTCOMES_SOON:
        text = (
            f"Outcome statements for {review.period_label} close in two working days, "
            f"on {due.close_day:%A %d %B}. Not proposed one yet? Reply in the thread of the "
            "kick-off, and :+1: the ones you support."
        )
    elif due.kind == reminders.OUTCOMES_TODAY:  # to a facilitator
        text = (
            f"Outcome statements for {review.period_label} of *{escape(team.name)}* close "
            f"today: agree the set with `/qpr agree` in <#{review.slack_channel_id}>, or here."
        )
        blocks = [
            section(text),
            {
                "type": "actions",
                "elements": [button("Agree outcomes", ids.OPEN_AGREE, str(review.id), "primary")],
            },
        ]
        return f"Outcome statements for {review.period_label} close today", blocks
    elif due.kind == reminders.MEETING_TOMORROW:
        assert meeting is not None, "every reminder of a review carries its meeting"
        days = (meeting.date() - local_date(now, tz)).days
        day = {0: f"today, at {meeting:%H:%M}", 1: f"tomorrow, {when}"}.get(days, f"on {when}")
        text = (
            f"The evidence for {review.period_label} is in the thread of the kick-off; the "
            f"meeting is {day}. What do the figures not tell us? Reply in the thread before "
            "then."
        )
    else:  # the judgement, to a facilitator
        again = "still " if due.kind == reminders.JUDGEMENT_AGAIN else ""
        text = (
            f"The judgement of {review.period_label} for *{escape(team.name)}* is "
            f"{again}not recorded (the meeting was on {when}). Record it with "
            f"`/qpr judge` in <#{review.slack_channel_id}>, or here."
        )
        blocks = [
            section(text),
            {
                "type": "actions",
                "elements": [
                    button("Record the judgement", ids.OPEN_JUDGE, str(review.id), "primary")
                ],
            },
        ]
        return f"The judgement of {review.period_label} is {again}not recorded", blocks
    return text, [section(text)]


def need_message(due: Due, need: InformationNeed, team: Team) -> tuple[str, list[dict]]:
    assert need.due is not None, "a need is reminded of only when it has a due date"
    if due.kind == reminders.NEED_SOON:
        head = f"Due on {need.due:%A %d %B}"
    else:
        head = f"Overdue since {need.due:%A %d %B}"
    text = f"{head}: {escape(short(need.text, 1000))} ({escape(team.name)})"
    return f"{head}: an information need for {escape(team.name)}", [
        section(text),
        {
            "type": "actions",
            "block_id": f"need_{need.id}",
            "elements": [
                button("Done", ids.NEED_DONE, str(need.id), "primary"),
                {
                    "type": "datepicker",
                    "action_id": ids.NEED_MOVE,
                    "initial_date": need.due.isoformat(),
                    "placeholder": {"type": "plain_text", "text": "Move the date"},
                },
            ],
        },
        {
            # One action: type what was found and press Enter, in the reminder itself.
            "type": "input",
            "block_id": f"answer_{need.id}",
            "dispatch_action": True,
            "optional": True,
            "label": plain("What did you find out?"),
            "hint": plain(
                "Press Enter to mark it done with this. Done opens a form for a link or a file."
            ),
            "element": {
                "type": "plain_text_input",
                "action_id": ids.NEED_ANSWER,
                "max_length": 3000,
                "dispatch_action_config": {"trigger_actions_on": ["on_enter_pressed"]},
            },
        },
        context("Or pick a new date to move it."),
    ]
