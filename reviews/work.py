"""A unit of work as the use cases and the front ends open it: what the database refuses
as a conflict (a second carry-over of one outcome, two people recording at once) comes out
as a domain refusal, not the database's own error; and an incoming event is worked once.

A platform delivers an event again when it thinks it was not received, and with several
instances any of them may get it. Each event's id is written in the same transaction as
what the event changes: a second delivery finds it taken and changes nothing, and a
delivery that failed half way leaves no claim behind, so its retry is still handled."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlmodel import Session

from reviews.errors import QprError
from storage.db import SessionFactory
from storage.models import ProcessedEvent


class Conflict(QprError):
    """What was asked is done already, by this request or another at the same moment."""


@contextmanager
def unit_of_work(factory: SessionFactory, conflict: str) -> Iterator[Session]:
    """`factory.unit_of_work()`, with a conflict at commit said as `conflict`."""
    try:
        with factory.unit_of_work() as session:
            yield session
    except sa.exc.IntegrityError:
        raise Conflict(conflict) from None


@contextmanager
def claimed(factory: SessionFactory, event_id: str | None) -> Iterator[Session | None]:
    """A unit of work that holds this event's claim; None when it was claimed before."""
    with factory.unit_of_work() as session:
        if event_id:
            session.add(ProcessedEvent(event_id=str(event_id)))
            try:
                session.flush()  # the claim comes first, before anything it would change
            except sa.exc.IntegrityError:
                session.rollback()
                yield None
                return
        yield session
