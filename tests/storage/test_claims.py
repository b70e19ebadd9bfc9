"""Claiming rows: only those not taken come back, many at once (COPY on PostgreSQL) or few."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from storage.claims import insert_new
from storage.models import Reminder, Team

NOW = datetime(2026, 10, 13, 8, tzinfo=UTC)


def rows(team_id: int, numbers: range, by: str) -> list[dict]:
    return [
        {
            "kind": "k",
            "subject": f"s{n}",
            "occasion": "o",
            "team_id": team_id,
            "due_at": NOW,
            "state": "claimed",
            "claimed_at": NOW,
            "claimed_by": by,
            "attempts": 0,
        }
        for n in numbers
    ]


@pytest.mark.parametrize("count", [50, 600])  # below and above the COPY threshold
def test_only_rows_not_taken_come_back(factory, count):
    with factory.unit_of_work() as session:
        team = Team(name="T", name_key="t")
        session.add(team)
        session.flush()
        team_id = team.id
        first = insert_new(
            session,
            Reminder.__table__,
            ["kind", "subject", "occasion"],
            rows(team_id, range(0, count // 2), "A"),
            ["subject"],
        )
    with factory.unit_of_work() as session:
        second = insert_new(
            session,
            Reminder.__table__,
            ["kind", "subject", "occasion"],
            rows(team_id, range(0, count), "B"),
            ["subject"],
        )
        again = insert_new(
            session,
            Reminder.__table__,
            ["kind", "subject", "occasion"],
            rows(team_id, range(0, count), "C"),
            ["subject"],
        )
    assert len(first) == count // 2
    assert sorted(s for (s,) in second) == sorted(f"s{n}" for n in range(count // 2, count))
    assert again == []
    with factory() as session:
        holders = {r.subject: r.claimed_by for r in session.exec(select(Reminder)).all()}
    assert holders["s0"] == "A" and holders[f"s{count - 1}"] == "B" and len(holders) == count
