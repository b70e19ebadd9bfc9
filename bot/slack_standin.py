"""A stand-in for Slack's Web API on a loopback port: answers like Slack, records every call.

The tests and benchmarks use it, and so does the demo, where no workspace is at hand. Point
the app at `url` (SLACK_API_URL). `calls(method)` lists what was sent, with form,
JSON or query parameters parsed. `fail_next(method, ...)` makes the next call of a method
answer with a rate limit (429 and Retry-After) or a Slack error.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

BOT_USER = "UQPRBOT"
BOT_ID = "BQPRBOT"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


class FakeSlack:
    def __init__(self):
        self._calls: list[Call] = []
        self._lock = threading.Lock()
        self._failures: dict[str, list[tuple[int, dict, dict]]] = {}
        self._ts = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeSlack:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def calls(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

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

    def _answer(self, method: str, params: dict) -> tuple[int, dict, dict]:
        with self._lock:
            self._calls.append(Call(method, params))
            pending = self._failures.get(method)
            if pending:
                return pending.pop(0)
        ts = f"{1700000000 + next(self._ts)}.000100"
        channel = params.get("channel") or params.get("channel_id") or "C0"
        answers = {
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
            "conversations.open": {"channel": {"id": "D1"}},
            "files.getUploadURLExternal": {"upload_url": f"{self.url}upload/F1", "file_id": "F1"},
            "files.completeUploadExternal": {"files": [{"id": "F1"}]},
        }
        return 200, {"ok": True, **answers.get(method, {})}, {}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # the tests read calls(), not a log
                pass

            def _params(self) -> dict:
                url = urlparse(self.path)
                params = {k: v[0] for k, v in parse_qs(url.query).items()}
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
