"""Whether Slack still has the app. Uninstalled, or its tokens revoked, the bot sends
nothing more (every instance reads this before sending) and keeps every record; a start
with a token Slack accepts (the app installed again) resumes."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from reviews.audit import record
from storage.models import Installation, utcnow

UNINSTALLED = "app_uninstalled"
REVOKED = "tokens_revoked"


def stopped(session: Session) -> Installation | None:
    """The stop in force, or None while the bot may send."""
    found = session.get(Installation, 1)
    return found if found is not None and found.stopped_at is not None else None


def stop(session: Session, why: str, now: datetime | None = None) -> bool:
    """Stop sending; False if it was stopped already."""
    if stopped(session) is not None:
        return False
    found = session.get(Installation, 1) or Installation(id=1)
    found.stopped_at, found.why = now or utcnow(), why
    session.add(found)
    record(session, "slack", "installation.stop", why=why)
    return True


def resume(session: Session) -> bool:
    """Send again; False if nothing was stopped."""
    found = stopped(session)
    if found is None:
        return False
    found.stopped_at, found.why = None, None
    session.add(found)
    record(session, "operator", "installation.resume")
    return True
