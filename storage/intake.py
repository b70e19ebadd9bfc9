"""Keeping requests in the inbox together: whoever is waiting to keep one hands it to one
thread, which writes all those waiting in one transaction and then lets each go. Under a
burst this is one write and one commit for many requests rather than one each, and none
queues behind another's commit; each caller still returns only once its request is
committed (or with the database's error)."""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass, field

from storage import inbox
from storage.db import SessionFactory

log = logging.getLogger(__name__)
MOST = 200  # requests in one transaction


@dataclass
class _Waiting:
    request: inbox.Request
    written: threading.Event = field(default_factory=threading.Event)
    new: bool = False
    error: Exception | None = None


class Intake:
    def __init__(self, factory: SessionFactory):
        self.factory = factory
        self._queue: queue.SimpleQueue[_Waiting] = queue.SimpleQueue()
        self._started = False
        self._lock = threading.Lock()

    def keep(self, request: inbox.Request) -> bool:
        """Keep `request` (False if it was kept before); raises what the database raised."""
        self._start()
        waiting = _Waiting(request)
        self._queue.put(waiting)
        waiting.written.wait()
        if waiting.error is not None:
            raise waiting.error
        return waiting.new

    def _start(self) -> None:
        if self._started:  # every request passes here: the lock only until it has begun
            return
        with self._lock:
            if not self._started:
                threading.Thread(target=self._write, name="qpr-intake", daemon=True).start()
                self._started = True

    def _write(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < MOST:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                with self.factory.unit_of_work(urgent=True) as session:
                    found = inbox.accept_all(session, [w.request for w in batch])
                for waiting, new in zip(batch, found, strict=True):
                    waiting.new = new
            except Exception as exc:  # each caller answers for its own request
                for waiting in batch:
                    waiting.error = exc
            for waiting in batch:
                waiting.written.set()
