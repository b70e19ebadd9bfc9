"""A stand-in for Slack's Web API on a loopback port: answers like Slack, records every call.

The tests and benchmarks use it, and so does the demo, where no workspace is at hand. Point
the app at `url` (SLACK_API_URL). `calls(method)` lists what was sent, with form,
JSON or query parameters parsed. `fail_next(method, ...)` makes the next call of a method
answer with a rate limit (429 and Retry-After) or a Slack error; `slow(method, seconds)`
makes Slack take its time over a method (it has the call at once, the app hears later).
`conversations.replies` answers with what the app posted in the thread, metadata and all.
`SlackUser` plays the other side: the signed requests Slack sends the app when people use
it.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlparse

BOT_USER = "UQPRBOT"
BOT_ID = "BQPRBOT"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


class FakeSlack:
    def __init__(self) -> None:
        self._calls: list[Call] = []
        self._lock = threading.Lock()
        self._failures: dict[str, list[tuple[int, dict, dict]]] = {}
        self._ts = itertools.count(1)
        self._files = itertools.count(1)
        # users.info answers from here: {user id: name}.
        self.people: dict[str, str] = {}
        self._slow: dict[str, float] = {}
        # Where apps.connections.open sends a Socket Mode app (a WebSocket stand-in's, in tests).
        self.socket_url = "wss://wss-primary.slack.com/link/?ticket=standin"
        self._posted: list[dict] = []  # messages as conversations.replies gives them
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        # Looked at often, so that stopping it (after each test) takes a moment, not half a
        # second.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> FakeSlack:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def forget(self) -> None:
        """Back to a Slack that has heard nothing, on the same address (a module of tests
        shares one stand-in; each test starts from this)."""
        with self._lock:
            self._calls.clear()
            self._failures.clear()
            self._slow.clear()
            self._posted.clear()
            self.people.clear()
            self._ts = itertools.count(1)
            self._files = itertools.count(1)

    def calls(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def posts(self) -> list[dict]:
        """What the app asked to post in a conversation, in order, refused or not: each
        chat.postMessage's parameters, and each file share's (its files with the message
        its blocks make), in the same shape."""
        found = []
        for call in self.calls():
            params = call.params
            if call.method == "chat.postMessage":
                found.append(params)
            elif call.method == "files.completeUploadExternal" and params.get("channel_id"):
                found.append(_as_shared(params))
        return found

    def wait_for(self, method: str, count: int = 1, timeout: float = 20.0) -> list[Call]:
        """The calls of a method, once there are at least `count` (events run after the ack)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.calls(method)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        seen = [c.method for c in self.calls()]
        raise AssertionError(
            f"expected {count} call(s) of {method}, got {len(self.calls(method))}; calls: {seen}"
        )

    def fail_next(
        self,
        method: str,
        *,
        status: int = 200,
        error: str = "ratelimited",
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        with self._lock:
            self._failures.setdefault(method, []).extend(
                [(status, {"ok": False, "error": error}, headers)] * times
            )

    def slow(self, method: str, seconds: float) -> None:
        """Answer each call of `method` only after `seconds` (0: at once again)."""
        with self._lock:
            self._slow[method] = seconds

    def _answer(self, method: str, params: dict) -> tuple[int, dict, dict]:
        with self._lock:
            self._calls.append(Call(method, params))
            pending = self._failures.get(method)
            if pending:
                return pending.pop(0)
            ts = f"{1700000000 + next(self._ts)}.000100"
            channel = params.get("channel") or params.get("channel_id") or "C0"
            if method == "chat.postMessage":
                self._posted.append(_as_posted(params, channel, ts))
            uploading = method == "files.getUploadURLExternal"
            file_id = f"F{next(self._files)}" if uploading else ""
            files = _files_of(params) if method == "files.completeUploadExternal" else []
            if method == "files.completeUploadExternal":
                refused = _refused_with_files(params)
                if refused:
                    return 200, {"ok": False, "error": "invalid_blocks", "errors": refused}, {}
                if params.get("channel_id"):  # shared: a message of its own
                    self._posted.append(_as_posted(params, channel, ts) | _as_shared(params))
            if method == "conversations.replies":
                return 200, self._replies(params), {}
            delay = self._slow.get(method, 0)
        if delay:
            time.sleep(delay)
        user = params.get("user")
        known = self.people.get(user) if user is not None else None
        answers: dict[str, dict[str, Any]] = {
            "auth.test": {
                "url": "https://qpr.slack.com/",
                "team": "QPR",
                "user": "qpr",
                "team_id": "T0",
                "user_id": BOT_USER,
                "bot_id": BOT_ID,
            },
            "chat.postMessage": {
                "channel": channel,
                "ts": ts,
                "message": {"text": params.get("text"), "ts": ts},
            },
            "chat.postEphemeral": {"message_ts": ts},
            "chat.update": {"channel": channel, "ts": params.get("ts")},
            "views.open": {"view": {"id": "V1"}},
            "views.update": {"view": {"id": "V1"}},
            "views.publish": {"view": {"id": "V1"}},
            "users.info": {
                "user": {
                    "id": user,
                    "name": user if known is None else known,
                    "profile": {"display_name": known or ""},
                }
            },
            "conversations.open": {"channel": {"id": "D1"}},
            "apps.connections.open": {"url": self.socket_url},
            "files.getUploadURLExternal": {
                "upload_url": f"{self.url}upload/{file_id}",
                "file_id": file_id,
            },
            "files.completeUploadExternal": {"files": files},
        }
        return 200, {"ok": True, **answers.get(method, {})}, {}

    def _replies(self, params: dict) -> dict:
        thread = params.get("ts")
        found = [
            m
            for m in self._posted
            if m["channel"] == params.get("channel") and thread in (m["ts"], m.get("thread_ts"))
        ]
        if not params.get("include_all_metadata"):
            found = [{k: v for k, v in m.items() if k != "metadata"} for m in found]
        return {"ok": True, "messages": found, "has_more": False}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # the tests read calls(), not a log
                pass

            def _params(self) -> dict:
                url = urlparse(self.path)
                params: dict[str, Any] = {k: v[0] for k, v in parse_qs(url.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if url.path.startswith("/upload/"):
                    # files_upload_v2 sends the file's bytes, with a form content type.
                    params["_body"] = raw
                elif raw.startswith(b"{"):
                    params.update(json.loads(raw))
                elif raw and "form" in (self.headers.get("Content-Type") or ""):
                    params.update({k: v[0] for k, v in parse_qs(raw.decode()).items()})
                elif raw:
                    params["_body"] = raw
                return params

            def _reply(self):
                method = urlparse(self.path).path.strip("/")
                status, body, headers = fake._answer(method, self._params())
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = _reply
            do_POST = _reply

        return Handler


def _files_of(params: dict) -> list[dict]:
    files = params.get("files") or "[]"
    return json.loads(files) if isinstance(files, str) else files


def _as_shared(params: dict) -> dict:
    """A file share's message, in the shape of chat.postMessage's parameters: its comment
    as its text, its blocks, and its files."""
    shared = {
        "channel": params["channel_id"],
        "text": params.get("initial_comment", ""),
        "files": _files_of(params),
    }
    if params.get("thread_ts"):
        shared["thread_ts"] = params["thread_ts"]
    if params.get("blocks"):
        shared["blocks"] = _parsed(params["blocks"])
    return shared


def _refused_with_files(params: dict) -> list[str]:
    """What Slack says of blocks it will not show with a file share: a markdown block, which
    chat.postMessage takes, is refused there."""
    blocks = _parsed(params.get("blocks")) or []
    return [
        f"unsupported type: markdown [json-pointer:/blocks/{n}]"
        for n, block in enumerate(blocks)
        if block.get("type") == "markdown"
    ]


def _parsed(value):
    return json.loads(value) if isinstance(value, str) else value


def _as_posted(params: dict, channel: str, ts: str) -> dict:
    metadata = _parsed(params.get("metadata"))
    message = {
        "type": "message",
        "channel": channel,
        "ts": ts,
        "text": params.get("text", ""),
        "bot_id": BOT_ID,
        "user": BOT_USER,
    }
    if params.get("thread_ts"):
        message["thread_ts"] = params["thread_ts"]
    if metadata:
        message["metadata"] = metadata
    if params.get("blocks"):
        message["blocks"] = _parsed(params["blocks"])
    return message


class SlackUser:
    """Sends what Slack would send to the app when people use it, signed with the app's
    signing secret: commands, events, button clicks and form submissions."""

    def __init__(self, url: str, fake: FakeSlack, secret: str, channel: str):
        self.url = url
        self.fake = fake
        self.secret = secret
        self.channel = channel
        self._ids = itertools.count(1)
        self.statuses: list[int] = []

    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str | None = None,
        headers: dict | None = None,
    ) -> tuple[int, str]:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        signature = (
            "v0="
            + hmac.new(
                (secret or self.secret).encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256
            ).hexdigest()
        )
        request = urllib.request.Request(
            self.url,
            data=body.encode(),
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": signature,
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                answer = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            answer = error.code, error.read().decode()
        self.statuses.append(answer[0])
        return answer

    def command(self, text: str, user: str = "UFAC", channel: str | None = None) -> tuple[int, str]:
        channel = channel or self.channel
        n = next(self._ids)
        form = {
            "command": "/qpr",
            "text": text,
            "user_id": user,
            "channel_id": channel,
            "team_id": "T0",
            "response_url": f"{self.fake.url}respond/{n}",
            "trigger_id": f"trigger-{n}",
        }
        return self.post(urlencode(form), "application/x-www-form-urlencoded")

    def event(
        self, event: dict, *, event_id: str | None = None, headers: dict | None = None
    ) -> tuple[int, str]:
        envelope = {
            "type": "event_callback",
            "team_id": "T0",
            "api_app_id": "A0",
            "event_id": event_id or f"Ev{next(self._ids)}",
            "event_time": 1,
            "event": event,
            "authorizations": [{"team_id": "T0", "user_id": "UQPRBOT", "is_bot": True}],
        }
        return self.post(json.dumps(envelope), "application/json", headers=headers)

    def interact(self, payload: dict) -> tuple[int, str]:
        return self.post(
            "payload=" + quote(json.dumps(payload)), "application/x-www-form-urlencoded"
        )

    def click(
        self, action_id: str, value: str, *, user: str, message_ts: str, channel: str | None = None
    ) -> tuple[int, str]:
        action = {"action_id": action_id, "block_id": "b", "value": value, "type": "button"}
        return self._in_message(action, "click", user, message_ts, channel)

    def type_in(
        self,
        block_id: str,
        action_id: str,
        text: str,
        *,
        user: str,
        message_ts: str,
        channel: str | None = None,
    ) -> tuple[int, str]:
        """Text typed into an input in a message and sent with Enter (`dispatch_action`)."""
        action = {
            "action_id": action_id,
            "block_id": block_id,
            "value": text,
            "type": "plain_text_input",
        }
        return self._in_message(action, "typed", user, message_ts, channel)

    def _in_message(
        self, action: dict, kind: str, user: str, message_ts: str, channel: str | None
    ) -> tuple[int, str]:
        """One action on an element of a message, as Slack sends it."""
        channel = channel or self.channel
        return self.interact(
            {
                "type": "block_actions",
                "user": {"id": user},
                "team": {"id": "T0"},
                "trigger_id": f"trigger-{next(self._ids)}",
                "channel": {"id": channel},
                "container": {"type": "message", "message_ts": message_ts, "channel_id": channel},
                "message": {"ts": message_ts, "text": ""},
                "response_url": f"{self.fake.url}respond/{kind}",
                "actions": [{**action, "action_ts": "1"}],
            }
        )

    def click_in_home(self, action_id: str, value: str, *, user: str) -> tuple[int, str]:
        return self.interact(
            {
                "type": "block_actions",
                "user": {"id": user},
                "team": {"id": "T0"},
                "trigger_id": f"trigger-{next(self._ids)}",
                "container": {"type": "view", "view_id": "VHOME"},
                "view": {"id": "VHOME", "type": "home", "blocks": []},
                "actions": [
                    {
                        "action_id": action_id,
                        "block_id": "b",
                        "value": value,
                        "type": "button",
                        "action_ts": "1",
                    }
                ],
            }
        )

    def submit(self, view: dict, values: dict, *, user: str) -> tuple[int, str]:
        return self.interact(
            {
                "type": "view_submission",
                "user": {"id": user},
                "team": {"id": "T0"},
                "trigger_id": f"trigger-{next(self._ids)}",
                "view": {**view, "id": "V1", "state": {"values": values}},
            }
        )


def _initial(element: dict) -> dict:
    kind = element["type"]
    state: dict[str, Any] = {"type": kind}
    if kind in ("plain_text_input", "number_input", "url_text_input"):
        state["value"] = element.get("initial_value")
    elif kind == "file_input":
        state["files"] = []
    elif kind in ("static_select", "radio_buttons"):
        state["selected_option"] = element.get("initial_option")
    elif kind in ("multi_static_select", "checkboxes"):
        state["selected_options"] = element.get("initial_options", [])
    elif kind == "users_select":
        state["selected_user"] = element.get("initial_user")
    elif kind == "datepicker":
        state["selected_date"] = element.get("initial_date")
    return state


def fill_form(view: dict, changes: dict[str, Any] | None = None) -> dict:
    """The `state.values` Slack sends when a person submits a form: what it showed to begin
    with, then their changes. `changes` maps a block id to what the person chose: text, a
    select's value, a user id, a date or a list of files, or None to clear it."""
    values: dict[str, dict] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        state = _initial(element)
        if changes and block["block_id"] in changes:
            chosen = changes[block["block_id"]]
            kind = element["type"]
            if kind in ("plain_text_input", "url_text_input"):
                state["value"] = chosen
            elif kind == "file_input":
                state["files"] = chosen or []  # as Slack has them: id, name, permalink
            elif kind in ("static_select", "radio_buttons"):
                state["selected_option"] = None if chosen is None else {"value": chosen}
            elif kind == "multi_static_select":
                state["selected_options"] = [{"value": v} for v in chosen or []]
            elif kind == "users_select":
                state["selected_user"] = chosen
            elif kind == "datepicker":
                state["selected_date"] = chosen
        values[block["block_id"]] = {element["action_id"]: state}
    unknown = set(changes or {}) - set(values)
    assert not unknown, f"the form has no such blocks: {unknown}"
    return values
