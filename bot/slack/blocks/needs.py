"""Information needs in Slack: the team's list with buttons to mark one done, and the App
Home with the user's teams and the needs they own."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.base.wording import safe_url
from bot.shared import pulse_words
from bot.slack import ids
from bot.slack.blocks.kit import button, context, header, option, plain, section, short
from bot.slack.mrkdwn import escape, mention
from reviews.evidence.quality import DataNote
from reviews.pulse import PulseResult
from storage.models import InformationNeed, NeedStatus, Review, Team

MAX_LISTED = 40
HOME_BLOCKS = 100  # Slack's most for a Home tab
NOTES_LISTED = 8
STAGES = {
    "outcomes": "agreeing outcome statements",
    "evidence": "looking at the evidence",
    "judgement": "recording the judgement",
    "closed": "closed",
}


def need_line(need: InformationNeed, today: date, team: str | None = None) -> str:
    parts = []
    if team:
        parts.append(escape(team))
    if need.owner_user_id:
        parts.append(mention(need.owner_user_id))
    if need.due:
        late = " (overdue)" if need.due < today else ""
        parts.append(f"due {need.due:%d %b %Y}{late}")
    return f"• {escape(short(need.text))}" + (f" ({', '.join(parts)})" if parts else "")


def settled_line(need: InformationNeed) -> str:
    """ "We asked ...; we found ..." (or why it was dropped), with its link and file."""
    asked = f"We asked: _{escape(short(need.text, 400))}_"
    if need.status == NeedStatus.DROPPED:
        said = f"Dropped, because: {escape(short(need.answer or 'no reason given', 1200))}"
    else:
        said = f"We found: {escape(short(need.answer or 'no finding recorded', 1200))}"
    where = [
        f"<{safe_url(url)}|{name}>"
        for url, name in ((need.answer_link, "link"), (need.answer_file, "file"))
        if url
    ]
    return f"{asked}\n{said}" + (f" ({', '.join(where)})" if where else "")


def _done_button(need: InformationNeed) -> dict:
    return button("Done", ids.NEED_DONE, str(need.id), style="primary")


def settle_form(need: InformationNeed, metadata: str) -> dict:
    """*Done* on a need: what was found (or why it is dropped), with a link or a file."""
    found = option("Done: we found out", str(NeedStatus.DONE))
    return {
        "type": "modal",
        "callback_id": ids.SETTLE_NEED_VIEW,
        "private_metadata": metadata,
        "title": plain("Settle a need"),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "blocks": [
            section(f"*We asked*\n{escape(short(need.text, 1000))}"),
            {
                "type": "input",
                "block_id": "status",
                "label": plain("Is it"),
                "element": {
                    "type": "radio_buttons",
                    "action_id": "status",
                    "initial_option": found,
                    "options": [found, option("Dropped: we no longer need it", "dropped")],
                },
            },
            {
                "type": "input",
                "block_id": "answer",
                "label": plain("What did we find out? (Dropped: why?)"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": "answer",
                    "multiline": True,
                    "max_length": 3000,
                },
                "hint": plain("It comes back at the next review, with the outcome it served."),
            },
            {
                "type": "input",
                "block_id": "link",
                "optional": True,
                "label": plain("A link to where it is"),
                "element": {"type": "url_text_input", "action_id": "link"},
            },
            {
                "type": "input",
                "block_id": "file",
                "optional": True,
                "label": plain("Or a file"),
                "element": {"type": "file_input", "action_id": "file", "max_files": 1},
            },
        ],
    }


def needs_message(team: str, found: list[InformationNeed], today: date) -> tuple[str, list[dict]]:
    if not found:
        return f"{team} has no open information needs.", [
            section(f"*{escape(team)}* has no open information needs.")
        ]
    blocks = [section(f"*Open information needs of {escape(team)}*")]
    for need in found[:MAX_LISTED]:
        blocks.append(section(need_line(need, today), accessory=_done_button(need)))
    if len(found) > MAX_LISTED:
        blocks.append(context(f"And {len(found) - MAX_LISTED} more."))
    blocks.append(context("Its owner or a facilitator can mark a need done."))
    return f"{len(found)} open information needs for {team}", blocks


@dataclass(frozen=True)
class TeamState:
    team: Team
    review: Review | None
    outlook: str  # the next meeting and the next reminder, in words
    # For a facilitator: what in the data wants putting right (late, missing, limits).
    data_notes: list[DataNote] = field(default_factory=list)
    # For a facilitator: the team's needs past their due date, whoever owns them.
    overdue: list[InformationNeed] = field(default_factory=list)
    # For a facilitator: the two questions' answers at the latest judged review.
    pulse: PulseResult | None = None


def data_notes_text(notes: list[DataNote]) -> str:
    lines = [f"• *{escape(n.code)}*: {escape(n.text)}" for n in notes[:NOTES_LISTED]]
    if len(notes) > NOTES_LISTED:
        lines.append(f"…and {len(notes) - NOTES_LISTED} more (`qpr evidence` lists them all)")
    return "*Data to check* (shown to facilitators)\n" + "\n".join(lines)


def home_view(
    teams: list[TeamState],
    owned: list[tuple[InformationNeed, Team]],
    today: date,
    notice: str | None = None,
    across: list[dict] | None = None,
) -> dict:
    """The App Home: a manager's overview of every team (`across`) first, then the user's
    own teams and the needs they own, within Slack's 100 blocks: the needs are kept whole,
    and the teams listed are as many as fit."""
    mine = [header("Information needs you own")]
    if not owned:
        mine.append(context("None open."))
    for need, team in owned[:MAX_LISTED]:
        mine.append(section(need_line(need, today, team.name), accessory=_done_button(need)))
    if len(owned) > MAX_LISTED:
        mine.append(
            context(f"And {len(owned) - MAX_LISTED} more: `/qpr needs` in each team's channel.")
        )
    blocks: list[dict] = []
    if notice:
        blocks.append(section(notice))
    blocks += across or []
    blocks.append(header("Your quarterly reviews"))
    if not teams:
        blocks.append(
            section(
                "You are not part of a team's review yet. In a team's channel, `/qpr status` "
                "says where its review has got to, and replying in a review thread proposes "
                "an outcome statement."
            )
        )
    room = HOME_BLOCKS - len(blocks) - len(mine) - 1  # one for "and N more teams"
    for n, state in enumerate(teams):
        these = _team_blocks(state, today)
        if len(these) > room:
            blocks.append(context(f"And {len(teams) - n} more teams: `/qpr status` in each."))
            break
        blocks += these
        room -= len(these)
    return {"type": "home", "blocks": blocks + mine}


def _team_blocks(state: TeamState, today: date) -> list[dict]:
    where = f" in <#{state.team.slack_channel_id}>" if state.team.slack_channel_id else ""
    if state.review is None:
        doing = "No review open."
    else:
        doing = (
            f"Review of {escape(state.review.period_label)}: "
            f"{STAGES.get(str(state.review.stage), str(state.review.stage))}."
        )
    found = [section(f"*{escape(state.team.name)}*{where}\n{doing} {state.outlook}")]
    if state.overdue:
        lines = [need_line(n, today) for n in state.overdue[:NOTES_LISTED]]
        if len(state.overdue) > NOTES_LISTED:
            lines.append(f"…and {len(state.overdue) - NOTES_LISTED} more (`/qpr needs`)")
        found.append(
            section("*Overdue information needs* (shown to facilitators)\n" + "\n".join(lines))
        )
    if state.data_notes:
        found.append(context(data_notes_text(state.data_notes)))
    if state.pulse is not None:
        said = escape(pulse_words.history_line(state.pulse))
        found.append(context(f"*{pulse_words.TITLE}* (shown to facilitators) {said}"))
    return found
