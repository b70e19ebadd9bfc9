"""What every use case is given: where the data lives and the council's calendar
(`Context`), and who asks from where (`Asker`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlmodel import Session

from reviews import outcomes, teams
from reviews.errors import NoOpenReview
from reviews.kinds import Review, Team
from reviews.work import unit_of_work
from storage.db import SessionFactory


@dataclass(frozen=True)
class Context:
    factory: SessionFactory
    fy_start_month: int = 4
    timezone: str = "Europe/London"  # the council's, for what belongs to no team

    def reading(self) -> Session:
        """A session for what only reads."""
        return self.factory()

    @contextmanager
    def changing(self, conflict: str = "That was just done by someone else.") -> Iterator[Session]:
        """One transaction, committed when the block succeeds; a clash with another request
        at commit is refused with `conflict`."""
        with unit_of_work(self.factory, conflict) as session:
            yield session


@dataclass(frozen=True)
class Asker:
    """Who asks, and from where: `place` is the conversation the request came from (a
    team's channel, or a direct message with the bot when `direct`; empty for a submitted
    form, which names its review). A request is about the team whose place it is; ids it
    carries are honoured only if they are that team's."""

    user: str
    place: str
    request_id: str | None = None
    direct: bool = False


def team_here(session: Session, asker: Asker) -> Team:
    return teams.team_for_channel(session, asker.place)


def review_here(
    session: Session, asker: Asker, review_id: int | None = None
) -> tuple[Team, Review]:
    """The review a request is about: its place's open one, or one named by id, which is
    honoured in its team's channel; in a direct message (a reminder's button) or from a
    submitted form, it is the named review's team's (who may act on it is asked after, of
    that team)."""
    if review_id is not None and (asker.direct or not asker.place):
        review = outcomes.review_by_id(session, review_id)
        team = teams.team_by_id(session, review.team_id) if review is not None else None
        if review is None or team is None:
            raise NoOpenReview()
        return team, review
    team = team_here(session, asker)
    return team, outcomes.review_here(session, team, review_id)
