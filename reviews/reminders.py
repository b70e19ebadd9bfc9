"""Which reminders are due, worked out from the store at a given moment, and claimed in it
before they are sent: each reminder has one row per occasion, so it goes out once however
many instances run, and whether or not the process was up at the time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import TypedDict

from sqlmodel import Session, col, select

from reviews.calendar import (
    DEFAULT_TIME,
    MeetingRule,
    at,
    local_date,
    next_working_day,
    parse_time,
    working_days_before,
    zone,
)
from reviews.kinds import id_of
from reviews.outcomes import posting
from reviews.people import stands_in
from storage import leases
from storage.claims import insert_new
from storage.models import (
    Facilitator,
    InformationNeed,
    Manager,
    NeedStatus,
    Reminder,
    Review,
    ReviewStage,
    Team,
    table_of,
)
from storage.periods import Period, last_ended_quarter, previous_quarter, quarter_containing

KICKOFF = "kickoff"
OUTCOMES_SOON = "outcomes_close_soon"
OUTCOMES_TODAY = "outcomes_close_today"
MEETING_TOMORROW = "meeting_tomorrow"
JUDGEMENT = "judgement_missing"
JUDGEMENT_AGAIN = "judgement_still_missing"
NEED_SOON = "need_due_soon"
NEED_OVERDUE = "need_overdue"
OVERVIEW = "overview"  # every team's review of a quarter, to each manager, once all are closed

SEND_AT = time(9, 0)
SOON_DAYS = 2  # "outcome statements close in two days"
LEASE = timedelta(minutes=10)  # a claim older than this was left by a process that stopped
_reminder = table_of(Reminder)

# A reminder's row is written when it is first claimed (or skipped), so only a claim left
# by a process that stopped, or a failed send, is claimed again; it is never given up, but
# once past its use it is no longer due, and no longer claimed.
QUEUE = leases.Queue(
    table=_reminder,
    open=_reminder.c.state.in_(("claimed", "failed")),
    lease=LEASE,
    since="claimed_at",
    not_before="next_attempt_at",
    wait=lambda failures: timedelta(minutes=min(2 ** (failures - 1), 60)),  # 1, 2, 4 ... 60
    claimed={"state": "claimed"},
    failed={"state": "failed"},
    finished=lambda now: {"state": "sent", "sent_at": now},
)
OVERVIEW_FOR = timedelta(days=14)  # a manager added later still gets the quarter's overview


@dataclass(frozen=True)
class Due:
    """One reminder on one occasion, with what its message needs."""

    kind: str
    subject: str
    occasion: str
    team_id: int
    due_at: datetime
    until: datetime  # after this it is no longer useful, and is skipped
    channel: str | None  # a channel, or a user id for a direct message
    thread_ts: str | None = None
    period_label: str = ""
    review_id: int | None = None
    need_id: int | None = None
    meeting: datetime | None = None
    close_day: date | None = None
    tz: str = "Europe/London"
    paused: bool = False  # the team's reminders are paused: passed over, never sent later

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.subject, self.occasion)


class _OfReview(TypedDict):
    """What every reminder of one review carries."""

    team_id: int
    tz: str
    period_label: str
    meeting: datetime
    review_id: int | None


class _OfNeed(TypedDict):
    """What both reminders of one need carry."""

    subject: str
    occasion: str
    team_id: int
    channel: str | None
    need_id: int | None
    tz: str


def meeting_clock(team: Team, day: date) -> time:
    """The time of a meeting: the one given with its date, else the rule's."""
    return _clock(team.meeting_rule, team.meeting_time, day == team.next_meeting)


@lru_cache(maxsize=1024)
def _clock(rule: str | None, given: str | None, is_given_day: bool) -> time:
    if given and (is_given_day or not rule):
        return parse_time(given)
    if rule:
        return MeetingRule.parse(rule).clock
    return DEFAULT_TIME


def quarter_of_meeting(day: date, fy_start_month: int) -> Period:
    """The quarter a meeting reviews: the last to end before it."""
    return last_ended_quarter(day, fy_start_month)


def meeting_of(
    team: Team, period: Period, review: Review | None, fy_start_month: int
) -> datetime | None:
    """When the meeting of a team's review of a quarter is, as UTC, if it is known."""
    if review is not None and review.meeting_date:
        day = review.meeting_date
    elif team.next_meeting and quarter_of_meeting(team.next_meeting, fy_start_month) == period:
        day = team.next_meeting
    elif team.meeting_rule:
        day = MeetingRule.parse(team.meeting_rule).day_after(period)
    else:
        return None
    return at(day, meeting_clock(team, day), team.timezone)


