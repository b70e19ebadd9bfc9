"""When a team meets (a date, or a rule each quarter) and its reminders paused or on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlmodel import Session

from reviews import schedule
from reviews.calendar import MeetingRule, local_date
from reviews.cases.context import Asker, Context, team_here
from reviews.kinds import Team


@dataclass(frozen=True)
class Schedule:
    team: Team
    outlook: schedule.Outlook
    changed: bool = False
    day: date | None = None  # the meeting just set
    rule: MeetingRule | None = None  # the rule just set


def outlook(ctx: Context, asker: Asker) -> Schedule:
    with ctx.reading() as session:
        team = team_here(session, asker)
        return Schedule(team, _outlook(ctx, session, team))


def pause(ctx: Context, asker: Asker, paused: bool) -> Schedule:
    with ctx.changing() as session:
        team = team_here(session, asker)
        changed = schedule.set_paused(session, team, asker.user, paused, asker.request_id)
        return Schedule(team, _outlook(ctx, session, team), changed=changed)


def meet_on(ctx: Context, asker: Asker, day: date, clock: time | None) -> Schedule:
    with ctx.changing() as session:
        team = team_here(session, asker)
        today = local_date(datetime.now(UTC), team.timezone)
        day = schedule.set_meeting(
            session, team, asker.user, day, clock, today, ctx.fy_start_month, asker.request_id
        )
        return Schedule(team, _outlook(ctx, session, team), changed=True, day=day)


def meet_by_rule(ctx: Context, asker: Asker, text: str) -> Schedule:
    with ctx.changing() as session:
        team = team_here(session, asker)
        rule = schedule.set_rule(session, team, asker.user, text, asker.request_id)
        return Schedule(team, _outlook(ctx, session, team), changed=True, rule=rule)


def _outlook(ctx: Context, session: Session, team: Team) -> schedule.Outlook:
    session.flush()  # what was just set is what the outlook reads
    return schedule.outlook(session, team, datetime.now(UTC), ctx.fy_start_month)
