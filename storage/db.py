"""Engine and session factory from a database URL."""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Engine
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


def make_engine(url: str = DEFAULT_URL, **kw) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30}, **_QUIET, **kw)
        sa.event.listen(engine, "connect", _sqlite_on_connect)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, **_QUIET, **kw)


def _sqlite_on_connect(dbapi_connection, _record) -> None:
    # SQLite leaves foreign keys off unless asked on every connection; WAL lets the
    # scheduler read while an import writes.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class SessionFactory:
    """Opens sessions on one engine; `unit_of_work()` commits only when the block succeeds."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._turns = _Turns() if engine.dialect.name == "sqlite" else None

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
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()


class _Turns:
    """SQLite has one writer at a time, and a writer that finds it taken sleeps in steps of
    up to 100 ms before trying again. In one process, units of work take turns here
    instead, handed on at once, urgent ones before the rest; other processes still meet
    SQLite's own lock. A thread may nest its turns."""

    def __init__(self):
        self._changed = threading.Condition()
        self._holder: int | None = None
        self._depth = 0
        self._urgent = 0

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
        try:
            yield
        finally:
            with self._changed:
                self._depth -= 1
                if self._depth == 0:
                    self._holder = None
                    self._changed.notify_all()


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
