"""The view across teams: who the managers are, and every team's review of a quarter."""

from __future__ import annotations

from datetime import UTC, date, datetime

from reviews import managers, teams
from reviews.calendar import local_date
from reviews.cases.context import Asker, Context
from reviews.errors import QprError
from reviews.overview import Overview, overview
from reviews.periods import Period, last_ended_quarter

# Who acts from the command line: whoever runs the bot.
OPERATOR = managers.OPERATOR


def operator(request_id: str | None = None) -> Asker:
    """The person running the bot, asking from its command line."""
    return Asker(OPERATOR, "command line", request_id)


def listed(ctx: Context) -> list[str]:
    with ctx.reading() as session:
        return managers.managers(session)


def change_manager(ctx: Context, asker: Asker, user: str, adding: bool) -> bool:
    """Add or remove a manager (a manager may, and the operator; the operator names the
    first); whether anything changed."""
    with ctx.changing() as session:
        change = managers.add_manager if adding else managers.remove_manager
        return change(session, asker.user, user, asker.request_id)


def every_team(
    ctx: Context, asker: Asker, period: Period | None, today: date | None = None
) -> Overview:
    """Every team's review of a quarter (the last ended one unless named), as it stands
    `today`, for a manager, asked from a place that is no team's own."""
    today = today or local_date(datetime.now(UTC), ctx.timezone)
    period = period or last_ended_quarter(today, ctx.fy_start_month)
    with ctx.reading() as session:
        if asker.user != OPERATOR:
            managers.require_manager(session, asker.user, "post the overview of every team")
            team = teams.team_by_channel(session, asker.place)
            if team is not None:
                raise QprError(
                    f"This is the channel of {team.name}. The overview of every team "
                    "is for a managers' channel: post it there."
                )
        return overview(session, period, today, ctx.fy_start_month)
