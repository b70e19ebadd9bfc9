"""The names Slack shows for the people in a review, for reports: looked up with
`users.info` and kept, so that a report made later from the command line names them too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from slack_sdk.errors import SlackApiError
from sqlmodel import select

from bot.listeners.context import log, slack_error
from reviews.record import ReviewRecord
from storage.models import Person

FRESH = timedelta(days=7)


def people_in(record: ReviewRecord) -> set[str]:
    found = set(record.facilitators)
    for outcome in record.outcomes:
        found |= {outcome.proposer, *outcome.supporters} - {None}
    for need in [*record.needs, *record.earlier_needs]:
        if need.owner:
            found.add(need.owner)
    if record.judged_by:
        found.add(record.judged_by)
    return found


def known_names(session, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = session.exec(select(Person).where(Person.slack_user_id.in_(sorted(ids)))).all()
    return {p.slack_user_id: p.name for p in rows}


def refresh_names(client, factory, ids: set[str], now: datetime | None = None) -> None:
    """Ask Slack for names not known or not fresh; a refusal leaves the id to stand in."""
    now = now or datetime.now(UTC)
    with factory() as session:
        rows = session.exec(select(Person).where(Person.slack_user_id.in_(sorted(ids)))).all()
        fresh = {p.slack_user_id for p in rows if p.fetched_at > now - FRESH}
    for user in sorted(ids - fresh):
        try:
            answer = client.users_info(user=user)
        except SlackApiError as exc:
            log.warning("no name for a user: %s", slack_error(exc))
            continue
        profile = answer["user"].get("profile") or {}
        name = (
            profile.get("display_name")
            or profile.get("real_name")
            or answer["user"].get("real_name")
            or answer["user"].get("name")
        )
        if not name:
            continue
        with factory.unit_of_work() as session:
            session.merge(Person(slack_user_id=user, name=name[:120], fetched_at=now))
