"""Faults between the bot and Slack, against the real `qpr serve` in processes of its own:
two instances on one database with Slack retrying across them, a storm of rate limits,
killed between Slack taking a post and the bot hearing so, and PostgreSQL stopped and
started under it. Each counts what Slack heard acknowledged against what was stored."""

from __future__ import annotations

import os
import time

import pytest

from reviews import outcomes
from storage import migrate
from storage.db import make_engine
from tests.e2e.own_postgres import OwnPostgres
from tests.helpers.review import agree_one_outcome
from tests.helpers.served import (
    CHANNEL,
    FACILITATOR,
    THREAD,
    Served,
    _factory,
    _reacted,
    _review_in_progress,
    _states,
    burst,
    reply,
    stored,
)
from tests.helpers.slack import eventually


def test_two_instances_with_slack_retrying_across_them_keep_each_once(
    database, engine, fake, tmp_path
):
    first = Served(database, fake, tmp_path).start()
    second = Served(database, fake, tmp_path).start()
    try:
        acked = burst([first.user(), second.user()], 40, retry_every=3)
        eventually(lambda: len(stored(engine)) >= 40, timeout=40)
        time.sleep(1)
    finally:
        first.stop()
        second.stop()
    assert sorted(stored(engine)) == sorted(acked)
    assert len(fake.calls("reactions.add")) == 40


def test_a_storm_of_rate_limits_is_ridden_out(database, engine, fake, tmp_path):
    fake.fail_next("reactions.add", status=429, retry_after=1, times=4)
    served = Served(database, fake, tmp_path).start()
    try:
        acked = burst([served.user()], 12)
        eventually(lambda: len(stored(engine)) >= 12, timeout=40)
        eventually(lambda: _reacted(fake) == acked, timeout=40)
    finally:
        served.stop()
    assert sorted(stored(engine)) == sorted(acked)


def test_killed_after_slack_took_a_post_the_restart_adopts_it(database, engine, fake, tmp_path):
    with _factory(engine).unit_of_work() as session:
        review = outcomes.review_by_thread(session, CHANNEL, THREAD)
        agree_one_outcome(session, review, FACILITATOR)  # owes the evidence
    fake.slow("chat.postMessage", 30)  # Slack has the post; the bot never hears back
    served = Served(database, fake, tmp_path).start()
    try:
        fake.wait_for("chat.postMessage")
        served.kill_all()  # the worker sending it too
        fake.slow("chat.postMessage", 0)
        served = Served(database, fake, tmp_path).start()
        eventually(lambda: _states(engine) == {"sent"}, timeout=30)
    finally:
        served.stop()
    glance = [c for c in fake.calls("chat.postMessage") if c.params["text"].startswith("Evidence")]
    assert len(glance) == 1  # found in the thread, not posted again
    assert glance[0].params["metadata"]["event_type"] == "qpr_owed_post"
    assert fake.calls("conversations.replies")


def test_postgresql_stopped_and_started_under_the_bot_loses_nothing_acknowledged(fake, tmp_path):
    own = OwnPostgres()
    if not own.available:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("no initdb on this machine; under CI every PostgreSQL test must run")
        pytest.skip("no initdb on this machine")
    own.create()
    engine = make_engine(own.url)
    served = None
    try:
        migrate.upgrade(engine)
        _review_in_progress(engine)
        served = Served(own.url, fake, tmp_path).start()
        user = served.user()
        acked = burst([user], 10)
        eventually(lambda: len(stored(engine)) == 10)

        own.stop()
        # Nothing can be kept, so nothing is acknowledged: Slack sends the events again.
        down = {n: user.event(reply(n), event_id=f"EvDown{n}")[0] for n in range(10, 15)}
        assert set(down.values()) == {503}
        status, answer = user.command("start 2026/27 Q3")
        assert status == 200 and "nothing was done" in answer

        own.start()
        for n in down:  # Slack's retries
            assert user.event(reply(n), event_id=f"EvDown{n}")[0] == 200
            acked.add(reply(n)["ts"])
        eventually(lambda: len(stored(engine)) >= 15, timeout=40)
        time.sleep(0.5)
        assert sorted(stored(engine)) == sorted(acked)
    finally:
        if served is not None:
            served.stop()
        engine.dispose()
        own.remove()
