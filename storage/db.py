"""Engine and session factory from a database URL."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.sharedctypes import Synchronized
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session

DEFAULT_URL = "sqlite:///qpr.sqlite3"


def normalise_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


# Statement parameters hold what people wrote (complaints, views, outcome statements): an
# error message must never carry them into a log.
_QUIET = {"hide_parameters": True}


def make_engine(url: str = DEFAULT_URL, **kw: Any) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT}, **_QUIET, **kw)
        sa.event.listen(engine, "connect", _sqlite_on_connect)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, **_QUIET, **kw)


def _sqlite_on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
    # SQLite leaves foreign keys off unless asked on every connection; WAL lets the
    # scheduler read while an import writes.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class SessionFactory:
    """Opens sessions on one engine; `unit_of_work()` commits only when the block succeeds.

    `urgent_elsewhere` is a counter shared with another process on the same SQLite file
    (a `multiprocessing.Value`): that process's urgent writes count themselves in it, and
    this one's units of work hold back while it is above nought."""

    def __init__(self, engine: Engine, urgent_elsewhere: Synchronized[int] | None = None):
        self.engine = engine
        self.sqlite = engine.dialect.name == "sqlite"
        self._turns = _Turns(urgent_elsewhere) if self.sqlite else None

    def __call__(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def unit_of_work(self, urgent: bool = False) -> Iterator[Session]:
        """A transaction committed when the block succeeds. `urgent` is for one short write
        someone is waiting on (a request kept before its ack): on SQLite it goes first."""
        turn = self._turns.turn(urgent) if self._turns else contextlib.nullcontext()
        with turn:
            session = self()
            try:
                if self.sqlite:
                    connection = session.connection().connection.driver_connection
                    assert isinstance(connection, sqlite3.Connection)  # the driver SQLite URLs use
                    _begin_immediate(connection, urgent)
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()


BUSY_TIMEOUT = 30  # seconds a SQLite writer waits for another to finish


def _begin_immediate(dbapi_connection: sqlite3.Connection, urgent: bool) -> None:
    """Take SQLite's write lock from the start: a transaction that read first and then
    wrote would fail outright had another process written in between. SQLite's own wait
    for the lock sleeps in steps growing to 100 ms; someone is waiting on an urgent write,
    so it asks again every millisecond instead."""
    if not urgent:
        dbapi_connection.execute("BEGIN IMMEDIATE")
        return
    deadline = time.monotonic() + BUSY_TIMEOUT
    dbapi_connection.execute("PRAGMA busy_timeout = 0")
    try:
        while True:
            try:
                dbapi_connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
            time.sleep(0.001)
    finally:
        dbapi_connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT * 1000}")


class _Turns:
    """SQLite has one writer at a time, and a writer that finds it taken sleeps in steps of
    up to 100 ms before trying again. In one process, units of work take turns here
    instead, handed on at once, urgent ones before the rest; other processes still meet
    SQLite's own lock, but one that shares its urgent count (see `SessionFactory`) is let
    go first. A thread may nest its turns."""

    def __init__(self, urgent_elsewhere: Synchronized[int] | None = None):
        self._changed = threading.Condition()
        self._holder: int | None = None
        self._depth = 0
        self._urgent = 0
        self._elsewhere = urgent_elsewhere

    @contextmanager
    def turn(self, urgent: bool) -> Iterator[None]:
        me = threading.get_ident()
        with self._changed:
            if self._holder != me:
                self._urgent += urgent
                try:
                    while self._holder is not None or (self._urgent and not urgent):
                        self._changed.wait()
                finally:
                    self._urgent -= urgent
                self._holder = me
            self._depth += 1
        outermost = self._depth == 1
        if self._elsewhere is not None and outermost:
            self._wait_for_elsewhere(self._elsewhere, urgent)
        try:
            yield
        finally:
            if self._elsewhere is not None and outermost and urgent:
                with self._elsewhere.get_lock():
                    self._elsewhere.value -= 1
            with self._changed:
                self._depth -= 1
                if self._depth == 0:
                    self._holder = None
                    self._changed.notify_all()

    HOLD_BACK = 0.05  # seconds at most, so a steady stream of urgent writes starves no one

    def _wait_for_elsewhere(self, elsewhere: Synchronized[int], urgent: bool) -> None:
        if urgent:
            with elsewhere.get_lock():
                elsewhere.value += 1
            return
        until = time.monotonic() + self.HOLD_BACK
        while elsewhere.value > 0 and time.monotonic() < until:
            time.sleep(0.0005)


def is_reachable(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return True
    except sa.exc.SQLAlchemyError:
        return False


def create_postgres_database(server_url: str, prefix: str = "qpr") -> str:
    """Create an empty database with a fresh name on a PostgreSQL server; its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(normalise_url(server_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return (
        sa.make_url(normalise_url(server_url))
        .set(database=name)
        .render_as_string(hide_password=False)
    )
