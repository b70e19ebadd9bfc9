"""What is not a well-formed, signed request from Slack is refused with the status that
says why (401, 400, 405, 413), never a 500, never acted on, and its body never logged."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.base.wording import SOMETHING_WENT_WRONG
from tests.e2e.conftest import CHANNEL, SECRET
from tests.helpers.slack import eventually

FORM = "application/x-www-form-urlencoded"
WORDS = "Mrs Jones at 14 Acacia Avenue"


def send(
    url: str,
    body: bytes,
    content_type: str = FORM,
    *,
    stamp: str | None = None,
    secret: str = SECRET,
    method: str = "POST",
    signed: bool = True,
) -> int:
    stamp = str(int(time.time())) if stamp is None else stamp
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp}
    if signed:
        base = b"v0:" + stamp.encode() + b":" + body
        digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
        headers["X-Slack-Signature"] = f"v0={digest}"
    request = urllib.request.Request(
        url, data=body if method == "POST" else None, method=method, headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def command(text: str, answer_at: str = "http://127.0.0.1:9/") -> bytes:
    """A `/qpr` command's form body, answered at `answer_at` (the stand-in Slack's URL where
    the test waits for the answer)."""
    return urlencode(
        {
            "command": "/qpr",
            "text": text,
            "user_id": "UANN",
            "channel_id": CHANNEL,
            "team_id": "T0",
            "trigger_id": "trigger-x",
            "response_url": f"{answer_at}respond/x",
        }
    ).encode()


def test_bad_signatures_and_timestamps_are_401(slack):
    url, good = slack.url, command("help", slack.fake.url)
    assert send(url, good) == 200
    assert send(url, good, signed=False) == 401
    assert send(url, good, secret="forged") == 401
    assert send(url, good, stamp="soon") == 401
    assert send(url, good, stamp="") == 401
    assert send(url, good, stamp=str(int(time.time()) - 3600)) == 401
    slack.fake.wait_for("respond/x")
    time.sleep(0.2)
    assert len(slack.fake.calls("respond/x")) == 1  # the signed one only


def test_malformed_bodies_are_400_and_never_acted_on(slack, caplog):
    caplog.set_level(logging.INFO)
    url = slack.url
    before = len(slack.fake.calls())
    for body, content_type in (
        (b"{not json", "application/json"),
        (b"[1, 2, 3]", "application/json"),
        (b'"a string"', "application/json"),
        (b"\xff\xfe\x00binary", FORM),
        (urlencode({"payload": "{not json " + WORDS}).encode(), FORM),
        (urlencode({"payload": json.dumps([WORDS])}).encode(), FORM),
        (urlencode({"text": WORDS}).encode(), FORM),
        (command(WORDS), "text/plain"),
    ):
        assert send(url, body, content_type) == 400, body
    assert send(url, b"", FORM, method="GET") == 405
    assert len(slack.fake.calls()) == before  # nothing was done for any of them
    assert WORDS not in caplog.text and "{not json" not in caplog.text


def test_a_body_larger_than_slack_sends_is_413_and_not_logged(slack, caplog):
    caplog.set_level(logging.DEBUG)
    before = len(slack.fake.calls())
    huge = command("status " + WORDS + " x" * 1_000_000)
    assert send(slack.url, huge) == 413
    assert send(slack.url, huge, signed=False) == 413  # refused before it is even read
    assert len(slack.fake.calls()) == before
    assert WORDS not in caplog.text and len(caplog.text) < 10_000


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=st.binary(max_size=400) | st.text(max_size=200).map(str.encode),
    content_type=st.sampled_from([FORM, "application/json", "text/plain", ""]),
)
def test_any_signed_body_gets_an_answer_that_is_not_a_server_error(slack, body, content_type):
    assert send(slack.url, body, content_type) in (200, 400, 404)


VERBS = ["setup", "start", "status", "outcomes", "agree", "judge", "links", "needs", "schedule"]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    verb=st.sampled_from([*VERBS, "facilitators add", "close", "report", ""]),
    rest=st.text(max_size=80),
)
def test_any_command_text_is_answered_in_words_and_never_fails(slack, verb, rest):
    before = len(slack.fake.calls())
    status, _ = slack.command(f"{verb} {rest}".strip())
    assert status == 200
    answered = eventually(
        lambda: [
            c
            for c in slack.fake.calls()[before:]
            if c.method.startswith("respond/") or c.method in ("views.open", "chat.postMessage")
        ]
    )
    said = " ".join(str(c.params.get("text", "")) for c in answered)
    assert SOMETHING_WENT_WRONG not in said
