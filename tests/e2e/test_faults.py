"""Faults as an operator meets them, against the real `qpr serve` in processes of its own:
killed (-9) or stopped (SIGTERM) in the middle of a burst, killed between Slack taking a
post and the bot hearing so, two instances on one database with Slack retrying across
them, and a storm of rate limits. Each counts what Slack heard acknowledged against what
was stored: nothing lost, nothing doubled."""

from __future__ import annotations

import os
import signal
import time

from tests.helpers.served import (
    Served,
    burst,
    running,
    stored,
)
from tests.helpers.slack import eventually


def test_killed_in_a_burst_loses_nothing_acknowledged(database, engine, fake, tmp_path):
    fake.slow("reactions.add", 0.05)  # the work lags well behind the acknowledgements
    served = Served(database, fake, tmp_path).start()
    try:
        acked = burst([served.user()], 30)
        served.kill()
        assert len(acked) == 30
        assert len(stored(engine)) < 30  # the kill came with work still to do
        served = Served(database, fake, tmp_path).start()
        eventually(lambda: len(stored(engine)) >= 30, timeout=40)
        time.sleep(0.5)
    finally:
        served.stop()
    assert sorted(stored(engine)) == sorted(acked)  # none lost, none doubled


def test_sigterm_in_a_burst_exits_within_10_s_and_loses_nothing(database, engine, fake, tmp_path):
    fake.slow("reactions.add", 0.05)
    served = Served(database, fake, tmp_path).start()
    try:
        acked = burst([served.user()], 30)
        took, code, out = served.terminate()
        assert took < 10 and code == 0, out
        assert "QPR bot: stopped" in out
        served = Served(database, fake, tmp_path).start()
        eventually(lambda: len(stored(engine)) >= 30, timeout=40)
        time.sleep(0.5)
    finally:
        served.stop()
    assert sorted(stored(engine)) == sorted(acked)


def test_a_worker_process_that_dies_is_started_again_and_its_work_done(
    database, engine, fake, tmp_path
):
    fake.slow("reactions.add", 0.05)
    served = Served(database, fake, tmp_path).start()
    try:
        eventually(lambda: served.worker() is not None, timeout=10)
        first = served.worker()
        acked = burst([served.user()], 20)
        os.kill(first, signal.SIGKILL)
        acked |= burst([served.user()], 10, start=20)  # still acknowledged meanwhile
        eventually(lambda: len(stored(engine)) >= 30, timeout=40)
        assert served.worker() not in (None, first)
        time.sleep(0.5)
    finally:
        served.stop()
    assert sorted(stored(engine)) == sorted(acked)


def test_the_worker_process_stops_when_qpr_serve_is_killed(database, fake, tmp_path):
    served = Served(database, fake, tmp_path).start()
    eventually(lambda: served.worker() is not None, timeout=10)
    worker = served.worker()
    served.kill()
    eventually(lambda: not running(worker), timeout=12)
