"""What a submitted form says, read into the use cases' values, with the errors to show
beside its fields; and the buttons that ask before something is done. The inverse of the
forms built in blocks/."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.slack import ids
from bot.slack.blocks.kit import button, section
from bot.slack.blocks.links import Choices
from bot.slack.blocks.review import MAX_MODAL_PROPOSALS
from bot.slack.mrkdwn import escape
from reviews.cases.judge import Closing
from reviews.judgement import NewNeed, Rated, Settling
from reviews.kinds import NeedStatus, Rating
from reviews.outcomes import Decision


def selected(values: dict, block_id: str) -> list[dict]:
    """The options left chosen in a form's multi-select."""
    return values.get(block_id, {}).get("link", {}).get("selected_options") or []


def read_decisions(view: dict, choices: Choices) -> tuple[list[Decision], dict[str, str]]:
    """The facilitator's choices in the agreement modal, or the errors to show in it."""
    values = view["state"]["values"]
    ids_ = [int(block[len("do_") :]) for block in values if block.startswith("do_")]
    choice = {i: values[f"do_{i}"]["do"]["selected_option"]["value"] for i in ids_}
    text = {i: (values[f"text_{i}"]["text"].get("value") or "").strip() for i in ids_}
    links = {i: choices.read(selected(values, f"link_{i}")) for i in ids_}
    errors: dict[str, str] = {}
    merged_into: dict[int, list[int]] = {}
    for i, what in choice.items():
        if what.startswith("merge:"):
            target = int(what.split(":", 1)[1])
            if choice.get(target) != "agree":
                errors[f"do_{i}"] = "Merge into a statement that is agreed."
            merged_into.setdefault(target, []).append(i)
    decisions = []
    for i in ids_:
        if choice[i] != "agree":
            continue
        if not text[i]:
            errors[f"text_{i}"] = "An agreed statement needs some words."
        sources = [i, *merged_into.get(i, [])]
        linked = sorted({indicator for j in sources for indicator in links[j][0]})
        named: dict[str, list[str]] = {}
        for j in sources:
            for kind, keys in links[j][1].items():
                named.setdefault(kind, []).extend(keys)
        decisions.append(Decision(text[i], sources, linked, named))
    if not decisions and ids_:
        errors[f"do_{ids_[0]}"] = "Agree at least one statement."
    return decisions, errors


@dataclass(frozen=True)
class AgreeMeta:
    """What the agreement form carries: its review, the proposals on it, the newest the
    facilitator had seen, and whether the rest are kept for next quarter or dropped."""

    review_id: int
    shown: set[int]
    seen: int | None
    keep_the_rest: bool


def agree_metadata(view: dict) -> AgreeMeta:
    parts = view["private_metadata"].split(":")
    if len(parts) == 2:  # a form opened before the list could be shortlisted
        review_id, shown = parts
        seen, rest = None, "keep"
    else:
        review_id, seen_text, rest, shown = parts
        seen = int(seen_text)
    ids_ = {int(i) for i in shown.split(",") if i}
    return AgreeMeta(int(review_id), ids_, seen, rest != "drop")


def read_shortlist(view: dict) -> tuple[int, int, set[int], dict[str, str]]:
    """The review, the newest proposal seen, the proposals taken onto the agreement form;
    and the errors to show."""
    review_id, _, seen = view["private_metadata"].partition(":")
    values = view["state"]["values"]
    chosen = {
        int(o["value"])
        for block, fields in values.items()
        if block.startswith("shortlist_")
        for o in (fields.get("shortlist") or {}).get("selected_options") or []
    }
    errors = {}
    if not chosen:
        errors["shortlist_0"] = "Take at least one proposal onto the form."
    elif len(chosen) > MAX_MODAL_PROPOSALS:
        errors["shortlist_0"] = (
            f"{len(chosen)} are chosen: at most {MAX_MODAL_PROPOSALS} fit on the form."
        )
    return int(review_id), int(seen), chosen, errors


def read_ratings(values: dict) -> tuple[list[Rated], dict[str, str]]:
    rated, errors = [], {}
    for block, fields in values.items():
        if not block.startswith("rate_"):
            continue
        key = block[len("rate_") :]
        chosen = (fields.get("rating") or {}).get("selected_option")
        if not chosen:
            errors[block] = "Choose a rating."
            continue
        why = (values.get(f"why_{key}", {}).get("why") or {}).get("value") or ""
        outcome_id = None if key == "overall" else int(key)
        rated.append(Rated(outcome_id, Rating(chosen["value"]), why))
    return rated, errors


def read_needs(values: dict) -> tuple[list[NewNeed], dict[str, str]]:
    found, errors = [], {}
    slots = sorted({b.split("_")[1] for b in values if b.startswith("need_")}, key=int)
    for k in slots:
        text = ((values.get(f"need_{k}_text", {}).get("text") or {}).get("value") or "").strip()
        owner = (values.get(f"need_{k}_owner", {}).get("owner") or {}).get("selected_user")
        due_text = (values.get(f"need_{k}_due", {}).get("due") or {}).get("selected_date")
        about = (
            (values.get(f"need_{k}_about", {}).get("about") or {}).get("selected_option") or {}
        ).get("value", "")
        if not text:
            if owner:
                errors[f"need_{k}_text"] = "Say what we need to know, or clear the owner."
            continue
        if not owner:
            errors[f"need_{k}_owner"] = "Who will find this out?"
        due = date.fromisoformat(due_text) if due_text else None
        if due is None:
            errors[f"need_{k}_due"] = "By when?"
        if owner and due:
            kind, _, ident = about.partition(":")
            found.append(
                NewNeed(
                    text,
                    owner,
                    due,
                    outcome_id=int(ident) if kind == "o" else None,
                    indicator_id=int(ident) if kind == "i" else None,
                    field=f"need_{k}",
                )
            )
    return found, errors


def read_earlier(values: dict) -> tuple[dict[int, Settling], dict[str, str]]:
    """Last time's needs as the form settles them, each with what was found (or why it is
    dropped); and the errors, by block, of one settled without a word."""
    choices, errors = {}, {}
    for block, fields in values.items():
        if block.startswith("earlier_"):
            need_id = int(block[len("earlier_") :])
            chosen = (fields.get("choice") or {}).get("selected_option") or {}
            value = chosen.get("value", "keep")
            status = NeedStatus.OPEN if value == "keep" else NeedStatus(value)
            found = ((values.get(f"found_{need_id}") or {}).get("found") or {}).get("value")
            answer = (found or "").strip()
            if status != NeedStatus.OPEN and not answer:
                errors[f"found_{need_id}"] = (
                    "Say what was found out." if status == NeedStatus.DONE else "Say why."
                )
            choices[need_id] = Settling(status, answer or None)
    return choices, errors


def confirm_close(found: Closing) -> list[dict]:
    review, drafted, total = found.review, found.drafted, found.agreed
    if drafted:
        state = (
            f"The judgement of {escape(review.period_label)} is not finished ({drafted} of "
            f"{total} outcomes rated on the form's first pages); closing now keeps those "
            "ratings as drafts, not as the record."
        )
    else:
        state = f"No judgement is recorded for the review of {escape(review.period_label)}."
    return [
        section(
            f"{state} Close it without one? Its outcomes and the needs still open stay as they are."
        ),
        {
            "type": "actions",
            "elements": [
                button("Close without a judgement", ids.CLOSE_REVIEW, str(review.id), "danger"),
                button("Record the judgement", ids.OPEN_JUDGE, str(review.id), "primary"),
            ],
        },
    ]
