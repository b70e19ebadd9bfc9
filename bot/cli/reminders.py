"""`qpr reminders --at`: what would be sent at a moment, without sending anything."""

from __future__ import annotations

from datetime import UTC

import sqlalchemy as sa
from sqlmodel import col

from bot.base.config import Settings
from bot.cli.common import database, moment, refuse
from bot.shared.people import known_names
from reviews.calendar import zone
from reviews.errors import UnknownTeam
from storage import queries
from storage.models import Team


def add(due) -> None:
    due.add_argument(
        "--at",
        required=True,
        type=moment,
        metavar='"YYYY-MM-DD HH:MM"',
        help="the moment, in QPR_TIMEZONE",
    )
    due.add_argument("--team", help="one team only")
    due.set_defaults(handler=run)


def run(args, settings: Settings) -> int:
    # Loaded here: the reminder rules bring the bank-holiday calendars.
    from reviews import reminders

    factory = database(settings.database_url)
    at = args.at.replace(tzinfo=zone(settings.timezone)).astimezone(UTC)
    with factory() as session:
        team_id = None
        if args.team:
            team = queries.team_by_name(session, args.team)
            if team is None:
                return refuse(str(UnknownTeam(args.team, queries.team_names(session))), 1)
            team_id = team.id
        found = reminders.due(session, at, settings.fy_start_month, team_id)
        names = dict(session.execute(sa.select(col(Team.id), col(Team.name))).all())
        coming = [] if found else _coming(session, at, settings.fy_start_month, team_id)
        people = known_names(session, {d.channel for d in found if d.channel is not None})
    live = [d for d in found if d.until > at and not d.paused]
    stale = [d for d in found if d.until <= at or d.paused]
    local = zone(settings.timezone)
    if not found and coming:
        first = min(coming, key=lambda d: d.due_at)
        print(
            f"Nothing would be sent at {args.at:%Y-%m-%d %H:%M}. The next reminder: "
            f"{first.due_at.astimezone(zone(settings.timezone)):%Y-%m-%d %H:%M}  "
            f"{names.get(first.team_id, first.team_id)}  {reminders.describe(first)}"
        )
    elif not found:
        print(
            f"Nothing would be sent at {args.at:%Y-%m-%d %H:%M}, and no reminder is coming: "
            "reminders need a team set up in a channel (/qpr setup) with a meeting schedule "
            "(/qpr schedule), not paused."
        )
    for d in live:
        print(
            f"{d.due_at.astimezone(local):%Y-%m-%d %H:%M}  {names.get(d.team_id, d.team_id)}  "
            f"{reminders.describe(d, detail=True, names=people)}"
        )
    for d in stale:
        why = "paused" if d.paused else "too late"
        print(
            f"(skipped, {why})  {d.due_at.astimezone(local):%Y-%m-%d %H:%M}  "
            f"{names.get(d.team_id, d.team_id)}  {reminders.describe(d, detail=True, names=people)}"
        )
    return 0


def _coming(session, at, fy_start_month: int, team_id: int | None) -> list:
    """The next reminder of each team (or of the one asked about) after `at`."""
    from reviews import reminders

    live = sa.select(col(Team.id)).where(col(Team.reminders_paused).is_(False))
    if team_id:
        live = live.where(col(Team.id) == team_id)
    ids = list(session.execute(live).scalars())
    found = [reminders.upcoming(session, at, fy_start_month, i) for i in ids]
    return [d for d in found if d is not None]
