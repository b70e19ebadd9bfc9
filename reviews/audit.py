"""Every state change leaves an audit event: who, what, when, from which Slack request."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from storage.models import AuditEvent


def record(
    session: Session,
    actor: str,
    action: str,
    *,
    team_id: int | None = None,
    review_id: int | None = None,
    request_id: str | None = None,
    **detail: Any,
) -> None:
    # Ids and counts only: what people wrote stays in its own table, not in the audit trail.
    session.add(
        AuditEvent(
            actor=actor,
            action=action,
            team_id=team_id,
            review_id=review_id,
            slack_request_id=request_id,
            detail=detail,
        )
    )
