"""People's names as Slack shows them, asked with `users.info` and kept in the database,
so that a report made later (from the command line too) names them."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from slack_sdk.errors import SlackApiError
from sqlmodel import col, select

from bot.slack.calls import slack_error
from reviews.people import stands_in
from storage.models import Person

log = logging.getLogger(__name__)
FRESH = timedelta(days=7)


def refresh_names(client, factory, ids: set[str], now: datetime | None = None) -> None:
    """Ask Slack for names not known or not fresh; a refusal leaves the id to stand in."""
    now = now or datetime.now(UTC)
    ids = {i for i in ids if not stands_in(i)}  # nobody in Slack: named by the record
    with factory() as session:
        rows = session.exec(select(Person).where(col(Person.slack_user_id).in_(sorted(ids)))).all()
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
