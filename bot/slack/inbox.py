"""Requests are kept before Slack hears its 200: a Bolt middleware writes each to the inbox
(one short insert) and answers; the worker does the rest. A request Slack delivers again
(a retry, another instance) finds its key taken and is answered without being kept twice.
What must answer in the same breath (a form's trigger lasts 3 seconds), and what needs no
answer, goes on to the listeners as before."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable

import sqlalchemy as sa
from slack_bolt import BoltResponse

from bot.base.logs import kind
from bot.slack.deps import Deps
from storage import inbox

log = logging.getLogger(__name__)
# Which handler works a request, and its lane (worked in order); None if it is not kept.
Route = Callable[[dict], "tuple[str, str | None] | None"]
NOT_KEPT = (
    "The bot cannot reach its database just now, so nothing was done. Please try again in a minute."
)


def key_of(body: dict, raw: str) -> str:
    """Slack's event id, the same on every delivery of an event; otherwise the request's
    own hash (commands and clicks are not retried, and each carries its own trigger)."""
    event_id = body.get("event_id")
    return f"e:{event_id}" if event_id else "h:" + hashlib.sha256(raw.encode()).hexdigest()


def keeping(deps: Deps, route: Route) -> Callable:
    def keep(body: dict, next: Callable):
        found = route(body)
        if found is None:
            return next()
        handler, lane = found
        raw = json.dumps(body, separators=(",", ":"), sort_keys=True)
        try:
            deps.intake.keep(inbox.Request(key_of(body, raw), handler, lane, raw))
        except sa.exc.SQLAlchemyError as exc:
            log.error("request not kept (%s): %s", handler, kind(exc))
            if body.get("command"):
                return BoltResponse(
                    status=200,
                    body=json.dumps({"response_type": "ephemeral", "text": NOT_KEPT}),
                    headers={"content-type": "application/json"},
                )
            # Not acknowledged, so Slack delivers the event again.
            return BoltResponse(status=503, body="")
        deps.wake()
        return BoltResponse(status=200, body="")

    return keep
