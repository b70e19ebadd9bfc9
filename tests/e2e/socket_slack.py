"""Slack's Socket Mode end, on a loopback port: the app connects to the `ws://` address that
`apps.connections.open` (on the Web API stand-in) hands out, is greeted with `hello`, and is
sent envelopes of commands, events and interactions; each acknowledgement (its
`envelope_id`, and any payload) is recorded. `drop()` closes the connection as Slack does
when it moves an app to another server."""

from __future__ import annotations

import json
import threading
import time
import uuid

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve


class SocketSlack:
    def __init__(self):
        self._server = serve(self._connected, "127.0.0.1", 0)
        self.url = f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link"
        self._lock = threading.Lock()
        self._current: ServerConnection | None = None
        self.connections = 0
        self.acks: dict[str, dict] = {}
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> SocketSlack:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()

    def _connected(self, connection: ServerConnection) -> None:
        with self._lock:
            self._current = connection
            self.connections += 1
        connection.send(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": 1,
                    "connection_info": {"app_id": "A0"},
                    "debug_info": {"host": "standin", "approximate_connection_time": 3600},
                }
            )
        )
        try:
            for message in connection:
                answer = json.loads(message)
                if "envelope_id" in answer:
                    with self._lock:
                        self.acks[answer["envelope_id"]] = answer.get("payload") or {}
        except ConnectionClosed:
            pass

    def wait_connected(self, count: int = 1, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if self.connections >= count and self._current is not None:
                    return
            time.sleep(0.05)
        raise AssertionError(f"the app did not connect ({self.connections} connections)")

    def send(self, kind: str, payload: dict, *, retry_attempt: int = 0) -> str:
        """An envelope to the app (`events_api`, `slash_commands` or `interactive`); its id."""
        envelope_id = str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": retry_attempt,
            "retry_reason": "timeout" if retry_attempt else "",
        }
        with self._lock:
            connection = self._current
        connection.send(json.dumps(envelope))
        return envelope_id

    def acked(self, envelope_id: str, timeout: float = 20) -> dict:
        """The acknowledgement's payload, once it has come."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if envelope_id in self.acks:
                    return self.acks[envelope_id]
            time.sleep(0.01)
        raise AssertionError(f"envelope {envelope_id} was never acknowledged")

    def drop(self) -> None:
        """Close the app's connection as Slack does now and then, moving it to another
        server: it says so first (`disconnect`, `refresh_requested`), then closes. The app
        must open a new connection and go on."""
        with self._lock:
            connection, self._current = self._current, None
        disconnect = {"type": "disconnect", "reason": "refresh_requested"}
        connection.send(json.dumps(disconnect | {"debug_info": {"host": "standin"}}))
        connection.close()
