"""Managers: the people who see every team's reviews at once (a head of service, the
performance team). Whoever runs the bot names the first from the command line (anyone can
set up a channel and facilitate its team, so that cannot be what opens every team to
them); after that, managers add and remove managers."""

from __future__ import annotations

from sqlmodel import Session, col, select

from reviews.audit import record
from reviews.errors import THEN, QprError
from storage.models import Manager

OPERATOR = "operator"  # who acts from the command line, in the audit trail


def managers(session: Session) -> list[str]:
    """Every manager's Slack user id, first added first."""
    return list(
        session.exec(
            select(Manager.slack_user_id).order_by(col(Manager.added_at), Manager.slack_user_id)
        )
    )


def is_manager(session: Session, user_id: str) -> bool:
    return session.get(Manager, user_id) is not None


def require_manager(session: Session, user_id: str, what: str) -> None:
    if is_manager(session, user_id):
        return
    who = managers(session)
    if not who:
        raise QprError(
            f"Only a manager can {what}. There are no managers yet: see {THEN}.",
            then="managers",
        )
    raise QprError(f"Only a manager can {what}.", ask=who[:1])


def _may_change(session: Session, by: str) -> None:
    if by == OPERATOR or is_manager(session, by):
        return
    if not managers(session):
        raise QprError(
            "There are no managers yet. Whoever runs the bot adds the first from the command "
            "line: `qpr managers add <Slack user id>`."
        )
    require_manager(session, by, "change who the managers are")


def add_manager(session: Session, by: str, user_id: str, request_id: str | None = None) -> bool:
    _may_change(session, by)
    if is_manager(session, user_id):
        return False
    session.add(Manager(slack_user_id=user_id, added_by=by))
    record(session, by, "manager.add", request_id=request_id, user=user_id)
    return True


def remove_manager(session: Session, by: str, user_id: str, request_id: str | None = None) -> bool:
    _may_change(session, by)
    found = session.get(Manager, user_id)
    if found is None:
        return False
    if len(managers(session)) == 1 and by != OPERATOR:
        raise QprError("There must be at least one manager: add another one first.")
    session.delete(found)
    record(session, by, "manager.remove", request_id=request_id, user=user_id)
    return True
