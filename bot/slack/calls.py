"""Small conversations with Slack that every part of the adapter has: what Slack said when
it refused, a message only one person sees, and a button that opens a form."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk.errors import SlackApiError

from bot.slack.mrkdwn import refusal
from reviews.errors import QprError

log = logging.getLogger(__name__)


def slack_error(exc: SlackApiError) -> str:
    """What Slack said, without anything a user wrote."""
    return str(exc.response.get("error", "unknown_error")) if exc.response else "no_response"


def tell(client, channel: str, user: str, text: str) -> None:
    """A message only this user sees; if Slack refuses it there is no one left to tell."""
    try:
        client.chat_postEphemeral(channel=channel, user=user, text=text)
    except SlackApiError as exc:
        log.warning("could not tell a user something: %s", slack_error(exc))


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
            message = refusal(refused)
        if message:
            tell(client, channel, user, message)

    return on_click


def open_form(client, trigger_id: str, view: dict) -> str | None:
    """Open a modal; None, or what to tell the person when Slack would not."""
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        return f"Slack would not open the form ({slack_error(exc)}): please try again."
    return None


def form_command(opener: Callable) -> Callable:
    """A `/qpr` verb that opens a form: `opener(deps, client, channel, user, trigger_id)`
    opens it, or returns what to say instead."""

    def command(call) -> None:
        message = opener(call.deps, call.client, call.channel, call.user, call.trigger_id)
        if message:
            call.respond(message)

    return command
