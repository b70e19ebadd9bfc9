"""Choosing what bears on an outcome: one multi-select of the team's indicators, complaint
categories, view themes and survey questions, grouped by kind, with the suggestions chosen
to start with and their reasons in the hint. Used by the agreement form and by the form that
changes an agreed outcome's links later."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from bot.slack import ids
from bot.slack.blocks.kit import context, option, short
from reviews.cases.agree import Linkable
from reviews.evidence.model import Suggestion
from reviews.evidence.relevance import COMPLAINT_CATEGORY, INDICATOR, SURVEY_QUESTION, VIEW_THEME
from storage.models import OutcomeStatement, Review

MAX_OPTIONS = 100  # Slack's most for one select, across its groups
GROUPS = (
    (INDICATOR, "i", "Indicators"),
    (COMPLAINT_CATEGORY, "c", "Complaints about"),
    (VIEW_THEME, "v", "User views on"),
    (SURVEY_QUESTION, "s", "Survey questions"),
)


def _value(prefix: str, key: str) -> str:
    # Slack allows 150 characters in an option's value; a survey question can be longer.
    return f"{prefix}:{hashlib.sha1(key.encode()).hexdigest()[:16]}"


@dataclass
class Choices:
    """The options of the team's evidence, and what each option's value stands for."""

    groups: list[dict] = field(default_factory=list)
    means: dict[str, tuple[str, str]] = field(default_factory=dict)  # value: (kind, key)
    by_key: dict[tuple[str, str], dict] = field(default_factory=dict)  # (kind, key): option

    @classmethod
    def of(cls, linkable: Linkable) -> Choices:
        indicators, names = linkable.indicators, linkable.names
        found = cls()
        room = MAX_OPTIONS
        for kind, prefix, label in GROUPS:
            if kind == INDICATOR:
                entries = [(i.code, f"{i.code}: {i.title}", f"i:{i.id}") for i in indicators]
            else:
                entries = [(n, n, _value(prefix, n)) for n in names.get(kind, [])]
            options = []
            for key, text, value in entries[:room]:
                made = option(short(text, 75), value)
                options.append(made)
                found.means[value] = (kind, key)
                found.by_key[(kind, key)] = made
            room -= len(options)
            if options:
                found.groups.append(
                    {"label": {"type": "plain_text", "text": label}, "options": options}
                )
        return found

    def chosen(self, keys: set[tuple[str, str]]) -> list[dict]:
        return [o for k, o in self.by_key.items() if k in keys]

    def read(self, selected: list[dict]) -> tuple[list[int], dict[str, list[str]]]:
        """(indicator ids, {kind: [key, ...]}) of the options a person left chosen."""
        indicator_ids: list[int] = []
        named: dict[str, list[str]] = {}
        for picked in selected:
            value = picked["value"]
            if value.startswith("i:"):
                indicator_ids.append(int(value[2:]))
            elif value in self.means:
                kind, key = self.means[value]
                named.setdefault(kind, []).append(key)
        return indicator_ids, named


def reasons(suggestions: list[Suggestion]) -> str | None:
    """Why the suggestions are chosen to start with, for the select's hint."""
    if not suggestions:
        return None
    said = "; ".join(f"{short(s.key, 60)} ({s.reason})" for s in suggestions)
    return short(f"Suggested: {said}. Keep or clear each.", 2000)


def links_block(
    block_id: str,
    label: str,
    choices: Choices,
    keys: set[tuple[str, str]],
    hint: str | None = None,
) -> dict:
    element = {
        "type": "multi_static_select",
        "action_id": "link",
        "option_groups": choices.groups,
        "placeholder": {"type": "plain_text", "text": "Choose what bears on it"},
    }
    chosen = choices.chosen(keys)
    if chosen:
        element["initial_options"] = chosen
    block = {
        "type": "input",
        "block_id": block_id,
        "optional": True,
        "label": {"type": "plain_text", "text": short(label, 2000)},
        "element": element,
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def linked_keys(links: dict[str, list[str]]) -> set[tuple[str, str]]:
    return {(kind, key) for kind, keys in links.items() for key in keys}


def links_modal(
    review: Review,
    outcomes: list[tuple[OutcomeStatement, dict[str, list[str]], list[Suggestion]]],
    choices: Choices,
) -> dict:
    """Each agreed outcome with what it is linked to now, to change; suggestions not yet
    linked are named in the hint but not chosen."""
    blocks: list[dict] = [
        context(
            "Change what each outcome is linked to. The evidence is posted again in the "
            "thread when you save."
        )
    ]
    for index, (outcome, links, suggested) in enumerate(outcomes[:90], start=1):
        blocks.append(
            links_block(
                f"link_{outcome.id}",
                f"{index}. {short(outcome.text, 150)}",
                choices,
                linked_keys(links),
                reasons(suggested),
            )
        )
    return {
        "type": "modal",
        "callback_id": ids.LINKS_VIEW,
        "private_metadata": str(review.id),
        "title": {"type": "plain_text", "text": "Link the evidence"},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }
