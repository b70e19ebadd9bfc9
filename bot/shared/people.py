"""The people in a review, and the names the database keeps for them, so that a report
names people wherever it is made (the names themselves are asked of the chat platform by
its adapter)."""

from __future__ import annotations

from sqlmodel import col, select

from reviews.record import ReviewRecord
from storage.models import Person


def people_in(record: ReviewRecord) -> set[str]:
    found = set(record.facilitators)
    for outcome in record.outcomes:
        found |= {u for u in (outcome.proposer, *outcome.supporters) if u is not None}
    for need in [*record.needs, *record.earlier_needs]:
        if need.owner:
            found.add(need.owner)
    if record.judged_by:
        found.add(record.judged_by)
    return found


def known_names(session, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = session.exec(select(Person).where(col(Person.slack_user_id).in_(sorted(ids)))).all()
    return {p.slack_user_id: p.name for p in rows}
