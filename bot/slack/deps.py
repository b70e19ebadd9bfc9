"""What every listener needs: the database, the settings, the worker of the inbox (what
changes anything), and a pool for what only reads, done after Slack has its
acknowledgement."""

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
from bot.slack.worker import Worker
from reviews.cases import Asker, Context
from storage.db import SessionFactory
from storage.intake import Intake

log = logging.getLogger(__name__)


def _pid_namespace() -> str:
    """Two containers may share a host name (and both be pid 1): their pid namespaces differ."""
    try:
        return str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:
        return "-"


# This process, as it signs its claims on shared work (inbox items, reminders, owed posts).
INSTANCE = f"{socket.gethostname()}/{_pid_namespace()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class Deps:
    factory: SessionFactory
    settings: Settings
    # What only reads is answered from here after the ack (what changes anything goes to
    # the inbox and its worker), so a slow answer never holds up an acknowledgement.
    work: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=4, thread_name_prefix="qpr-work")
    )
    worker: Worker = field(init=False)
    intake: Intake = field(init=False)  # keeps requests in the inbox (see storage/intake.py)
    # Wakes the worker when it runs in another process (see worker_process); None when it
    # runs in this one.
    elsewhere: Callable[[], None] | None = None

    def __post_init__(self):
        object.__setattr__(self, "worker", Worker(self.factory, INSTANCE))
        object.__setattr__(self, "intake", Intake(self.factory))

    @property
    def ctx(self) -> Context:
        """What the use cases are given."""
        return Context(self.factory, self.settings.fy_start_month, self.settings.timezone)

    def later(self, fn: Callable, *args) -> None:
        """Work that only reads (it is not kept: a restart may drop it)."""
        self.work.submit(_logged, fn, *args)

    def wake(self) -> None:
        """Something was just kept for the worker (an inbox item, an owed post)."""
        if self.elsewhere is not None:
            self.elsewhere()
        else:
            self.worker.wake()

    def stop(self, timeout: float = 8.0) -> None:
        """Take no more work; finish what is in hand, leaving the rest for another process."""
        self.worker.stop(timeout)
        self.work.shutdown(wait=False, cancel_futures=True)  # reads only: asking again is harmless


def _logged(fn: Callable, *args) -> None:
    try:
        fn(*args)
    except Exception as exc:
        log.error("background work failed: %s in %s", kind(exc), fn.__name__)


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

    @property
    def asker(self) -> Asker:
        return asker(self.user, self.channel, self.trigger_id)


def asker(user: str, channel: str | None, request_id: str | None = None) -> Asker:
    """Who asks from where, as the use cases take it: a channel whose id starts with D is a
    direct message with the bot; a submitted form has none."""
    channel = channel or ""
    return Asker(user, channel, request_id, direct=channel.startswith("D"))