def posted(review: Review | None) -> bool:
    """The review's kick-off is in its channel (not merely being posted)."""
    ts = review.slack_thread_ts if review else None
    return bool(ts) and not posting(ts)


def cycle_reminders(
    team: Team,
    period: Period,
    review: Review | None,
    facilitators: list[str],
    fy_start_month: int,
) -> list[Due]:
    """The reminders of one team's review of one quarter, whether due yet or not."""
    meeting = meeting_of(team, period, review, fy_start_month)
    if meeting is None:
        return []
    tz = team.timezone
    meeting_day = local_date(meeting, tz)
    common: _OfReview = {
        "team_id": id_of(team),
        "tz": tz,
        "period_label": period.label,
        "meeting": meeting,
        "review_id": review.id if review else None,
    }
    found = []
    stage = review.stage if review else None
    # A team not yet set up in a channel has nowhere to be kicked off.
    if not posted(review) and stage != ReviewStage.CLOSED and team.slack_channel_id:
        found.append(
            Due(
                KICKOFF,
                f"team:{team.id}",
                f"{period.label}@{meeting_day}",
                due_at=at(working_days_before(meeting_day, team.kickoff_days), SEND_AT, tz),
                until=meeting,
                channel=team.slack_channel_id,
                **common,
            )
        )
    if review is None or not posted(review):
        return found
    subject = f"review:{review.id}"
    # To everyone, in the channel rather than the thread: a reply in a thread notifies all
    # who follow it, most of whom have already done their part.
    everyone = review.slack_channel_id
    close_day = working_days_before(meeting_day, team.outcomes_close_days)
    closes = at(close_day, SEND_AT, tz)
    if stage == ReviewStage.OUTCOMES:
        found.append(
            Due(
                OUTCOMES_SOON,
                subject,
                str(close_day),
                due_at=at(working_days_before(close_day, SOON_DAYS), SEND_AT, tz),
                until=closes,
                close_day=close_day,
                channel=everyone,
                **common,
            )
        )
        # The day they close, only the facilitators have something to do: agree the set.
        for user in facilitators:
            found.append(
                Due(
                    OUTCOMES_TODAY,
                    subject,
                    f"{close_day}:{user}",
                    due_at=closes,
                    until=at(close_day + timedelta(days=1), time(0), tz),
                    close_day=close_day,
                    channel=user,
                    **common,
                )
            )
    if stage in (ReviewStage.EVIDENCE, ReviewStage.JUDGEMENT):
        found.append(
            Due(
                MEETING_TOMORROW,
                subject,
                str(meeting_day),
                due_at=at(working_days_before(meeting_day, 1), SEND_AT, tz),
                until=meeting,
                channel=everyone,
                **common,
            )
        )
    # The judgement can be recorded once the outcomes are agreed.
    if stage in (ReviewStage.EVIDENCE, ReviewStage.JUDGEMENT):
        first = next_working_day(meeting_day + timedelta(days=1))
        again = next_working_day(first + timedelta(days=7))
        for kind, day in ((JUDGEMENT, first), (JUDGEMENT_AGAIN, again)):
            sent = at(day, SEND_AT, tz)
            for user in facilitators:
                found.append(
                    Due(
                        kind,
                        subject,
                        f"{meeting_day}:{user}",
                        due_at=sent,
                        until=sent + timedelta(days=7),
                        channel=user,
                        **common,
                    )
                )
    return found


def need_reminders(team: Team, need: InformationNeed) -> list[Due]:
    if need.status != NeedStatus.OPEN or not need.owner_user_id or not need.due:
        return []
    if stands_in(need.owner_user_id):
        return []  # its owner was forgotten: the need comes back at the meeting, unreminded
    tz = team.timezone
    common: _OfNeed = {
        "subject": f"need:{need.id}",
        "occasion": str(need.due),
        "team_id": id_of(team),
        "channel": need.owner_user_id,
        "need_id": need.id,
        "tz": tz,
    }
    soon = at(working_days_before(need.due, team.need_notice_days), SEND_AT, tz)
    late = at(next_working_day(need.due + timedelta(days=1)), SEND_AT, tz)
    return [
        Due(NEED_SOON, due_at=soon, until=at(need.due + timedelta(days=1), time(0), tz), **common),
        Due(NEED_OVERDUE, due_at=late, until=late + timedelta(days=7), **common),
    ]


