"""What is held about a member of staff, and its forgetting: a subject access request
answered from every table, and an erasure that keeps the team's record.

A forgotten person's id is replaced everywhere by a pseudonym made for that forgetting
(random, so it cannot be worked back from the id), named "a former member"; their
proposals that were never agreed and their supports are deleted. People who use services
are never here: complaints and views are kept without names."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from reviews.audit import record
from reviews.managers import OPERATOR
from storage.models import (
    AuditEvent,
    Facilitator,
    InboxItem,
    InformationNeed,
    Judgement,
    Manager,
    Outbox,
    OutcomeStatement,
    OutcomeStatus,
    OutcomeSupport,
    Person,
    PulseTaken,
    Review,
    Team,
)

FORMER_NAME = "a former member"
PSEUDONYM = re.compile(r"^former-[0-9a-f]{10}$")
# Who stands in, in every table, for anyone whose identity is past the retention period.
UNNAMED = "unnamed"
UNNAMED_NAME = "a member of the team"
# How the words people write on a chat platform refer to a person, by their id: given by
# the front end whose words are kept (the domain speaks no platform's markup).
Naming = Callable[[str], re.Pattern[str]]


def pseudonym() -> str:
    return f"former-{secrets.token_hex(5)}"


def stands_in(user_id: str | None) -> bool:
    """Whether an id stands in for someone forgotten or past the retention period: nobody
    to remind, to mention or to ask Slack about."""
    return bool(user_id and (user_id == UNNAMED or PSEUDONYM.match(user_id)))


def _at(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _places(session: Session) -> tuple[dict[int, Review], dict[int, str]]:
    reviews = {r.id: r for r in session.exec(select(Review)).all() if r.id is not None}
    teams = {t.id: t.name for t in session.exec(select(Team)).all() if t.id is not None}
    return reviews, teams


def _where(reviews: dict[int, Review], teams: dict[int, str], review_id: int | None) -> dict:
    review = reviews.get(review_id) if review_id is not None else None
    if review is None:
        return {"team": None, "period": None}
    return {"team": teams.get(review.team_id), "period": review.period_label}


def _audited(session: Session, user_id: str, naming: Naming) -> list[AuditEvent]:
    """Audit entries by the person or naming them in their detail."""
    as_text = sa.cast(col(AuditEvent.detail), sa.String)
    rows = session.exec(
        select(AuditEvent)
        .where(sa.or_(col(AuditEvent.actor) == user_id, as_text.contains(user_id)))
        .order_by(col(AuditEvent.at), col(AuditEvent.id))
    ).all()
    return [r for r in rows if r.actor == user_id or _holds(r.detail, user_id, naming)]


def _holds(value: Any, user_id: str, naming: Naming) -> bool:
    if isinstance(value, str):
        return value == user_id or bool(naming(user_id).search(value))
    if isinstance(value, dict):
        return any(_holds(v, user_id, naming) for v in value.values())
    if isinstance(value, list):
        return any(_holds(v, user_id, naming) for v in value)
    return False


def _replaced(value: Any, user_id: str, by: str, naming: Naming) -> Any:
    if isinstance(value, str):
        return by if value == user_id else naming(user_id).sub(FORMER_NAME, value)
    if isinstance(value, dict):
        return {k: _replaced(v, user_id, by, naming) for k, v in value.items()}
    if isinstance(value, list):
        return [_replaced(v, user_id, by, naming) for v in value]
    return value


def _texts_naming(session: Session, user_id: str, naming: Naming) -> list[tuple[str, Any, str]]:
    """(what, row, column) of the words that name the person (in a statement, a need, its
    answer or a judgement's reasons), as the platform writes a person in words."""
    found: list[tuple[str, Any, str]] = []
    written = naming(user_id)
    for kind, model, columns in (
        ("outcome statement", OutcomeStatement, ("text",)),
        ("information need", InformationNeed, ("text", "answer")),
        ("judgement", Judgement, ("rationale",)),
    ):
        for column in columns:
            attribute = getattr(model, column)
            for row in session.exec(select(model).where(col(attribute).contains(user_id))):
                if written.search(getattr(row, column) or ""):
                    found.append((kind, row, column))
    return found


def export(session: Session, user_id: str, now: datetime, naming: Naming) -> dict[str, Any]:
    """Everything held about a person, as plain values for JSON."""
    reviews, teams = _places(session)
    person = session.get(Person, user_id)
    facilitating = session.exec(select(Facilitator).where(Facilitator.slack_user_id == user_id))
    manager = session.get(Manager, user_id)
    proposals = session.exec(
        select(OutcomeStatement)
        .where(OutcomeStatement.proposer_user_id == user_id)
        .order_by(col(OutcomeStatement.id))
    ).all()
    supports = session.exec(
        select(OutcomeSupport, OutcomeStatement)
        .join(OutcomeStatement, col(OutcomeStatement.id) == col(OutcomeSupport.outcome_id))
        .where(OutcomeSupport.slack_user_id == user_id)
        .order_by(col(OutcomeStatement.id))
    ).all()
    judgements = session.exec(
        select(Judgement).where(Judgement.recorded_by == user_id).order_by(col(Judgement.id))
    ).all()
    outcome_text = {
        o.id: o.text
        for o in session.exec(
            select(OutcomeStatement).where(
                col(OutcomeStatement.id).in_([j.outcome_id for j in judgements if j.outcome_id])
            )
        ).all()
    }
    needs = session.exec(
        select(InformationNeed)
        .where(
            sa.or_(
                col(InformationNeed.owner_user_id) == user_id,
                col(InformationNeed.settled_by) == user_id,
            )
        )
        .order_by(col(InformationNeed.id))
    ).all()

    def need(n: InformationNeed) -> dict[str, Any]:
        return {
            **_where(reviews, teams, n.review_id),
            "text": n.text,
            "status": str(n.status),
            "due": n.due.isoformat() if n.due else None,
            "answer": n.answer,
            "answer_link": n.answer_link,
            "answer_file": n.answer_file,
            "created_at": _at(n.created_at),
            "closed_at": _at(n.closed_at),
        }

    return {
        "user_id": user_id,
        "exported_at": now.isoformat(),
        "name": person.name if person else None,
        "name_fetched_at": _at(person.fetched_at) if person else None,
        "facilitator_of": sorted(teams.get(f.team_id, "") for f in facilitating),
        "manager": None
        if manager is None
        else {"added_by": manager.added_by, "added_at": _at(manager.added_at)},
        "managers_added": sorted(
            m.slack_user_id
            for m in session.exec(select(Manager).where(Manager.added_by == user_id)).all()
        ),
        "reviews_facilitated": [
            _where(reviews, teams, r.id)
            for r in reviews.values()
            if r.facilitator_user_id == user_id
        ],
        "proposals": [
            {
                **_where(reviews, teams, o.review_id),
                "text": o.text,
                "status": str(o.status),
                "proposed_at": _at(o.created_at),
            }
            for o in proposals
        ],
        "supports": [
            {
                **_where(reviews, teams, o.review_id),
                "outcome": o.text,
                "supported_at": _at(s.added_at),
            }
            for s, o in supports
        ],
        "judgements_recorded": [
            {
                **_where(reviews, teams, j.review_id),
                "outcome": outcome_text.get(j.outcome_id) if j.outcome_id else "overall",
                "rating": str(j.rating),
                "reasons": j.rationale,
                "recorded_at": _at(j.recorded_at),
            }
            for j in judgements
        ],
        "needs_owned": [need(n) for n in needs if n.owner_user_id == user_id],
        "needs_settled": [need(n) for n in needs if n.settled_by == user_id],
        "mentioned_in": [
            {"what": kind, "words": getattr(row, column)}
            for kind, row, column in _texts_naming(session, user_id, naming)
        ],
        "audit": [
            {
                "at": _at(a.at),
                "action": a.action,
                "by_them": a.actor == user_id,
                **_where(reviews, teams, a.review_id),
                "detail": a.detail,
            }
            for a in _audited(session, user_id, naming)
        ],
        # That they answered the questions after a review; what they answered is not kept
        # with who gave it, so it cannot be given.
        "pulse_answered": [
            {**_where(reviews, teams, t.review_id), "question": t.question}
            for t in session.exec(select(PulseTaken).where(PulseTaken.slack_user_id == user_id))
        ],
        "posts_owed_to_or_after_them": len(_owed(session, user_id)),
        "requests_being_worked": len(_in_hand(session, user_id)),
    }


def _owed(session: Session, user_id: str) -> list[Outbox]:
    return list(
        session.exec(
            select(Outbox).where(
                sa.or_(col(Outbox.user_id) == user_id, col(Outbox.channel) == user_id)
            )
        ).all()
    )


def _in_hand(session: Session, user_id: str) -> list[InboxItem]:
    """Requests not yet worked that carry the person's id (a done one keeps no body)."""
    return list(
        session.exec(
            select(InboxItem).where(
                col(InboxItem.done_at).is_(None), col(InboxItem.body).contains(user_id)
            )
        ).all()
    )


@dataclass(frozen=True)
class Forgotten:
    """What a forgetting changed, by kind, and what it could not yet reach."""

    changed: dict[str, int] = field(default_factory=dict)
    still_being_worked: int = 0
    teams_left_without_facilitator: list[str] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return any(self.changed.values())


def forget(session: Session, user_id: str, naming: Naming) -> Forgotten:
    """Remove a person's id and name from every table; their never-agreed proposals and
    their supports are deleted, and what the team agreed, judged and needs is kept under
    a pseudonym. Audited without the id. A second forgetting finds nothing."""
    by = pseudonym()
    changed: dict[str, int] = {}

    def count(what: str, n: int) -> None:
        if n:
            changed[what] = changed.get(what, 0) + n

    proposals = session.exec(
        select(OutcomeStatement).where(OutcomeStatement.proposer_user_id == user_id)
    ).all()
    for outcome in proposals:
        if outcome.status == OutcomeStatus.AGREED or carried_on(session, outcome):
            outcome.proposer_user_id = by
            session.add(outcome)
            count("agreed outcomes now proposed by a former member", 1)
        else:
            session.delete(outcome)
            count("proposals never agreed, deleted", 1)
    supports = session.exec(
        select(OutcomeSupport).where(OutcomeSupport.slack_user_id == user_id)
    ).all()
    for support in supports:
        session.delete(support)
    count("supports, deleted", len(supports))
    for judgement in session.exec(select(Judgement).where(Judgement.recorded_by == user_id)):
        judgement.recorded_by = by
        session.add(judgement)
        count("judgements recorded", 1)
    for need in session.exec(
        select(InformationNeed).where(
            sa.or_(
                col(InformationNeed.owner_user_id) == user_id,
                col(InformationNeed.settled_by) == user_id,
            )
        )
    ):
        if need.owner_user_id == user_id:
            need.owner_user_id = by
        if need.settled_by == user_id:
            need.settled_by = by
        session.add(need)
        count("information needs owned or settled", 1)
    for review in session.exec(select(Review).where(Review.facilitator_user_id == user_id)):
        review.facilitator_user_id = by
        session.add(review)
        count("reviews facilitated", 1)
    for kind, row, column in _texts_naming(session, user_id, naming):
        setattr(row, column, naming(user_id).sub(FORMER_NAME, getattr(row, column)))
        session.add(row)
        count(f"mentions in {kind}s", 1)
    alone = _leave_roles(session, user_id, count)
    answered = session.exec(select(PulseTaken).where(PulseTaken.slack_user_id == user_id)).all()
    for taken in answered:
        # Kept under the pseudonym, so the count of who answered stays whole.
        session.delete(taken)
        session.add(
            PulseTaken(review_id=taken.review_id, slack_user_id=by, question=taken.question)
        )
    count("pulse answers given (what they answered was never kept with them)", len(answered))
    for manager in session.exec(select(Manager).where(Manager.added_by == user_id)):
        manager.added_by = by
        session.add(manager)
        count("managers they added", 1)
    for post in _owed(session, user_id):
        if post.channel == user_id and post.state == "pending":
            post.state = "given_up"  # a direct message to nobody
        post.user_id = by if post.user_id == user_id else post.user_id
        post.channel = by if post.channel == user_id else post.channel
        session.add(post)
        count("owed posts", 1)
    for event in _audited(session, user_id, naming):
        event.actor = by if event.actor == user_id else event.actor
        event.detail = _replaced(event.detail, user_id, by, naming)
        session.add(event)
        count("audit entries", 1)
    person = session.get(Person, user_id)
    if person is not None:
        session.delete(person)
        count("name", 1)
    if changed:
        # Named "a former member" wherever a report or a message names people.
        session.add(Person(slack_user_id=by, name=FORMER_NAME))
        session.flush()
        record(session, OPERATOR, "person.forget", changed=sum(changed.values()))
    return Forgotten(changed, len(_in_hand(session, user_id)), alone)


def carried_on(session: Session, outcome: OutcomeStatement) -> bool:
    """Whether a later review carried the outcome over (its story goes on there)."""
    return (
        session.exec(
            select(OutcomeStatement.id).where(OutcomeStatement.carried_from_id == outcome.id)
        ).first()
        is not None
    )


def _leave_roles(session: Session, user_id: str, count: Callable[[str, int], None]) -> list[str]:
    """Drop the person's roles; the teams they leave with no facilitator."""
    alone = []
    for role in session.exec(select(Facilitator).where(Facilitator.slack_user_id == user_id)):
        session.delete(role)
        count("facilitator roles", 1)
        others = session.exec(
            select(Facilitator).where(
                Facilitator.team_id == role.team_id, Facilitator.slack_user_id != user_id
            )
        ).first()
        team = session.get(Team, role.team_id)
        if others is None and team is not None:
            alone.append(team.name)
    manager = session.get(Manager, user_id)
    if manager is not None:
        session.delete(manager)
        count("manager role", 1)
    return sorted(alone)
