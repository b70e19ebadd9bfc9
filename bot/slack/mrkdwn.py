"""User text going back into Slack, and Slack's references coming out of it."""

from __future__ import annotations

import re

from reviews.people import FORMER_NAME, UNNAMED, UNNAMED_NAME, stands_in

_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
_BARE_ID = re.compile(r"^@?([UW][A-Z0-9]{6,})$")


def escape(text: str) -> str:
    """Slack's three control characters, so a pasted `<!channel>` is only text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def refusal(refused) -> str:
    """A domain refusal as Slack shows it: its words escaped (a team someone named "A <b>"
    is only text), the command to run next as `/qpr ...`, and whoever could help instead
    mentioned."""
    said = getattr(refused, "said", None)
    text = escape(said(slash) if said else str(refused))
    ask = getattr(refused, "ask", ())
    if ask:
        text += " Please ask " + ", ".join(f"<@{u}>" for u in ask) + "."
    return text


def mention(user_id: str) -> str:
    """A person as Slack shows them, notified; someone forgotten or past the retention
    period is named as the record names them, as there is nobody to notify."""
    if stands_in(user_id):
        return UNNAMED_NAME if user_id == UNNAMED else FORMER_NAME
    return f"<@{user_id}>"


def mentions_of(user_id: str) -> re.Pattern[str]:
    """How Slack's words refer to a person: `<@U123>`, or `<@U123|name>` as a command with
    escaping delivers it (the words the bot keeps are as Slack sent them)."""
    return re.compile(rf"<@{re.escape(user_id)}(?:\|[^>]*)?>")


def form_error(refused) -> str:
    """A domain refusal beside a form's field, which Slack shows as plain text: no escaping
    and no backticks to show literally, and no mention, which plain text cannot make."""
    said = getattr(refused, "said", None)
    text = said(lambda command: f"/qpr {command}") if said else str(refused)
    return text[:FORM_ERROR]


FORM_ERROR = 150  # characters beside a field: more would crowd the form


def slash(command: str) -> str:
    """A command as a person types it in Slack, shown as code."""
    return f"`/qpr {command}`"


def unescape(text: str) -> str:
    """Message text as Slack delivers it (`&lt;` for <) back to what the person typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def user_id(reference: str) -> str | None:
    """The user id in `<@U123|name>` (as a command with escaping delivers it) or `U123`."""
    for pattern in (_MENTION, _BARE_ID):
        match = pattern.match(reference.strip())
        if match:
            return match.group(1)
    return None
