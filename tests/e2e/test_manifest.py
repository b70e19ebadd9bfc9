"""manifest.yml installs the app as it is: valid for Slack, and in step with the code."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml

from bot.slack import ids
from bot.slack.listeners import GONE
from tests.conftest import ROOT

MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text())
SCHEMA = json.loads((ROOT / "tests" / "data" / "slack-manifest.schema.v1.json").read_text())

# The bot scope each Web API method needs (None: no scope beyond a bot token).
METHOD_SCOPES = {
    "auth.test": None,
    "chat.postMessage": "chat:write",
    "chat.postEphemeral": "chat:write",
    "chat.update": "chat:write",
    "reactions.add": "reactions:write",
    "views.open": None,
    "views.update": None,
    "views.publish": None,
    "files.upload_v2": "files:write",  # files.getUploadURLExternal + completeUploadExternal
    "users.info": "users:read",
    "conversations.replies": "channels:history",  # looking for a post made before a crash
}
EVENT_SCOPES = {
    "app_home_opened": None,
    "app_uninstalled": None,
    "tokens_revoked": None,
    "message.channels": "channels:history",
    "message.groups": "groups:history",
    "reaction_added": "reactions:read",
    "reaction_removed": "reactions:read",
}
EVENT_TYPES = {"message.channels": "message", "message.groups": "message"}


LISTENERS = (ROOT / "bot" / "slack" / "listeners" / "__init__.py").read_text()


def events_listened() -> set[str]:
    """Event types register() wires: `app.event("x")`, `app.event({"type": "x", ...})` and
    `app.message(...)`, read from its source so that a new listener cannot be missed; and
    those the inbox keeps whole, with no listener (Slack saying it no longer has the app)."""
    found = set(re.findall(r'app\.event\(\s*(?:\{\s*"type":\s*)?"([a-z_]+)"', LISTENERS))
    found |= GONE
    if "app.message(" in LISTENERS:
        found.add("message")
    return found


def methods_called() -> set[str]:
    """Web API methods the code calls, from `client.chat_postMessage(` and the like."""
    found = set()
    for path in [*(ROOT / "bot").rglob("*.py"), *(ROOT / "reviews").rglob("*.py")]:
        if path.name == "standin.py":
            continue
        for name in re.findall(r"client\.([a-z]+_[A-Za-z0-9_]+)\(", path.read_text()):
            family, _, method = name.partition("_")
            found.add(f"{family}.{method}")
    return found


# Block Kit elements that need a scope of their own.
ELEMENT_SCOPES = {"file_input": "files:read"}


def elements_used() -> set[str]:
    found = set()
    for path in (ROOT / "bot" / "slack" / "blocks").rglob("*.py"):
        found |= {e for e in ELEMENT_SCOPES if f'"type": "{e}"' in path.read_text()}
    return found


def test_the_manifest_is_valid_against_slacks_schema():
    errors = [e.message for e in jsonschema.Draft7Validator(SCHEMA).iter_errors(MANIFEST)]
    assert errors == []


def test_the_command_in_the_manifest_is_the_one_the_code_answers():
    commands = [c["command"] for c in MANIFEST["features"]["slash_commands"]]
    assert commands == [ids.COMMAND]


def test_the_manifest_subscribes_to_exactly_the_events_the_code_handles():
    declared = MANIFEST["settings"]["event_subscriptions"]["bot_events"]
    listened = events_listened()
    assert listened >= {"message", "reaction_added"}, "the source search itself is broken"
    assert {EVENT_TYPES.get(e, e) for e in declared} == listened


def test_requests_go_where_the_app_listens_and_mentions_arrive_escaped():
    url = "/slack/events"
    settings = MANIFEST["settings"]
    assert settings["event_subscriptions"]["request_url"].endswith(url)
    assert settings["interactivity"]["request_url"].endswith(url)
    # Buttons and modals need interactivity; `facilitators add @someone` needs mentions
    # delivered as user ids.
    assert settings["interactivity"]["is_enabled"] == ("app.action(" in LISTENERS)
    (command,) = MANIFEST["features"]["slash_commands"]
    assert command["url"].endswith(url) and command["should_escape"] is True


def test_the_home_tab_is_on_exactly_when_the_code_publishes_one():
    home = MANIFEST["features"]["app_home"]["home_tab_enabled"]
    assert home == ("app_home_opened" in events_listened()) == ("views.publish" in methods_called())


def test_the_scopes_cover_what_the_code_does_and_no_more():
    declared = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    called = methods_called()
    assert called, "no Web API calls found: the search itself is broken"
    unknown = called - set(METHOD_SCOPES)
    assert not unknown, f"add these methods and their scopes to METHOD_SCOPES: {unknown}"
    needed = {METHOD_SCOPES[m] for m in called} | {ELEMENT_SCOPES[e] for e in elements_used()}
    needed |= {EVENT_SCOPES[e] for e in MANIFEST["settings"]["event_subscriptions"]["bot_events"]}
    needed = (needed - {None}) | {"commands"}
    assert declared == needed


@pytest.mark.parametrize(
    "event",
    [
        {
            "type": "message",
            "channel": "C1",
            "user": "U1",
            "text": "hi",
            "ts": "1.1",
            "channel_type": "channel",
        },
        {
            "type": "message",
            "channel": "G1",
            "user": "U1",
            "text": "hi",
            "ts": "1.1",
            "channel_type": "group",
        },
        {
            "type": "reaction_added",
            "user": "U1",
            "reaction": "+1",
            "item": {"type": "message", "channel": "C1", "ts": "1.1"},
        },
        {
            "type": "reaction_removed",
            "user": "U1",
            "reaction": "+1",
            "item": {"type": "message", "channel": "C1", "ts": "1.1"},
        },
        {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"},
        {"type": "app_uninstalled"},
        {"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}},
    ],
)
def test_every_subscribed_event_has_a_listener(slack, event):
    assert slack.event(event)[0] == 200


def test_an_event_the_app_does_not_subscribe_to_finds_no_listener(slack):
    status, _ = slack.event(
        {"type": "app_mention", "user": "U1", "text": "hi", "ts": "1.1", "channel": "C1"}
    )
    assert status == 404
