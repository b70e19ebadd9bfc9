"""Slack's Block Kit limits, as `slack-platform-facts.md` lists them, checked on a whole
view or message: slack_sdk checks only some of them, and none on plain dicts."""

from __future__ import annotations


def problems(blocks: list[dict], surface: str) -> list[str]:
    found = []
    most = 100 if surface in ("modal", "home") else 50
    if len(blocks) > most:
        found.append(f"{len(blocks)} blocks on a {surface}")
    ids = [b["block_id"] for b in blocks if "block_id" in b]
    if len(ids) != len(set(ids)):
        found.append("a block_id is used twice")
    for block in blocks:
        found += _block(block)
    return found


def _text(obj: dict | None, limit: int, where: str) -> list[str]:
    if obj and len(obj.get("text", "")) > limit:
        return [f"{where}: {len(obj['text'])} characters (limit {limit})"]
    return []


def _options(element: dict) -> list[dict]:
    groups = element.get("option_groups")
    if groups:
        return [o for g in groups for o in g["options"]]
    return element.get("options", [])


def _block(block: dict) -> list[str]:
    kind = block["type"]
    found = []
    if len(block.get("block_id", "")) > 255:
        found.append("block_id over 255")
    if kind == "section":
        found += _text(block.get("text"), 3000, "section text")
        if "accessory" in block:
            found += _element(block["accessory"])
    elif kind == "header":
        found += _text(block["text"], 150, "header")
    elif kind == "context":
        if len(block["elements"]) > 10:
            found.append("context with over 10 elements")
        for element in block["elements"]:
            found += _text(element, 3000, "context text")
    elif kind == "actions":
        if len(block["elements"]) > 25:
            found.append("actions with over 25 elements")
        for element in block["elements"]:
            found += _element(element)
    elif kind == "input":
        found += _text(block["label"], 2000, "input label")
        found += _text(block.get("hint"), 2000, "input hint")
        found += _element(block["element"])
    return found


def _element(element: dict) -> list[str]:
    found = []
    kind = element["type"]
    if len(element.get("action_id", "")) > 255:
        found.append("action_id over 255")
    if kind == "button":
        found += _text(element["text"], 75, "button text")
        if len(element.get("value", "")) > 2000:
            found.append("button value over 2000")
    if kind == "plain_text_input":
        most = element.get("max_length", 3000)
        if not 1 <= most <= 3000:
            found.append(f"max_length {most}")
        if len(element.get("initial_value", "")) > most:
            found.append("initial_value longer than max_length")
    options = _options(element)
    if len(options) > 100:
        found.append(f"{len(options)} options")
    if len(element.get("option_groups", [])) > 100:
        found.append("over 100 option groups")
    for option in options:
        found += _text(option["text"], 75, "option text")
        if len(option["value"]) > 150:
            found.append("option value over 150")
    if "placeholder" in element:
        found += _text(element["placeholder"], 150, "placeholder")
    return found
