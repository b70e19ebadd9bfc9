"""The server's log says what kind of request came and Slack's id for it, never what anyone
wrote: not a reply's text, not an unknown command's words, not a refused request's body."""

from __future__ import annotations

import logging

from tests.helpers.slack import eventually

SECRET_WORDS = "Mrs Jones at 14 Acacia Avenue"


def test_each_request_is_logged_by_kind_and_id_without_peoples_words(slack, caplog):
    caplog.set_level(logging.INFO)
    slack.event(
        {
            "type": "message",
            "channel": "C0TEAM",
            "user": "UANN",
            "text": SECRET_WORDS,
            "ts": "100.1",
            "thread_ts": "100.0",
        },
        event_id="EvLOGGED1",
    )
    slack.command(f"frobnicate {SECRET_WORDS}", user="UANN")
    slack.command("status", user="UANN")
    slack.click("need_done", "1", user="UANN", message_ts="1.1")
    status, _ = slack.post('{"type": "event_callback"}', "application/json", secret="forged")
    assert status == 401
    lines = eventually(lambda: caplog.text if caplog.text.count("/slack/events") >= 5 else None)
    assert "event message EvLOGGED1" in lines
    assert "command /qpr (other) trigger-" in lines
    assert "command /qpr status trigger-" in lines
    assert "action need_done trigger-" in lines
    assert "POST /slack/events 401" in lines and "POST /slack/events 200" in lines
    assert SECRET_WORDS not in lines and "frobnicate" not in lines
