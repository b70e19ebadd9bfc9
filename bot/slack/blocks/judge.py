"""The judgement form: a rating and reasons per agreed outcome, an overall judgement, new
information needs (evidence gaps offered ready-made), and last time's needs settled. Six
outcomes fit on one screen; more go on earlier pages, each saved as it is left."""

from __future__ import annotations

from bot.slack import ids
from bot.slack.blocks.kit import context, header, option, plain, section, short
from bot.slack.mrkdwn import escape
from reviews.cases.judge import PER_PAGE
from reviews.cases.judge import JudgeForm as Form
from storage.models import InformationNeed, Judgement, Rating

MAX_SLOTS = 8
MAX_EARLIER = 12  # two blocks each: the form stays within 100 blocks
MAX_ABOUT = 100
RATINGS = [r.value for r in Rating]
EARLIER_CHOICES = [("keep", "Keep open"), ("done", "Done"), ("dropped", "Drop")]


def modal(form: Form, page: int | None = None) -> dict:
    page = form.page if page is None else page
    last = page == form.pages - 1
    first = page * PER_PAGE
    blocks: list[dict] = []
    if form.pages > 1:
        blocks.append(context(f"Page {page + 1} of {form.pages}."))
    blocks.append(
        context(
            "For each outcome: how well are we doing, and why? _Cannot judge yet_ normally "
            "comes with an information need saying what we need to know."
        )
    )
    for index, outcome in enumerate(form.outcomes[first : first + PER_PAGE], start=first + 1):
        blocks += _rating_blocks(
            str(outcome.id), f"{index}. {outcome.text}", form.saved.get(outcome.id)
        )
    if last:
        blocks.append(header("Overall"))
        blocks += _rating_blocks("overall", None, form.saved.get(None))
        blocks += _need_blocks(form)
        blocks += _earlier_blocks(form.earlier)
    return {
        "type": "modal",
        "callback_id": ids.JUDGE_VIEW,
        "private_metadata": f"{form.review_id}:{page}",
        "title": plain(f"Judgement {form.period_label}"[:24]),
        "submit": plain("Record" if last else "Next"),
        "close": plain("Cancel"),
        "blocks": blocks,
    }


def _rating_blocks(key: str, text: str | None, saved: Judgement | None) -> list[dict]:
    options = [option(r.capitalize(), r) for r in RATINGS]
    select: dict[str, object] = {"type": "static_select", "action_id": "rating", "options": options}
    if saved is not None:
        select["initial_option"] = options[RATINGS.index(str(saved.rating))]
    why = {"type": "plain_text_input", "action_id": "why", "multiline": True, "max_length": 3000}
    if saved is not None and saved.rationale:
        why["initial_value"] = saved.rationale
    shown = [section(f"*{escape(short(text, 600))}*")] if text else []
    return [
        *shown,
        {
            "type": "input",
            "block_id": f"rate_{key}",
            "label": plain("Rating" if text else "Overall, how well are we doing?"),
            "element": select,
        },
        {
            "type": "input",
            "block_id": f"why_{key}",
            "optional": True,
            "label": plain("Why: what in the evidence and the discussion says so"),
            "element": why,
        },
    ]


def _need_blocks(form: Form) -> list[dict]:
    prefilled = [
        (f"Find evidence that shows how we are doing on: {gap.text}"[:1000], f"o:{gap.id}")
        for gap in form.gaps
    ]
    slots = prefilled[: MAX_SLOTS - 1] + [("", None)] * max(1, 2 - len(prefilled))
    unfilled = len(prefilled) - (MAX_SLOTS - 1)
    blocks = [
        header("Information needs"),
        context(
            "What else do we need to know, who will find out, and by when? Fill in as many "
            "as you need; leave the rest empty. "
            + ("Evidence gaps are filled in ready: clear one you don't want." if prefilled else "")
            + (
                f" {unfilled} more outcomes have no evidence either: not filled in here, for "
                "want of room; the report marks each outcome with no evidence."
                if unfilled > 0
                else ""
            )
        ),
    ]
    about = _about_options(form)
    for k, (text, about_value) in enumerate(slots):
        text_element = {
            "type": "plain_text_input",
            "action_id": "text",
            "multiline": True,
            "max_length": 1000,
        }
        if text:
            text_element["initial_value"] = text
        blocks += [
            {
                "type": "input",
                "block_id": f"need_{k}_text",
                "optional": True,
                "label": plain(f"Need {k + 1}: what do we need to know?"),
                "element": text_element,
            },
            {
                "type": "input",
                "block_id": f"need_{k}_owner",
                "optional": True,
                "label": plain("Who will find out?"),
                "element": {"type": "users_select", "action_id": "owner"},
            },
            {
                "type": "input",
                "block_id": f"need_{k}_due",
                "optional": True,
                "label": plain("By when?"),
                "element": {
                    "type": "datepicker",
                    "action_id": "due",
                    "initial_date": form.due.isoformat(),
                },
            },
        ]
        if about:
            select = {"type": "static_select", "action_id": "about", "option_groups": about}
            chosen = [o for g in about for o in g["options"] if o["value"] == about_value]
            if chosen:
                select["initial_option"] = chosen[0]
            about_block = {
                "type": "input",
                "block_id": f"need_{k}_about",
                "optional": True,
                "label": plain("The outcome or indicator it is about"),
                "element": select,
            }
            unlisted = len(form.outcomes) + len(form.indicators) - MAX_ABOUT
            if unlisted > 0:
                about_block["hint"] = plain(
                    f"{unlisted} more indicators have no room in this list: name one in the "
                    "need's words."
                )
            blocks.append(about_block)
    return blocks


def _about_options(form: Form) -> list[dict]:
    outcomes = [option(f"{i}. {o.text}", f"o:{o.id}") for i, o in enumerate(form.outcomes, start=1)]
    room = MAX_ABOUT - len(outcomes)
    indicators = [option(f"{i.code}: {i.title}", f"i:{i.id}") for i in form.indicators[:room]]
    groups = []
    if outcomes:
        groups.append({"label": plain("Outcomes"), "options": outcomes[:MAX_ABOUT]})
    if indicators and room > 0:
        groups.append({"label": plain("Indicators"), "options": indicators})
    return groups


def _earlier_blocks(earlier: list[InformationNeed]) -> list[dict]:
    if not earlier:
        return []
    options = [option(text, value) for value, text in EARLIER_CHOICES]
    blocks = [header("Still open from earlier reviews")]
    for need in earlier[:MAX_EARLIER]:
        due = f"due {need.due:%d %b %Y}" if need.due else "no due date"
        blocks.append(
            {
                "type": "input",
                "block_id": f"earlier_{need.id}",
                "label": plain(short(need.text, 150)),
                "hint": plain(due),
                "element": {
                    "type": "static_select",
                    "action_id": "choice",
                    "options": options,
                    "initial_option": options[0],
                },
            }
        )
        blocks.append(
            {
                "type": "input",
                "block_id": f"found_{need.id}",
                "optional": True,
                "label": plain("Done: what did we find out? Dropped: why?"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": "found",
                    "multiline": True,
                    "max_length": 3000,
                },
            }
        )
    if len(earlier) > MAX_EARLIER:
        blocks.append(
            context(f"{len(earlier) - MAX_EARLIER} more stay open: `/qpr needs` lists them.")
        )
    return blocks
