"""Keeping requests together, on both databases: each caller returns once its own request
is committed, a request kept before (or twice in one batch) is said so, and a database
error reaches every caller whose request was in the failed write."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from sqlmodel import select

from storage import inbox
from storage.db import SessionFactory, make_engine
from storage.intake import Intake
from storage.models import InboxItem


def request(key: str, lane: str | None = "C1") -> inbox.Request:
    return inbox.Request(key, "reply", lane, f'{{"text": "words of {key}"}}')


def test_requests_kept_from_many_threads_at_once_are_each_kept_once(factory):
    intake = Intake(factory)
    keys = [f"e:Ev{n}" for n in range(60)]
    # Each key twice, as Slack retrying would: one of the two is told it is new.
    with ThreadPoolExecutor(8) as pool:
        told = list(pool.map(lambda key: (key, intake.keep(request(key))), keys + keys))
    assert sorted(key for key, new in told if new) == sorted(keys)
    with factory() as session:
        stored = session.exec(select(InboxItem.key)).all()
    assert sorted(stored) == sorted(keys)


def test_a_batch_keeps_its_requests_in_order_and_a_key_twice_once(factory):
    with factory.unit_of_work() as session:
        found = inbox.accept_all(session, [request("a"), request("b"), request("a"), request("c")])
    assert found == [True, True, False, True]
    with factory() as session:
        ids = dict(session.exec(select(InboxItem.key, InboxItem.id)).all())
    assert ids["a"] < ids["b"] < ids["c"]  # their lane's order


def test_a_database_error_reaches_each_caller(tmp_path):
    unmigrated = SessionFactory(make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}"))
    intake = Intake(unmigrated)
    with pytest.raises(sa.exc.OperationalError):
        intake.keep(request("e:Ev1"))
    with pytest.raises(sa.exc.OperationalError):
        intake.keep(request("e:Ev2"))  # the writer goes on after a failure
