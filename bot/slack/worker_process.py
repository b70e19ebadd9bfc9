"""The inbox's worker, and the reminders, in a process of their own beside `qpr serve`'s: the
serving process then only keeps each request and answers, and never waits for the
interpreter behind the work (one Python process runs one thread at a time).

The serving process wakes the worker through a pipe when it keeps something, and shares a
count of its urgent writes, which the worker lets go first on SQLite (see
`storage.db.SessionFactory`). The worker stops on SIGTERM or SIGINT the way `qpr serve`
does, and on its own when the serving process is gone (killed, say): what it leaves is
claimable again. If the worker dies, the serving process starts another."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import threading
from multiprocessing.context import SpawnProcess

from bot.base.config import Settings

log = logging.getLogger(__name__)
STOP_WITHIN = 7.0  # seconds for the work in hand after a stop; an orchestrator kills at 10
RESTART_AFTER = 2.0  # seconds before a worker that died is started again


class WorkerProcess:
    def __init__(self, settings: Settings):
        self._settings = settings
        self._context = multiprocessing.get_context("spawn")  # no threads or locks inherited
        # A byte down a pipe that never blocks the writer: a full pipe is awake enough.
        self._woken, self._wake = self._context.Pipe(duplex=False)
        os.set_blocking(self._wake.fileno(), False)
        self.urgent = self._context.Value("i", 0)
        self._process: SpawnProcess | None = None
        self._stopping = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="qpr-worker-watch", daemon=True)

    def start(self) -> None:
        self._spawn()
        self._watcher.start()

    def _spawn(self) -> None:
        self._process = self._context.Process(
            target=_main,
            args=(self._settings, os.getpid(), self._woken, self.urgent),
            name="qpr-worker",
        )
        self._process.start()

    def _watch(self) -> None:
        while not self._stopping.wait(RESTART_AFTER):
            process = self._process
            assert process is not None, "watched only once started"
            if not process.is_alive() and not self._stopping.is_set():
                code = process.exitcode
                log.error("the worker process ended (exit %s): starting another", code)
                self._spawn()

    def wake(self) -> None:
        # A full pipe: already woken. A closed one: gone, and the next looks anyway.
        with contextlib.suppress(BlockingIOError, BrokenPipeError):
            os.write(self._wake.fileno(), b"!")

    def stop_taking(self) -> None:
        """Tell the worker to claim nothing more and finish what it has (SIGTERM)."""
        self._stopping.set()
        if self._process is not None and self._process.is_alive():
            self._process.terminate()

    def stop(self, timeout: float = STOP_WITHIN + 1) -> bool:
        """Wait for the worker to stop; True if it did within `timeout` seconds."""
        self.stop_taking()
        if self._process is None:
            return True
        self._process.join(timeout)
        if self._process.is_alive():
            self._process.kill()  # what it held lapses
            return False
        return True


def _main(settings: Settings, parent: int, woken, urgent) -> None:
    # Imported here: the serving process needs none of this.
    from bot.base.logs import configure
    from bot.slack.app import web_client
    from bot.slack.deps import Deps
    from bot.slack.listeners import start_worker
    from bot.slack.scheduler import Reminders
    from storage.db import SessionFactory, make_engine

    configure()
    # When both want the processor, acknowledgements go first: the work can wait a moment,
    # Slack's 3 seconds cannot.
    os.nice(5)
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    factory = SessionFactory(make_engine(settings.database_url), urgent_elsewhere=urgent)
    deps = Deps(factory=factory, settings=settings)
    client = web_client(settings)
    start_worker(deps, client)
    reminders = Reminders(deps, client)
    reminders.start()
    threading.Thread(target=_pass_on, args=(woken, deps, stopping), daemon=True).start()
    while not stopping.wait(0.5):
        if os.getppid() != parent:
            log.warning("the serving process is gone: the worker stops")
            break
    deps.worker.stop_taking()
    deps.stop(timeout=STOP_WITHIN)
    reminders.stop()


def _pass_on(woken, deps, stopping: threading.Event) -> None:
    """The serving process's wake-ups, to this process's worker."""
    while not stopping.is_set():
        if woken.poll(0.5):
            try:
                if not os.read(woken.fileno(), 4096):
                    return  # the serving process is gone: the main loop sees it
            except OSError:
                return
            deps.wake()
