"""Step 1: starting a review, and the outcome statements people propose for it (replies
in its thread, edits and deletions followed, support given and taken back, statements
carried over from last quarter or proposed anonymously)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlmodel import Session

from reviews import outcomes, reminders, work
from reviews.calendar import local_date
from reviews.cases.context import Asker, Context, team_here
from reviews.errors import NoOpenReview, QprError
from reviews.kinds import OutcomeStatement, OutcomeStatus, Review
from reviews.periods import Period

CLOSED = "Proposals for this review are closed."


def start(ctx: Context, asker: Asker, period: Period) -> Review:
    """The team's review of `period`, started (by a facilitator) if it is new, meeting
    when the team's schedule says; its kick-off is posted by the front end."""
    with ctx.changing() as session:
        team = team_here(session, asker)
        meeting = reminders.meeting_of(team, period, None, ctx.fy_start_month)
        review, _ = outcomes.start_review(
            session,
            team,
            period,
            asker.user,
            asker.request_id,
            meeting=local_date(meeting, team.timezone) if meeting else None,
        )
        return review


@dataclass(frozen=True)
class SoFar:
    review: Review
    agreed: list[OutcomeStatement]
    proposals: list[outcomes.Proposal]
    # While proposals are taken: those the last review kept for this quarter, most
    # supported first, to be carried over or proposed again.
    kept: list[OutcomeStatement]


def so_far(ctx: Context, asker: Asker) -> SoFar:
    """The open review's statements: the agreed ones, or else those proposed, with what
    the last review kept for this one."""
    with ctx.reading() as session:
        review = outcomes.open_review(session, team_here(session, asker))
        if review is None:
            raise NoOpenReview()
        kept = []
        if str(review.stage) == "outcomes":
            kept = [
                o
                for o in outcomes.carry_over_candidates(session, review)
                if o.status == OutcomeStatus.KEPT
            ]
        return SoFar(
            review, outcomes.agreed(session, review), outcomes.proposals(session, review), kept
        )


@dataclass(frozen=True)
class Proposed:
    review: Review
    outcome: OutcomeStatement


@dataclass(frozen=True)
class CarriedOver(Proposed):
    earlier: OutcomeStatement
    earlier_label: str  # the quarter it was agreed in


def carry_over(ctx: Context, asker: Asker, thread: str, outcome_id: int) -> CarriedOver:
    """An outcome the team agreed in an earlier review, proposed again in the review whose
    thread this is."""
    with ctx.changing("That outcome has already been carried over.") as session:
        review = outcomes.review_by_thread(session, asker.place, thread)
        old = outcomes.outcome_by_id(session, outcome_id)
        if review is None or old is None or old.review_id == review.id:
            raise QprError("That outcome can't be carried over from here.")
        outcome, _ = outcomes.propose(
            session,
            review,
            old.text,
            asker.user,
            None,
            carried_from=old,  # refused unless this team's, agreed, and earlier
            request_id=asker.request_id,
        )
        earlier = outcomes.review_by_id(session, old.review_id)
        assert earlier is not None  # checked by propose
        return CarriedOver(review, outcome, old, earlier.period_label)


def open_for_proposals(ctx: Context, asker: Asker, review_id: int) -> Review:
    """The review, if it is the place's own and still takes proposals."""
    with ctx.reading() as session:
        return _collecting(session, asker, review_id)


def propose_anonymously(ctx: Context, asker: Asker, review_id: int, text: str) -> Proposed:
    """A statement stored with no proposer. The request id is left out too, as it would
    lead back to whoever wrote it."""
    with ctx.changing() as session:
        review = _collecting(session, asker, review_id)
        outcome, _ = outcomes.propose(session, review, text, None, None, anonymous=True)
        return Proposed(review, outcome)


def _collecting(session: Session, asker: Asker, review_id: int) -> Review:
    review = outcomes.review_by_id(session, review_id)
    if review is None or review.slack_channel_id != asker.place or str(review.stage) != "outcomes":
        raise QprError(CLOSED)
    return review


# A thread's messages, as the platform reports them. Each is worked once however often it
# is delivered (`request_id` is the delivery's event id), and each is for the review whose
# thread it is in, while that review still takes proposals: otherwise nothing happens.


@dataclass(frozen=True)
class Reply:
    created: bool = False  # a new proposal, to acknowledge
    refused: QprError | None = None  # why the reply was not taken as a statement


def reply(ctx: Context, asker: Asker, thread: str, message: str, text: str) -> Reply:
    with _event(ctx, asker) as session:
        review = _thread_review(session, asker, thread) if session else None
        if session is None or review is None:
            return Reply()
        try:
            _, created = outcomes.propose(
                session, review, text, asker.user, message, request_id=asker.request_id
            )
        except QprError as refused:
            return Reply(refused=refused)
        return Reply(created=created)


def edit_reply(ctx: Context, asker: Asker, thread: str, message: str, text: str) -> Reply:
    """Follow an edited reply; an edit refused leaves the proposal's earlier wording."""
    with _event(ctx, asker) as session:
        review = _thread_review(session, asker, thread) if session else None
        if session is None or review is None:
            return Reply()
        try:
            outcomes.edit_proposal(
                session, review, message, text, asker.user, request_id=asker.request_id
            )
        except QprError as refused:
            return Reply(refused=refused)
        return Reply()


def withdraw_reply(ctx: Context, asker: Asker, thread: str, message: str) -> None:
    """Follow a deleted reply (`asker.user` is whoever wrote it, if known)."""
    with _event(ctx, asker) as session:
        review = _thread_review(session, asker, thread) if session else None
        if session is not None and review is not None:
            outcomes.withdraw_proposal(
                session, review, message, asker.user or None, request_id=asker.request_id
            )


def support(ctx: Context, asker: Asker, message: str, supports: bool) -> None:
    """Support for the statement made by `message` (a reply, or the bot's post of one)
    given or taken back."""
    with _event(ctx, asker) as session:
        if session is None:
            return
        review = outcomes.review_by_statement(session, asker.place, message)
        if review is not None and str(review.stage) == "outcomes":
            outcomes.set_support(
                session, review, message, asker.user, supports, request_id=asker.request_id
            )


@contextmanager
def _event(ctx: Context, asker: Asker) -> Iterator[Session | None]:
    with work.claimed(ctx.factory, asker.request_id) as session:
        yield session


def _thread_review(session: Session, asker: Asker, thread: str) -> Review | None:
    review = outcomes.review_by_thread(session, asker.place, thread)
    return review if review is not None and str(review.stage) == "outcomes" else None
