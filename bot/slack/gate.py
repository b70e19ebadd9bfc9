"""What reaches the app over HTTP: only a signed, fresh, well-formed request of a size Slack
sends. Everything else is refused here, with the status that says why (401 unsigned or
stale, 400 malformed, 405 not a POST, 413 too large) and nothing of its body in the log,
before Bolt parses it or any listener acts on it."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import time
from collections.abc import Callable, Iterable
from urllib.parse import parse_qs

log = logging.getLogger(__name__)

# Slack's requests are a few kilobytes; a modal's state with every block filled in stays
# well under this.
MAX_BODY = 1 << 20
STALE_SECONDS = 300
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


class Refused(Exception):
    def __init__(self, status: str, why: str):
        super().__init__(why)
        self.status = status
        self.why = why


def gate(inner: Callable, signing_secret: str, clock: Callable[[], float] = time.time):
    """WSGI middleware in front of Bolt's handler."""
    key = signing_secret.encode()

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        try:
            body = _checked(environ, key, clock)
        except Refused as refused:
            log.warning("refused a request: %s (%s)", refused.why, refused.status)
            start_response(
                refused.status,
                [("Content-Type", "application/json"), ("X-Slack-No-Retry", "1")],
            )
            return [json.dumps({"error": refused.why}).encode()]
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return inner(environ, start_response)

    return application


def _signed(key: bytes, stamp: str, body: bytes, signature: str) -> bool:
    """Slack's signature, over the raw bytes: a body need not be text to be checked."""
    digest = hmac.new(key, b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(f"v0={digest}", signature)


def _checked(environ: dict, key: bytes, clock) -> bytes:
    """The request's body, once it has passed every check."""
    if environ.get("REQUEST_METHOD") != "POST":
        raise Refused("405 Method Not Allowed", "only POST")
    declared = environ.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit():
        raise Refused("400 Bad Request", "bad content length")
    if int(declared) > MAX_BODY:
        raise Refused("413 Payload Too Large", "body too large")
    body = environ["wsgi.input"].read(min(int(declared), MAX_BODY + 1))
    if len(body) > MAX_BODY:
        raise Refused("413 Payload Too Large", "body too large")

    stamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
    signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
    if not stamp.isdigit() or abs(clock() - int(stamp)) > STALE_SECONDS:
        raise Refused("401 Unauthorized", "missing, malformed or stale timestamp")
    if not _signed(key, stamp, body, signature):
        raise Refused("401 Unauthorized", "bad signature")

    content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused("400 Bad Request", "body is not UTF-8") from None
    if content_type == JSON:
        _json_object(text)
    elif content_type == FORM:
        fields = parse_qs(text, keep_blank_values=True)
        if "payload" in fields:
            _json_object(fields["payload"][0])
        elif not ("command" in fields or "ssl_check" in fields):
            raise Refused("400 Bad Request", "form is neither a command nor a payload")
    else:
        raise Refused("400 Bad Request", "unexpected content type")
    return body


def _json_object(text: str) -> dict:
    try:
        found = json.loads(text)
    except ValueError:
        raise Refused("400 Bad Request", "body is not JSON") from None
    if not isinstance(found, dict):
        raise Refused("400 Bad Request", "body is not a JSON object")
    return found
