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

from bot.base.config import Settings
from bot.base.logs import kind
from storage.db import SessionFactory

log = logging.getLogger(__name__)
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
        log.error("background work failed: %s in %s", kind(exc), fn.__name__)


def in_background(deps: Deps, fn: Callable) -> Callable:
    """An event listener that queues `fn(body, event, client)` and returns at once."""

    def listener(body, event, client):
        deps.later(fn, body, event, client)

    return listener


@dataclass(frozen=True)
class Invocation:
    """One `/qpr` command as its verb's handler receives it: the words after the verb
    (unescaped), who sent it from where, and the means to answer."""

    deps: Deps
    client: object
    respond: Callable
    channel: str
    user: str
    args: list[str]
    trigger_id: str | None

    @property
    def rest(self) -> str:
        return " ".join(self.args)
