"""A team's meeting schedule: a rule for every quarter, or the date of the next meeting, and
whether its reminders are paused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlmodel import Session

from reviews import reminders
from reviews.audit import record
from reviews.calendar import MeetingRule, is_working_day, local_date, zone
from reviews.errors import QprError
from reviews.kinds import id_of
from reviews.teams import require_facilitator
from storage import queries
from storage.models import ReviewStage, Team, utcnow
from storage.periods import last_ended_quarter, quarter_containing


@dataclass(frozen=True)
class Outlook:
    rule: str | None
    paused: bool
    next_meeting: datetime | None  # local time
    next_reminder: reminders.Due | None


def outlook(session: Session, team: Team, now: datetime, fy_start_month: int) -> Outlook:
    today = local_date(now, team.timezone)
    meeting = None
    for period in (
        last_ended_quarter(today, fy_start_month),
        quarter_containing(today, fy_start_month),
    ):
        review = queries.review_for(session, id_of(team), period.end)
        found = reminders.meeting_of(team, period, review, fy_start_month)
        if found is not None and found > now:
            meeting = found.astimezone(zone(team.timezone))
            break
    upcoming = (
        None
        if team.reminders_paused
        else reminders.upcoming(session, now, fy_start_month, id_of(team))
    )
    return Outlook(team.meeting_rule, team.reminders_paused, meeting, upcoming)


def set_rule(
    session: Session, team: Team, by: str, text: str, request_id: str | None = None
) -> MeetingRule:
    require_facilitator(session, team, by, "change the meeting schedule")
    rule = MeetingRule.parse(text)
    team.meeting_rule = str(rule)
    team.schedule_set_at = utcnow()
    session.add(team)
    record(session, by, "schedule.rule", team_id=team.id, request_id=request_id, rule=str(rule))
    return rule


def set_meeting(
    session: Session,
    team: Team,
    by: str,
    day: date,
    clock: time | None,
    today: date,
    fy_start_month: int,
    request_id: str | None = None,
) -> date:
    """The next meeting on a date; one on a weekend or bank holiday is refused rather than
    moved, since a person chose it."""
    require_facilitator(session, team, by, "change the meeting schedule")
    if day <= today:
        raise QprError("The next meeting has to be after today.")
    if not is_working_day(day):
        raise QprError(f"{day:%A %d %B %Y} is a weekend or a bank holiday: choose a working day.")
    quarter = reminders.quarter_of_meeting(day, fy_start_month)
    review = queries.review_for(session, id_of(team), quarter.end)
    if review is not None and review.stage == ReviewStage.CLOSED:
        raise QprError(
            f"A meeting on {day:%d %B %Y} would review {quarter.label}, and that review is "
            "closed: choose a date after the current quarter ends."
        )
    team.next_meeting = day
    team.schedule_set_at = utcnow()
    if clock is not None:
        team.meeting_time = f"{clock:%H:%M}"
    session.add(team)
    # A review already started for that meeting's quarter meets then too.
    if review is not None:
        review.meeting_date = day
        session.add(review)
    record(session, by, "schedule.meeting", team_id=team.id, request_id=request_id, day=str(day))
    return day


def set_paused(
    session: Session, team: Team, by: str, paused: bool, request_id: str | None = None
) -> bool:
    require_facilitator(session, team, by, "pause or resume the reminders")
    changed = team.reminders_paused != paused
    team.reminders_paused = paused
    session.add(team)
    if changed:
        record(
            session,
            by,
            "schedule.pause" if paused else "schedule.resume",
            team_id=team.id,
            request_id=request_id,
        )
    return changed
