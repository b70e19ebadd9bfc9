"""People's data, as the operator answers a data protection request from the command line:
everything held about a member of staff, their forgetting, and the retention period."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from reviews import people, retention
from reviews.cases.context import Context


def export_person(
    ctx: Context, user_id: str, naming: people.Naming, now: datetime | None = None
) -> dict[str, Any]:
    """Everything held about a person; `naming`: how the platform writes them in words."""
    with ctx.reading() as session:
        return people.export(session, user_id, now or datetime.now(UTC), naming)


def forget_person(ctx: Context, user_id: str, naming: people.Naming) -> people.Forgotten:
    with ctx.changing() as session:
        return people.forget(session, user_id, naming)


def past_retention(
    ctx: Context, years: int, apply: bool = False, now: datetime | None = None
) -> retention.Retention:
    """What is older than `years` years; removed when `apply`."""
    before = retention.cutoff(now or datetime.now(UTC), years)
    if not apply:
        with ctx.reading() as session:
            return retention.retention(session, before)
    with ctx.changing() as session:
        return retention.retention(session, before, apply=True)
