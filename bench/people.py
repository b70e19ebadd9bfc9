"""People's data: `qpr person export` and `forget` of one member of staff, in a store of
their own team alone and in a store of many teams with years of reviews, on SQLite and
PostgreSQL.

Each team has 24 quarterly reviews (six years), each with 30 proposals (10 agreed), 90
supports, 3 judgements, 6 needs and 300 audit entries; the person proposes, supports and
owns needs in their own team. Prints the time of each and the ratio large / small (the law
allows a month for an access request; the aim is under a minute in the large store).

    python bench/people.py [--teams 50] [--postgres URL]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.databases import new_database
from bot.slack.mrkdwn import mentions_of
from reviews.cases import Context
from reviews.cases import people as cases
from storage.db import SessionFactory
from storage.imports.bulk import insert_rows
from storage.models import (
    AuditEvent,
    InformationNeed,
    Judgement,
    OutcomeStatement,
    OutcomeSupport,
    Person,
    Review,
    Team,
)

REVIEWS = 24
PROPOSALS, AGREED, SUPPORTS, NEEDS, AUDIT = 30, 10, 90, 6, 300
PERSON = "UPERSON"


def quarters() -> list[tuple[str, date, date]]:
    found = []
    for n in range(REVIEWS):
        year, q = 2020 + n // 4, n % 4
        start = date(year, 4 + 3 * q, 1) if q < 3 else date(year + 1, 1, 1)
        end_month = start.month + 2
        end = date(start.year, end_month, 30 if end_month in (6, 9) else 31)
        found.append((f"{year}/{(year + 1) % 100:02d} Q{q + 1}", start, end))
    return found


def fill(engine: sa.Engine, teams: int) -> None:
    now = datetime.now(UTC)
    factory = SessionFactory(engine)
    with factory.unit_of_work() as session:
        for t in range(teams):
            team = Team(name=f"Team {t}", name_key=f"team {t}", slack_channel_id=f"C{t:05}")
            session.add(team)
            session.flush()
            staff = [f"U{t:04}{m:03}" for m in range(40)]
            if t == 0:
                staff[0] = PERSON
            for label, start, end in quarters():
                review = Review(
                    team_id=team.id,
                    period_label=label,
                    period_start=start,
                    period_end=end,
                    stage="closed",
                    slack_channel_id=team.slack_channel_id,
                    facilitator_user_id=staff[1],
                )
                session.add(review)
                session.flush()
                outcomes = []
                for p in range(PROPOSALS):
                    outcome = OutcomeStatement(
                        review_id=review.id,
                        text=f"Outcome {p} of {label}",
                        proposer_user_id=staff[p % len(staff)],
                        status="agreed" if p < AGREED else "withdrawn",
                        slack_message_ts=f"{p}.{review.id}",
                    )
                    session.add(outcome)
                    outcomes.append(outcome)
                session.flush()
                insert_rows(
                    session,
                    OutcomeSupport.__table__,
                    [
                        {
                            "outcome_id": outcomes[s % PROPOSALS].id,
                            "slack_user_id": staff[(s // PROPOSALS + 5) % len(staff)],
                            "added_at": now,
                        }
                        for s in range(SUPPORTS)
                    ]
                    + [{"outcome_id": outcomes[1].id, "slack_user_id": PERSON, "added_at": now}]
                    * (t == 0),
                )
                for j in range(3):
                    session.add(
                        Judgement(
                            review_id=review.id,
                            outcome_id=outcomes[j].id if j < 2 else None,
                            rating="some progress",
                            rationale="Reasons",
                            recorded_by=staff[1],
                        )
                    )
                for n in range(NEEDS):
                    session.add(
                        InformationNeed(
                            team_id=team.id,
                            review_id=review.id,
                            text=f"Need {n}",
                            owner_user_id=staff[n],
                            status="done",
                            answer="Found",
                            settled_by=staff[n],
                        )
                    )
                insert_rows(
                    session,
                    AuditEvent.__table__,
                    [
                        {
                            "at": now,
                            "actor": staff[a % len(staff)],
                            "action": "outcome.support",
                            "team_id": team.id,
                            "review_id": review.id,
                            "detail": {"outcome": a},
                            "slack_request_id": None,
                        }
                        for a in range(AUDIT)
                    ],
                )
            session.add_all(Person(slack_user_id=u, name=f"Name {u}") for u in staff)


def timed(engine: sa.Engine) -> tuple[float, float, int]:
    ctx = Context(SessionFactory(engine))
    started = time.perf_counter()
    held = cases.export_person(ctx, PERSON, mentions_of)
    exported = time.perf_counter() - started
    started = time.perf_counter()
    forgotten = cases.forget_person(ctx, PERSON, mentions_of)
    took = time.perf_counter() - started
    assert held["proposals"] and forgotten.anything
    return exported, took, len(held["audit"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=50)
    parser.add_argument("--postgres", default=os.environ.get("QPR_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    kinds = ["sqlite"] + (["postgresql"] if args.postgres else [])
    if not args.postgres:
        print("(no PostgreSQL given: set QPR_TEST_POSTGRES_URL or use `make bench`)")
    audit = args.teams * REVIEWS * AUDIT
    print(f"large store: {args.teams} teams x {REVIEWS} reviews, {audit:,} audit entries")
    print(f"{'database':<11}{'':<8}{'1 team':>10}{f'{args.teams} teams':>12}{'ratio':>8}")
    with tempfile.TemporaryDirectory(prefix="qpr-bench-") as tmp:
        for kind in kinds:
            results = []
            for teams in (1, args.teams):
                engine = new_database(kind, args.postgres, Path(tmp))
                fill(engine, teams)
                results.append(timed(engine))
                engine.dispose()
            (small_export, small_forget, _), (large_export, large_forget, _) = results
            for what, small, large in (
                ("export", small_export, large_export),
                ("forget", small_forget, large_forget),
            ):
                print(
                    f"{kind:<11}{what:<8}{small * 1000:>7.0f} ms{large * 1000:>9.0f} ms"
                    f"{large / small:>7.2f}x"
                )
    print("one run each; ratio = large store / small store (aim: under a minute)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
