"""What every listener needs: the database, the settings, and a pool for work done after
Slack has its acknowledgement."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from slack_sdk.errors import SlackApiError

from bot.config import Settings
from reviews.errors import QprError
from storage.db import SessionFactory

log = logging.getLogger("qpr.bot")
# This process, as it signs its claims on shared work (reminders, owed posts).
INSTANCE = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class Deps:
    factory: SessionFactory
    settings: Settings
    # Bolt's own listener threads only acknowledge; the work queues here, so a burst of
    # events never keeps a command waiting for its acknowledgement.
    work: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=4, thread_name_prefix="qpr-work")
    )

    def later(self, fn: Callable, *args) -> None:
        self.work.submit(_logged, fn, *args)


def _logged(fn: Callable, *args) -> None:
    try:
        fn(*args)
    except Exception as exc:
        # The kind of failure only: a message could carry what people wrote.
        log.error("background work failed: %s in %s", type(exc).__name__, fn.__name__)


def in_background(deps: Deps, fn: Callable) -> Callable:
    """An event listener that queues `fn(body, event, client)` and returns at once."""

    def listener(body, event, client):
        deps.later(fn, body, event, client)

    return listener


def slack_error(exc: SlackApiError) -> str:
    """What Slack said, without anything a user wrote."""
    return str(exc.response.get("error", "unknown_error")) if exc.response else "no_response"


def modal_button(opener: Callable) -> Callable:
    """A button that opens a form: `opener(client, channel, user, trigger_id, review_id)`
    opens it, or returns (or raises) what to tell the person instead."""
    def on_click(ack, body, client):
        ack()
        channel, user = body["channel"]["id"], body["user"]["id"]
        try:
            message = opener(
                client, channel, user, body["trigger_id"], int(body["actions"][0]["value"])
            )
        except QprError as refused:
            message = str(refused)
        if message:
            tell(client, channel, user, message)

    return on_click


def tell(client, channel: str, user: str, text: str) -> None:
    """A message only this user sees; if Slack refuses it there is no one left to tell."""
    try:
        client.chat_postEphemeral(channel=channel, user=user, text=text)
    except SlackApiError as exc:
        log.warning("could not tell a user something: %s", slack_error(exc))
