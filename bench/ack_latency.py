"""Acknowledgement latency of a review in progress: 8 concurrent clients send a mix of new
proposals (thread replies), :+1: reactions, `/qpr status` and `/qpr outcomes` to the app over
HTTP, with every change kept in the inbox before its ack; then the same requests to a bare
Bolt app that only acks, on the same server, in one run.

Prints p50 and p99 time to acknowledge for each and the ratio (aim: p99 under 100 ms and
under 3x the bare app); the time to effect, from each proposal's delivery to its :memo: in
Slack (aim: p99 under 500 ms); and how long after the burst the last :memo: came.

    python bench/ack_latency.py [--requests 2000] [--clients 8] [--rate N] [--postgres URL]

With --rate 27 (a quarter of them proposals: ten teams of 40 people proposing over a
minute) the time to effect is what people see; unpaced, it is the backlog of a burst.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import statistics
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa
from slack_bolt import App
from slack_sdk import WebClient
from sqlmodel import select

from bench.databases import new_database
from bot.base.config import Settings
from bot.slack.app import build_app
from bot.slack.deps import Deps
from bot.slack.server import Background, make_server
from bot.slack.standin import FakeSlack
from bot.slack.worker_process import WorkerProcess
from reviews.outcomes import posting
from storage.db import SessionFactory, make_engine
from storage.models import OutcomeStatement, Review

SECRET = "bench-secret"
CHANNEL = "CBENCH"


def signed(url: str, body: str, content_type: str) -> tuple[float, float]:
    """When the request was sent (monotonic) and how long its acknowledgement took."""
    ts = str(int(time.time()))
    signature = (
        "v0=" + hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    )
    request = urllib.request.Request(
        url,
        data=body.encode(),
        method="POST",
        headers={
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature,
        },
    )
    sent, started = time.monotonic(), time.perf_counter()
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()
    return sent, time.perf_counter() - started


def requests_for(n: int, fake_url: str, thread_ts: str) -> list[tuple[str, str]]:
    """A quarter each: new proposals, :+1: on an earlier proposal, `/qpr status`, `/qpr
    outcomes`."""
    found = []
    for i in range(n):
        kind = i % 4
        if kind in (2, 3):
            form = {
                "command": "/qpr",
                "text": "status" if kind == 2 else "outcomes",
                "user_id": "UBENCH",
                "channel_id": CHANNEL,
                "response_url": f"{fake_url}respond/{i}",
                "trigger_id": f"t{i}",
            }
            found.append((urlencode(form), "application/x-www-form-urlencoded"))
            continue
        if kind == 0:
            event = {
                "type": "message",
                "channel": CHANNEL,
                "user": f"U{i}",
                "ts": f"2.{i:06}",
                "thread_ts": thread_ts,
                "text": f"Outcome statement number {i}",
            }
        else:
            event = {
                "type": "reaction_added",
                "user": f"U{i}",
                "reaction": "+1",
                "item": {"type": "message", "channel": CHANNEL, "ts": f"2.{i - 1:06}"},
            }
        envelope = {"type": "event_callback", "event_id": f"Ev{i}", "team_id": "T0", "event": event}
        found.append((json.dumps(envelope), "application/json"))
    return found


def bare_app(fake_url: str) -> App:
    app = App(
        client=WebClient(token="xoxb-bench", base_url=fake_url),
        signing_secret=SECRET,
        token_verification_enabled=False,
    )
    app.command("/qpr")(lambda ack: ack())
    app.event("message")(lambda: None)
    app.event("reaction_added")(lambda: None)
    return app


def measure(
    app: App,
    factory: SessionFactory,
    work: list[tuple[str, str]],
    clients: int,
    warm_up: int = 20,
    rate: float | None = None,
) -> tuple[list[float], list[float]]:
    """The time to acknowledge each request after the warm-up; and when each request of
    `work` was sent (monotonic seconds). With `rate`, requests are sent at that many a
    second, as people would send them, rather than as fast as the clients can."""
    server = Background(make_server(app, factory, "127.0.0.1", 0, signing_secret=SECRET))
    url = f"http://127.0.0.1:{server.port}/slack/events"
    first = [signed(url, body, kind) for body, kind in work[:warm_up]]
    start = time.monotonic()

    def send(numbered: tuple[int, tuple[str, str]]) -> tuple[float, float]:
        n, (body, kind) = numbered
        if rate:
            time.sleep(max(0.0, start + n / rate - time.monotonic()))
        return signed(url, body, kind)

    with ThreadPoolExecutor(clients) as pool:
        rest = list(pool.map(send, enumerate(work[warm_up:])))
    server.stop()
    return [took for _, took in rest], [sent for sent, _ in first + rest]


def settle(fake: FakeSlack, proposals: int) -> tuple[int, float]:
    """Wait for every proposal's :memo: (or for 10 s without one more); how many came, and
    when the last did (monotonic seconds)."""
    seen, changed = -1, time.monotonic()
    while time.monotonic() - changed < 10:
        marked = fake.calls("reactions.add")
        if len(marked) >= proposals:
            break
        if len(marked) != seen:
            seen, changed = len(marked), time.monotonic()
        time.sleep(0.1)
    marked = fake.calls("reactions.add")
    return len(marked), max((c.at for c in marked), default=time.monotonic())


def percentile(times: list[float], p: float) -> float:
    return statistics.quantiles(times, n=100)[int(p) - 1] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--postgres", help="a PostgreSQL server URL (default: SQLite)")
    parser.add_argument(
        "--rate",
        type=float,
        help="requests a second, paced as people send them (default: as fast as possible)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as fake:
        kind = "postgresql" if args.postgres else "sqlite"
        url = new_database(kind, args.postgres, Path(tmp)).url.render_as_string(hide_password=False)
        settings = Settings(
            database_url=url,
            slack_bot_token="xoxb-bench",
            slack_signing_secret=SECRET,
            slack_api_url=fake.url,
        )
        # As `qpr serve` runs it: the worker in a process of its own.
        worker = WorkerProcess(settings)
        factory = SessionFactory(make_engine(url), urgent_elsewhere=worker.urgent)
        worker.start()
        deps = Deps(factory=factory, settings=settings, elsewhere=worker.wake)
        app = build_app(settings, factory, deps=deps)
        setup = [
            (
                urlencode(
                    {
                        "command": "/qpr",
                        "text": text,
                        "user_id": "UBENCH",
                        "channel_id": CHANNEL,
                        "response_url": f"{fake.url}respond/setup",
                        "trigger_id": "t",
                    }
                ),
                "application/x-www-form-urlencoded",
            )
            for text in ("setup Bench Team", "start 2026/27 Q2")
        ]
        measure(app, factory, setup[:1], 1, warm_up=1)
        measure(app, factory, setup[1:], 1, warm_up=1)
        thread_ts = None
        while thread_ts is None or posting(thread_ts):  # the kick-off is posted after the ack
            time.sleep(0.05)
            with factory() as session:
                thread_ts = session.exec(select(Review.slack_thread_ts)).first()
        work = requests_for(args.requests + 20, fake.url, thread_ts)
        ours, sent = measure(app, factory, work, args.clients, rate=args.rate)
        burst_ended = time.monotonic()
        proposals = sum(1 for i in range(len(work)) if i % 4 == 0)
        marked, last = settle(fake, proposals)
        caught_up = last - burst_ended
        # Time to effect: from a proposal's delivery to its :memo: in Slack.
        sent_at = {f"2.{i:06}": sent[i] for i in range(len(work)) if i % 4 == 0}
        effect = [
            c.at - sent_at[c.params["timestamp"]]
            for c in fake.calls("reactions.add")
            if c.params.get("timestamp") in sent_at
        ]
        with factory() as session:
            kept = session.exec(select(sa.func.count()).select_from(OutcomeStatement)).one()
        worker.stop()
        deps.stop()
        bare, _ = measure(bare_app(fake.url), factory, work, args.clients, rate=args.rate)
    print(
        f"{len(ours)} requests on {kind} (a quarter each: new proposals, :+1: reactions, "
        f"/qpr status, /qpr outcomes), {args.clients} concurrent clients, "
        + (f"{args.rate:g} a second" if args.rate else "as fast as they go")
    )
    print(f"{'app':<10}{'p50':>10}{'p99':>10}")
    for name, times in (("QPR bot", ours), ("bare Bolt", bare)):
        print(f"{name:<10}{percentile(times, 50):>7.1f} ms{percentile(times, 99):>7.1f} ms")
    print(
        f"ratio p99 {percentile(ours, 99) / percentile(bare, 99):.2f}x, "
        f"p50 {percentile(ours, 50) / percentile(bare, 50):.2f}x "
        "(aims: p99 under 100 ms, under 3x the bare app)"
    )
    print(
        f"{kept} of {proposals} proposals kept, {marked} marked :memo:; the last mark came "
        f"{max(caught_up, 0):.1f} s after the burst"
    )
    if len(effect) >= 2:
        print(
            f"time to effect (a proposal's delivery to its :memo:): p50 "
            f"{percentile(effect, 50):.0f} ms, p99 {percentile(effect, 99):.0f} ms "
            "(aim: p99 under 500 ms)"
        )
    return 0 if kept == proposals else 1


if __name__ == "__main__":
    sys.exit(main())
