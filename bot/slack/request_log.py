"""One log line a request: its kind (a command and its verb, an event type, an action or
form id) and the id Slack gave it (event id, view id or trigger id), never what anyone
wrote. A failed listener is logged the same way, by the kind of failure alone."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection

from bot.slack import ids

log = logging.getLogger(__name__)


def describe(body: dict, known_verbs: Collection[str] = ()) -> tuple[str, str]:
    """(kind, Slack's id) of a request body, in words safe for a log."""
    if body.get("type") == "event_callback":
        event = body.get("event") or {}
        kind = f"event {event.get('type', '?')}"
        if event.get("subtype"):
            kind += f"/{event['subtype']}"
        return kind, str(body.get("event_id") or "-")
    if "command" in body:
        words = (body.get("text") or "").split()
        verb = words[0].lower() if words else "help"
        # An unknown verb could be anything a person typed: it is not repeated.
        return f"command {body['command']} {verb if verb in known_verbs else '(other)'}", str(
            body.get("trigger_id") or "-"
        )
    kind = str(body.get("type") or "request")
    if kind == "block_actions":
        actions = body.get("actions") or [{}]
        action = actions[0].get("action_id", "?")
        # A pulse answer's action id is its score: the log says only that one was given.
        action = "pulse" if action in ids.PULSE_ANSWERS else action
        return f"action {action}", str(body.get("trigger_id") or "-")
    if kind in ("view_submission", "view_closed"):
        view = body.get("view") or {}
        return f"{kind} {view.get('callback_id', '?')}", str(view.get("id") or "-")
    return kind, str(body.get("trigger_id") or body.get("event_id") or "-")


def request_logger(known_verbs: Collection[str]) -> Callable:
    """A Bolt middleware that logs each request as it arrives, then passes it on."""

    def log_request(body, req, next):
        kind, ident = describe(body, known_verbs)
        retry = (req.headers.get("x-slack-retry-num") or [None])[0] if req else None
        log.info("%s %s%s", kind, ident, f" (retry {retry})" if retry else "")
        next()

    return log_request


def on_error(error, body, logger) -> None:
    kind, ident = describe(body)
    log.error("listener failed: %s (%s %s)", type(error).__name__, kind, ident)
