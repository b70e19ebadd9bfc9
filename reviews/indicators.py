"""An operator's changes to an indicator's definition that are not in its file: where its
control limits start afresh, and why. A recalculation rewrites what the evidence says of
every team's figures from then on, so it is kept with its reason and audited."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from reviews.audit import record
from reviews.errors import QprError
from storage.models import Indicator

REASON_LENGTH = 300


def indicator_named(session: Session, code: str) -> Indicator:
    found = session.exec(select(Indicator).where(Indicator.code == code.strip())).first()
    if found is None:
        codes = session.exec(select(Indicator.code).order_by(Indicator.code)).all()
        listed = ", ".join(c for c in codes) if codes else "none yet"
        raise QprError(f"There is no indicator '{code}'. Indicators: {listed}.")
    return found


def set_recalculation(
    session: Session, code: str, day: date | None, reason: str | None, by: str
) -> Indicator:
    """Limits start afresh from the first figure on or after `day` (None: no longer),
    for the reason given, which a recalculation cannot be made without."""
    indicator = indicator_named(session, code)
    reason = (reason or "").strip()
    if day is not None and not reason:
        raise QprError(
            'say why the process changed then (a new service, a new definition): --reason "..."'
        )
    if len(reason) > REASON_LENGTH:
        raise QprError(f"the reason is at most {REASON_LENGTH} characters")
    indicator.recalculate_from = day
    indicator.recalculate_reason = reason if day is not None else None
    session.add(indicator)
    record(
        session,
        by,
        "indicator.recalculate",
        code=indicator.code,
        recalculate_from=day.isoformat() if day else None,
    )
    return indicator