@lru_cache(maxsize=64)
def _periods(today: date, fy_start_month: int) -> tuple[Period, ...]:
    """The quarters whose reviews can have reminders now: the current one (its kick-off can
    come before it ends), the last to end, and the one before."""
    last = last_ended_quarter(today, fy_start_month)
    return (quarter_containing(today, fy_start_month), last, previous_quarter(last, fy_start_month))


def schedule(
    session: Session, now: datetime, fy_start_month: int, team_id: int | None = None
) -> list[Due]:
    """Every reminder of every team, due or not, as things stand; a paused team's are
    marked so."""
    query = select(Team)
    if team_id is not None:
        query = query.where(Team.id == team_id)
    teams = list(session.exec(query).all())
    if not teams:
        return []
    ids = [t.id for t in teams]
    paused = {t.id: t.reminders_paused for t in teams}
    facilitators: dict[int, list[str]] = {}
    for team_key, user in session.execute(
        select(Facilitator.team_id, Facilitator.slack_user_id)
        .where(col(Facilitator.team_id).in_(ids))
        .order_by(col(Facilitator.added_at))
    ):
        facilitators.setdefault(team_key, []).append(user)
    periods_of = {t.id: _periods(local_date(now, t.timezone), fy_start_month) for t in teams}
    ends = {p.end for ps in periods_of.values() for p in ps}
    reviews = {
        (r.team_id, r.period_end): r
        for r in session.exec(
            select(Review).where(col(Review.team_id).in_(ids), col(Review.period_end).in_(ends))
        ).all()
    }
    needs: dict[int, list[InformationNeed]] = {}
    for need in session.exec(
        select(InformationNeed).where(
            col(InformationNeed.team_id).in_(ids),
            InformationNeed.status == NeedStatus.OPEN,
            col(InformationNeed.due).is_not(None),
        )
    ).all():
        needs.setdefault(need.team_id, []).append(need)
    found = []
    for team in teams:
        key = id_of(team)
        for period in periods_of[key]:
            found += cycle_reminders(
                team,
                period,
                reviews.get((key, period.end)),
                facilitators.get(key, []),
                fy_start_month,
            )
        for need in needs.get(key, []):
            found += need_reminders(team, need)
    found = [replace(d, paused=True) if paused.get(d.team_id) else d for d in found]
    # Not a team's reminder: a team's pause does not hold it back.
    found += overview_reminders(session, now, fy_start_month, team_id)
    return sorted(found, key=lambda d: (d.due_at, d.team_id, d.kind))


def overview_reminders(
    session: Session, now: datetime, fy_start_month: int, team_id: int | None = None
) -> list[Due]:
    """The quarter's overview to each manager, once the last team that owes a review of it
    has closed it (the team that closed last is the one it is filed under). A team owes one
    if it had its channel by the quarter's end and its reminders are not paused, or if it
    started one anyway."""
    managers = list(session.exec(select(Manager.slack_user_id)).all())
    if not managers:
        return []
    teams = session.exec(select(Team).where(col(Team.slack_channel_id).is_not(None))).all()
    found = []
    for period in _periods(now.date(), fy_start_month)[1:]:
        reviews = session.exec(
            select(Review).where(
                col(Review.team_id).in_([t.id for t in teams]), Review.period_end == period.end
            )
        ).all()
        owing = {
            t.id
            for t in teams
            if not t.reminders_paused
            and (t.channel_set_at is None or t.channel_set_at.date() <= period.end)
        } | {r.team_id for r in reviews if posted(r)}
        closed = [r for r in reviews if r.stage == ReviewStage.CLOSED]
        if not owing or not owing <= {r.team_id for r in closed}:
            continue
        last = max(closed, key=lambda r: r.closed_at or r.created_at)
        closed_at = last.closed_at or last.created_at
        if team_id is not None and last.team_id != team_id:
            continue
        tz = next(t.timezone for t in teams if t.id == last.team_id)
        found += [
            Due(
                OVERVIEW,
                f"overview:{period.label}",
                user,
                team_id=last.team_id,
                due_at=closed_at,
                until=closed_at + OVERVIEW_FOR,
                channel=user,
                period_label=period.label,
                review_id=last.id,
                tz=tz,
            )
            for user in managers
        ]
    return found


def due(
    session: Session, now: datetime, fy_start_month: int, team_id: int | None = None
) -> list[Due]:
    """What has fallen due by `now`: to send, or (past its use) to skip. Those already sent,
    skipped or being sent are left out."""
    found = [d for d in schedule(session, now, fy_start_month, team_id) if d.due_at <= now]
    done = _settled(session, found, now)
    return [d for d in found if d.key not in done and _before_key(d) not in done]


