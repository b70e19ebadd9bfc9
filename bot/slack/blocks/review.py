"""Block Kit for a review thread: the kick-off, the agreed statements, and the modals of
step 1. Domain values in, dicts out; user text is escaped here and nowhere else."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.slack import ids
from bot.slack.blocks.kit import button, context, header, option, section, short
from bot.slack.blocks.links import Choices, links_block, reasons
from bot.slack.blocks.needs import need_line, settled_line
from bot.slack.mrkdwn import escape
from reviews.evidence.model import Suggestion
from reviews.kinds import id_of
from reviews.outcomes import Proposal
from storage.models import InformationNeed, OutcomeStatement, OutcomeStatus, Review

WHAT_A_QPR_IS = (
    "A Quarterly Performance Review: together we agree what we want to achieve for the people "
    "we serve, look honestly at the evidence, and judge how well we are doing and what else we "
    "need to know."
)
MAX_SETTLED = 10
MAX_OPEN_NEEDS = 15  # lines of 150 characters or so, within a section's 3000
MAX_CARRY_OVER = 15  # a block each: the kick-off stays within a message's 50
MAX_MODAL_PROPOSALS = 32  # three blocks each, and two notes, within a modal's 100
# A longer list is shortlisted first. Listed and offered in the shortlist, at most: each
# takes a line and an option, and a form is at most 250 kB.
MAX_LISTED = 500
SECTION_ROOM = 2900  # characters a section of the list holds, within Slack's 3000
LIST_BUDGET = 120_000  # characters of the whole list, leaving room for the choices


def kickoff(
    review: Review,
    team_name: str,
    carry_over: list[OutcomeStatement],
    carried_from_label: str | None,
    needs: list[InformationNeed],
    settled: Sequence[InformationNeed] = (),
) -> list[dict]:
    """`needs`: still open; `settled`: asked at an earlier review and settled since the last
    one began, with what was found."""
    meeting = (
        f"Meeting: {review.meeting_date:%A %d %B %Y}"
        if review.meeting_date
        else "No meeting date yet"
    )
    blocks = [
        header(f"QPR {review.period_label}: {team_name}"),
        section(WHAT_A_QPR_IS),
        context(f"{review.period_start:%d %b} to {review.period_end:%d %b %Y}. {meeting}."),
        section(
            "*Step 1: what are we trying to achieve?* Reply in this thread with one outcome "
            "statement a message (say, _Older people stay living in their own homes_). "
            "Support one with a :+1:. Edit or delete yours to change or withdraw it."
        ),
    ]
    blocks += _carry_over(carry_over, carried_from_label)
    if settled:
        blocks.append(section("*What we found out since last time*"))
        for need in settled[:MAX_SETTLED]:
            blocks.append(section(settled_line(need)))
        if len(settled) > MAX_SETTLED:
            blocks.append(
                context(f"And {len(settled) - MAX_SETTLED} more: the last report has them.")
            )
    if needs:
        lines = [need_line(n, date.today()) for n in needs[:MAX_OPEN_NEEDS]]
        if len(needs) > MAX_OPEN_NEEDS:
            lines.append(f"And {len(needs) - MAX_OPEN_NEEDS} more: `/qpr needs` lists them all.")
        blocks.append(section("*Still open from last time*\n" + "\n".join(lines)))
    blocks.append(
        {
            "type": "actions",
            "elements": [
                button("Propose anonymously", ids.PROPOSE_ANONYMOUSLY, str(review.id)),
                button("Agree outcomes", ids.OPEN_AGREE, str(review.id), style="primary"),
            ],
        }
    )
    return blocks


def _carry_over(found: list[OutcomeStatement], label: str | None) -> list[dict]:
    """Last time's agreed outcomes, then the proposals it kept for this quarter, each with
    a button to propose it again; what does not fit is counted."""
    blocks: list[dict] = []
    room = MAX_CARRY_OVER
    for status, title in (
        (OutcomeStatus.AGREED, f"*Agreed last time ({escape(label or '')})*"),
        (OutcomeStatus.KEPT, "*Not reached last time, kept for this quarter*"),
    ):
        these = [o for o in found if o.status == status]
        if not these or room == 0:
            continue
        blocks.append(section(f"{title}: carry one over to propose it again."))
        for outcome in these[:room]:
            blocks.append(
                section(
                    f"• {escape(short(outcome.text))}",
                    accessory=button("Carry over", ids.CARRY_OVER, str(outcome.id)),
                )
            )
        room -= min(room, len(these))
    unlisted = len(found) - (MAX_CARRY_OVER - room)
    if unlisted:
        blocks.append(
            context(
                f"And {unlisted} more from last time, not listed here: `/qpr outcomes` lists "
                "them all, and any can be proposed again by replying in this thread."
            )
        )
    return blocks


def kickoff_text(review: Review, team_name: str) -> str:
    return (
        f"QPR {review.period_label} for {team_name}: reply in this thread with outcome statements."
    )


def carried_over(outcome: OutcomeStatement, label: str, user_id: str) -> str:
    return f"Carried over from {escape(label)} by <@{user_id}>: {escape(outcome.text)}"


def anonymous_post(text: str) -> str:
    return f"Proposed anonymously: {escape(text)}"


def agreed_message(review: Review, outcomes: list[OutcomeStatement]) -> tuple[str, list[dict]]:
    """A line to say the statements are agreed: the evidence at a glance, which follows,
    lists each of them with what bears on it (`/qpr outcomes` lists them alone)."""
    text = f"Agreed outcome statements for {review.period_label}: {len(outcomes)}"
    count = "1 outcome statement" if len(outcomes) == 1 else f"{len(outcomes)} outcome statements"
    blocks = [
        section(
            f"*Agreed for {escape(review.period_label)}: {count}*, each with its evidence below."
        )
    ]
    return text, blocks


def anonymous_modal(review: Review) -> dict:
    return {
        "type": "modal",
        "callback_id": ids.ANONYMOUS_VIEW,
        "private_metadata": f"{review.id}:{review.slack_channel_id}",
        "title": {"type": "plain_text", "text": "Propose anonymously"},
        "submit": {"type": "plain_text", "text": "Propose"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            context(
                "The bot posts your statement in the review thread without your name, "
                "and does not record who proposed it."
            ),
            {
                "type": "input",
                "block_id": "statement",
                "label": {"type": "plain_text", "text": "Outcome statement"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": "text",
                    "multiline": True,
                    "max_length": 1000,
                },
            },
        ],
    }


def _label(index: int, proposal: Proposal) -> str:
    who = "anonymous" if proposal.outcome.anonymous else "proposed in the thread"
    count = len(proposal.supporters)
    return f"{index}. {count} supporter{'s' if count != 1 else ''} ({who})"


def shortlist_modal(review: Review, found: list[Proposal], seen: int) -> dict:
    """More proposals than one form can agree: every one listed, most supported first, and
    the facilitator takes up to `MAX_MODAL_PROPOSALS` onto the agreement form (the most
    supported are chosen to begin with); the rest are kept for next quarter."""
    listed = found[:MAX_LISTED]
    lines = [
        f"{i}. {_support(p)} {escape(short(p.outcome.text, 150))}"
        for i, p in enumerate(listed, start=1)
    ]
    blocks: list[dict] = [
        context(
            f"{len(found)} proposals, more than one form can agree ({MAX_MODAL_PROPOSALS}). "
            "Take the ones to agree, merge, edit or drop onto the next page: the most "
            "supported are chosen to begin with. The rest are kept for next quarter, to be "
            "proposed again, never dropped unread."
        )
    ]
    # Packed by their length as escaped, so that no section is cut short.
    packed: list[str] = []
    for line in lines:
        if packed and len(packed[-1]) + 1 + len(line) <= SECTION_ROOM:
            packed[-1] += "\n" + line
        else:
            packed.append(line)
    # Within the form's 100 blocks: a context, a list to choose from for each hundred, and
    # two notes; a list of very long (or much escaped) proposals may not all fit.
    # And within a form's 250 kB, beside the choices.
    room, budget, shown = 100 - 3 - -(-len(listed) // 100), LIST_BUDGET, []
    for text in packed[:room]:
        budget -= len(text)
        if budget < 0:
            break
        shown.append(text)
    fitted = sum(text.count("\n") + 1 for text in shown)
    blocks += [section(text) for text in shown]
    if fitted < len(listed):
        blocks.append(
            context(
                f"The list has room for the first {fitted}: all {len(listed)} are in the "
                "choices below."
            )
        )
    if len(found) > len(listed):
        blocks.append(
            context(
                f"And {len(found) - len(listed)} more with less support, not listed: they "
                "go with the rest."
            )
        )
    options = [
        option(f"{i}. {short(p.outcome.text, 70)}", str(p.outcome.id))
        for i, p in enumerate(listed, start=1)
    ]
    # A select of at most 100 options for each hundred listed.
    for start in range(0, len(options), 100):
        group = options[start : start + 100]
        first = start == 0
        element: dict = {
            "type": "multi_static_select",
            "action_id": "shortlist",
            "options": group,
            "max_selected_items": MAX_MODAL_PROPOSALS,
        }
        if first:
            element["initial_options"] = group[:MAX_MODAL_PROPOSALS]
        label = (
            f"Take these onto the agreement form (at most {MAX_MODAL_PROPOSALS} in all)"
            if first
            else f"And of {start + 1} to {start + len(group)}"
        )
        blocks.append(
            {
                "type": "input",
                "block_id": f"shortlist_{start // 100}",
                "optional": True,  # at least one in all, checked when it is submitted
                "label": {"type": "plain_text", "text": label},
                "element": element,
            }
        )
    return {
        "type": "modal",
        "callback_id": ids.SHORTLIST_VIEW,
        "private_metadata": f"{review.id}:{seen}",
        "title": {"type": "plain_text", "text": "Agree outcomes"},
        "submit": {"type": "plain_text", "text": "Next"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def _support(proposal: Proposal) -> str:
    count = len(proposal.supporters)
    return f"({count} :+1:)" if count else "(no support yet)"


def agree_modal(
    review: Review,
    found: list[Proposal],
    choices: Choices,
    suggested: dict[int, list[Suggestion]],
    seen: int,
    keep_the_rest: bool = True,
    more: int = 0,
) -> dict:
    """Every proposal with its support, to be agreed (its wording edited), merged into
    another, or dropped, and linked to the team's evidence that bears on it: indicators,
    complaints, views and survey questions. Supported ones start as agreed; evidence whose
    tags or words match a statement starts as chosen, its reason in the hint, for the
    facilitator to keep or clear."""
    shown = found[:MAX_MODAL_PROPOSALS]
    blocks: list[dict] = [
        context(
            "Edit the wording if you need to. Choose *Agree*, *Drop*, or *Merge into* another "
            "statement (its supporters move with it). Supported proposals start as agreed."
        )
    ]
    if more:
        fate = "kept for next quarter" if keep_the_rest else "dropped"
        which = "The proposal" if more == 1 else f"The {more} proposals"
        blocks.append(context(f"{which} not on this form {'is' if more == 1 else 'are'} {fate}."))
    for index, proposal in enumerate(shown, start=1):
        outcome = proposal.outcome
        options = [option("Agree", "agree"), option("Drop", "drop")] + [
            option(f"Merge into {other_index}", f"merge:{other.outcome.id}")
            for other_index, other in enumerate(shown, start=1)
            if other is not proposal
        ]
        initial = options[0] if proposal.supporters else options[1]
        blocks.append(
            {
                "type": "input",
                "block_id": f"text_{outcome.id}",
                "label": {"type": "plain_text", "text": _label(index, proposal)},
                "element": {
                    "type": "plain_text_input",
                    "action_id": "text",
                    "multiline": True,
                    "max_length": 1000,
                    "initial_value": outcome.text,
                },
            }
        )
        blocks.append(
            {
                "type": "input",
                "block_id": f"do_{outcome.id}",
                "label": {"type": "plain_text", "text": f"What to do with {index}"},
                "element": {
                    "type": "static_select",
                    "action_id": "do",
                    "options": options[:100],
                    "initial_option": initial,
                },
            }
        )
        if choices.groups:
            offered = suggested.get(id_of(outcome), [])
            blocks.append(
                links_block(
                    f"link_{outcome.id}",
                    f"What bears on {index}",
                    choices,
                    {(s.kind, s.key) for s in offered},
                    reasons(offered),
                )
            )
    return {
        "type": "modal",
        "callback_id": ids.AGREE_VIEW,
        # Which proposals are on the form (only those can be agreed, merged or dropped), the
        # newest the facilitator had seen, and what becomes of the rest.
        "private_metadata": f"{review.id}:{seen}:{'keep' if keep_the_rest else 'drop'}:"
        + ",".join(str(p.outcome.id) for p in shown),
        "title": {"type": "plain_text", "text": "Agree outcomes"},
        "submit": {"type": "plain_text", "text": "Agree"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }
