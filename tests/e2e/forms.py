"""Filling in a modal as a person would: what it shows to begin with, then their changes,
as the `state.values` Slack sends on submission."""

from __future__ import annotations

from typing import Any


def _initial(element: dict) -> dict:
    kind = element["type"]
    state: dict[str, Any] = {"type": kind}
    if kind in ("plain_text_input", "number_input"):
        state["value"] = element.get("initial_value")
    elif kind in ("static_select", "radio_buttons"):
        state["selected_option"] = element.get("initial_option")
    elif kind in ("multi_static_select", "checkboxes"):
        state["selected_options"] = element.get("initial_options", [])
    elif kind == "users_select":
        state["selected_user"] = element.get("initial_user")
    elif kind == "datepicker":
        state["selected_date"] = element.get("initial_date")
    return state


def fill(view: dict, changes: dict[str, Any] | None = None) -> dict:
    """`changes` maps a block id to what the person chose: text, a select's value, a user
    id or a date, or None to clear it."""
    values: dict[str, dict] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        state = _initial(element)
        if changes and block["block_id"] in changes:
            chosen = changes[block["block_id"]]
            kind = element["type"]
            if kind == "plain_text_input":
                state["value"] = chosen
            elif kind in ("static_select", "radio_buttons"):
                state["selected_option"] = None if chosen is None else {"value": chosen}
            elif kind == "multi_static_select":
                state["selected_options"] = [{"value": v} for v in chosen or []]
            elif kind == "users_select":
                state["selected_user"] = chosen
            elif kind == "datepicker":
                state["selected_date"] = chosen
        values[block["block_id"]] = {element["action_id"]: state}
    unknown = set(changes or {}) - set(values)
    assert not unknown, f"the form has no such blocks: {unknown}"
    return values