def _before_key(d: Due) -> tuple[str, str, str]:
    """The key a reminder had when "outcome statements close today" went to the review's
    thread, once, rather than to each facilitator: one sent so counts as sent."""
    if d.kind == OUTCOMES_TODAY:
        return (d.kind, d.subject, d.occasion.split(":", 1)[0])
    return d.key


def upcoming(session: Session, now: datetime, fy_start_month: int, team_id: int) -> Due | None:
    """The next reminder the team will get."""
    return next(
        (d for d in schedule(session, now, fy_start_month, team_id) if d.due_at > now), None
    )


def _settled(session: Session, found: list[Due], now: datetime) -> set[tuple[str, str, str]]:
    """Keys among `found` that need nothing more now: sent, skipped, claimed by a process
    that is still within its lease, or failed and not yet due for another try."""
    if not found:
        return set()
    rows = session.execute(
        select(Reminder.kind, Reminder.subject, Reminder.occasion).where(
            Reminder.due_at >= min(d.due_at for d in found), ~QUEUE.claimable(now)
        )
    ).all()
    return {(kind, subject, occasion) for kind, subject, occasion in rows}


def claim(
    session: Session, found: Iterable[Due], now: datetime, me: str
) -> tuple[list[tuple[int, Due]], list[Due]]:
    """Claim what is due: those this process is to send (with their row ids), and those
    newly skipped as past their use. Commit before sending, so others see the claims."""
    found = list(found)
    live = {d.key: d for d in found if d.until > now and not d.paused}
    stale = {d.key: d for d in found if d.until <= now or d.paused}
    mine: list[tuple[int, Due]] = []
    skipped: list[Due] = []
    for batch, state in ((list(live.values()), "claimed"), (list(stale.values()), "skipped")):
        rows = [
            {
                "kind": d.kind,
                "subject": d.subject,
                "occasion": d.occasion,
                "team_id": d.team_id,
                "due_at": d.due_at,
                "state": state,
                "claimed_at": now,
                "claimed_by": me,
                "attempts": 0,
            }
            for d in batch
        ]
        # Only the rows this process inserted come back: the others were claimed first.
        inserted = insert_new(
            session,
            _reminder,
            ["kind", "subject", "occasion"],
            rows,
            ["id", "kind", "subject", "occasion"],
        )
        for row_id, *key in inserted:
            if state == "claimed":
                mine.append((row_id, live[tuple(key)]))
            else:
                skipped.append(stale[tuple(key)])
    # Retries: a failed send whose wait is over, or a claim left by a stopped process.
    claimed = {d.key for _, d in mine}
    candidates = session.execute(
        select(Reminder.id, Reminder.kind, Reminder.subject, Reminder.occasion).where(
            QUEUE.claimable(now)
        )
    ).all()
    retry = {
        row_id: live[(kind, subject, occasion)]
        for row_id, kind, subject, occasion in candidates
        if (kind, subject, occasion) in live and (kind, subject, occasion) not in claimed
    }
    if retry:
        taken = leases.claim(
            session, QUEUE, me, now, None, where=[col(Reminder.id).in_(list(retry))]
        )
        mine += [(row_id, retry[row_id]) for (row_id,) in taken]
    return mine, skipped


WHAT = {
    KICKOFF: "the kick-off of {period} in the team's channel",
    OUTCOMES_SOON: "outcome statements for {period} close in two working days",
    OUTCOMES_TODAY: "outcome statements for {period} close today",
    MEETING_TOMORROW: "the evidence is posted; the meeting is next",
    JUDGEMENT: "the judgement of {period} is not recorded (to a facilitator)",
    JUDGEMENT_AGAIN: "the judgement of {period} is still not recorded (to a facilitator)",
    NEED_SOON: "an information need comes due (to its owner)",
    NEED_OVERDUE: "an information need is overdue (to its owner)",
    OVERVIEW: "every team's review of {period} is closed: the overview (to a manager)",
}


def describe(d: Due, detail: bool = False, names: dict[str, str] | None = None) -> str:
    """One line: what the reminder is, and the meeting it leads to. With `detail` (for an
    operator), what it is about and where it goes: a person by name where `names` has it."""
    text = WHAT[d.kind].format(period=d.period_label)
    if d.meeting is not None:
        text += f" (meeting {d.meeting.astimezone(zone(d.tz)):%a %d %b %Y %H:%M})"
    if detail:
        who = (names or {}).get(d.channel) if d.channel is not None else None
        text += f" [{d.subject}, to {f'{who} ({d.channel})' if who else d.channel}]"
    return text
