"""Small Block Kit builders, cut to Slack's limits."""

from __future__ import annotations

MAX_TEXT = 3000


def section(text: str, **extra) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:MAX_TEXT]}, **extra}


def context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:MAX_TEXT]}]}


def header(text: str) -> dict:
    return {"type": "header", "text": {"type": "plain_text", "text": text[:150]}}


def plain(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def button(
    text: str, action_id: str, value: str, style: str | None = None, confirm: dict | None = None
) -> dict:
    found = {
        "type": "button",
        "text": plain(text[:75]),
        "action_id": action_id,
        "value": value,
    }
    if style:
        found["style"] = style
    if confirm:
        found["confirm"] = confirm
    return found


def option(text: str, value: str) -> dict:
    return {"text": plain(text[:75]), "value": value}


def short(text: str, limit: int = 300) -> str:
    """Enough of a text to recognise it."""
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
