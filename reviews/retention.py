"""People's words and identities kept no longer than the council's retention period: what
is older is listed (and, when applied, removed) while the aggregate record stays: each
review's agreed outcomes, ratings and needs, and the counts of complaints and views.

Past the period: the proposals never agreed and every support are deleted; who proposed,
judged, owned, settled or facilitated becomes "a member of the team"; the reasons given
for a judgement, what was found for a need and the words of user views are emptied; the
audit trail and sent posts are deleted; a name not asked of Slack since is deleted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from reviews.audit import record
from reviews.managers import OPERATOR
from reviews.people import UNNAMED, UNNAMED_NAME, carried_on, stands_in
from storage.models import (
    AuditEvent,
    InformationNeed,
    Judgement,
    Outbox,
    OutcomeStatement,
    OutcomeStatus,
    OutcomeSupport,
    Person,
    PulseComment,
    PulseTaken,
    Review,
    UserView,
)

DEFAULT_YEARS = 6


def cutoff(now: datetime, years: int) -> datetime:
    """The moment `years` years before `now` (29 February falls back to the 28th)."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


@dataclass(frozen=True)
class Retention:
    """What is past the period, by kind (removed when applied)."""

    before: datetime
    found: dict[str, int]

    @property
    def anything(self) -> bool:
        return any(self.found.values())


def retention(session: Session, before: datetime, apply: bool = False) -> Retention:
    """What is older than `before`: the reviews whose quarter ended before it, the views
    received before it, the audit entries and sent posts made before it."""
    day: date = before.date()
    old_reviews = [
        r.id for r in session.exec(select(Review).where(Review.period_end < day)).all() if r.id
    ]
    outcomes = select(OutcomeStatement).where(col(OutcomeStatement.review_id).in_(old_reviews))
    never_agreed = [
        o
        for o in session.exec(outcomes).all()
        if o.status != OutcomeStatus.AGREED and not carried_on(session, o)
    ]
    named_outcomes = [
        o
        for o in session.exec(outcomes).all()
        if o.status == OutcomeStatus.AGREED and o.proposer_user_id not in (None, UNNAMED)
    ]
    supports = session.exec(
        select(OutcomeSupport)
        .join(OutcomeStatement, col(OutcomeStatement.id) == col(OutcomeSupport.outcome_id))
        .where(col(OutcomeStatement.review_id).in_(old_reviews))
    ).all()
    judgements = [
        j
        for j in session.exec(
            select(Judgement).where(col(Judgement.review_id).in_(old_reviews))
        ).all()
        if j.recorded_by != UNNAMED or j.rationale
    ]
    needs = [
        n
        for n in session.exec(
            select(InformationNeed).where(col(InformationNeed.review_id).in_(old_reviews))
        ).all()
        if (n.owner_user_id or UNNAMED) != UNNAMED
        or (n.settled_by or UNNAMED) != UNNAMED
        or n.answer
        or n.answer_link
        or n.answer_file
    ]
    facilitated = [
        r
        for r in session.exec(select(Review).where(col(Review.id).in_(old_reviews))).all()
        if (r.facilitator_user_id or UNNAMED) != UNNAMED
    ]
    views = session.exec(select(UserView).where(UserView.received < day, UserView.text != "")).all()
    # Who answered the questions after an old review (their answers are kept, nameless).
    taken = session.exec(select(PulseTaken).where(col(PulseTaken.review_id).in_(old_reviews))).all()
    comments = session.exec(
        select(PulseComment).where(col(PulseComment.review_id).in_(old_reviews))
    ).all()
    moment = before if before.tzinfo else before.replace(tzinfo=UTC)
    audit = session.exec(select(AuditEvent).where(col(AuditEvent.at) < moment)).all()
    posts = session.exec(
        select(Outbox).where(col(Outbox.created_at) < moment, Outbox.state != "pending")
    ).all()
    names = session.exec(select(Person).where(col(Person.fetched_at) < moment)).all()
    names = [p for p in names if not stands_in(p.slack_user_id)]
    found = {
        "proposals never agreed": len(never_agreed),
        "supports": len(supports),
        "agreed outcomes naming who proposed them": len(named_outcomes),
        "judgements naming who recorded them, or with reasons": len(judgements),
        "information needs naming people, or with what was found": len(needs),
        "reviews naming their facilitator": len(facilitated),
        "user views with their words": len(views),
        "records of who answered the questions after a review": len(taken),
        "comments given with those answers": len(comments),
        "audit entries": len(audit),
        "sent posts": len(posts),
        "names of people": len(names),
    }
    if apply:
        for row in [*supports, *never_agreed, *audit, *posts, *names, *taken, *comments]:
            session.delete(row)
        for outcome in named_outcomes:
            outcome.proposer_user_id = UNNAMED
        for judgement in judgements:
            judgement.recorded_by, judgement.rationale = UNNAMED, ""
        for need in needs:
            need.owner_user_id = UNNAMED if need.owner_user_id else None
            need.settled_by = UNNAMED if need.settled_by else None
            need.answer = need.answer_link = need.answer_file = None
        for review in facilitated:
            review.facilitator_user_id = UNNAMED
        for view in views:
            view.text = ""
        session.add_all([*named_outcomes, *judgements, *needs, *facilitated, *views])
        if session.get(Person, UNNAMED) is None:
            session.add(Person(slack_user_id=UNNAMED, name=UNNAMED_NAME))
        session.flush()
        record(session, OPERATOR, "retention.apply", before=day.isoformat(), removed=_keys(found))
    return Retention(before, found)


def _keys(found: dict[str, int]) -> dict[str, int]:
    return {k.replace(" ", "_").replace(",", ""): v for k, v in found.items() if v}
