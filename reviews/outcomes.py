"""Step 1 of the QPR: outcome statements proposed, supported and agreed in a review thread."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from reviews import outbox
from reviews.audit import record
from reviews.errors import NoOpenReview, NoReview, QprError
from reviews.evidence.model import Suggestion
from reviews.evidence.relevance import INDICATOR, indicator_candidates, named_candidates, suggest
from reviews.kinds import id_of
from reviews.teams import require_facilitator
from reviews.text import printable
from storage import queries
from storage.models import (
    Indicator,
    LinkKind,
    OutcomeIndicator,
    OutcomeLink,
    OutcomeStatement,
    OutcomeStatus,
    OutcomeSupport,
    Review,
    ReviewStage,
    Team,
    utcnow,
)
from storage.periods import Period

MAX_STATEMENT = 1000
SCHEDULER = "scheduler"


@dataclass(frozen=True)
class Proposal:
    outcome: OutcomeStatement
    supporters: list[str]


@dataclass(frozen=True)
class Decision:
    """What the facilitator agreed for one statement: its final wording, and the proposals
    it came from (more than one when proposals were merged)."""

    text: str
    from_ids: list[int]
    indicator_ids: list[int] = field(default_factory=list)
    # Complaint categories, view themes and survey questions: {kind: [value, ...]}.
    links: dict[str, list[str]] = field(default_factory=dict)


def review_here(session: Session, team: Team, review_id: int | None = None) -> Review:
    """The review a request from a team's channel is about: the one it names, only if it is
    this team's (an id from another team's thread or form is refused), else the team's open
    review."""
    review = session.get(Review, review_id) if review_id else open_review(session, team)
    if review is None or review.team_id != team.id:
        raise NoOpenReview()
    return review


def review_by_statement(session: Session, channel_id: str, message_ts: str) -> Review | None:
    """The review a statement posted in this channel belongs to (what a reaction is on)."""
    return session.exec(
        select(Review)
        .join(OutcomeStatement, col(OutcomeStatement.review_id) == Review.id)
        .where(
            Review.slack_channel_id == channel_id, OutcomeStatement.slack_message_ts == message_ts
        )
    ).first()


def review_by_id(session: Session, review_id: int) -> Review | None:
    return session.get(Review, review_id)


def outcome_by_id(session: Session, outcome_id: int) -> OutcomeStatement | None:
    return session.get(OutcomeStatement, outcome_id)


def team_evidence(session: Session, team_id: int) -> tuple[list[Indicator], dict[str, list[str]]]:
    """What a team's outcomes can be linked to: the indicators it has figures of, and its
    complaint categories, view themes and survey questions."""
    return queries.team_indicators(session, team_id), queries.team_evidence_names(session, team_id)


def indicator_id(session: Session, code: str) -> int | None:
    return queries.indicator_id(session, code)


def open_review(session: Session, team: Team) -> Review | None:
    """The team's most recent review that is not closed."""
    return session.exec(
        select(Review)
        .where(Review.team_id == team.id, Review.stage != ReviewStage.CLOSED)
        .order_by(col(Review.period_end).desc())
    ).first()


def latest_review(session: Session, team: Team) -> Review | None:
    """The team's review of the latest quarter, open or closed."""
    return session.exec(
        select(Review).where(Review.team_id == team.id).order_by(col(Review.period_end).desc())
    ).first()


def review_of(session: Session, team: Team, period: Period | None) -> Review:
    """The review a record or report is asked of: the quarter's, or else the team's latest."""
    review = (
        queries.review_for(session, id_of(team), period.end)
        if period
        else latest_review(session, team)
    )
    if review is None:
        raise NoReview(team.name, period.label if period else None)
    return review


def review_by_thread(session: Session, channel_id: str, thread_ts: str) -> Review | None:
    return session.exec(
        select(Review).where(
            Review.slack_channel_id == channel_id, Review.slack_thread_ts == thread_ts
        )
    ).first()


def previous_review(session: Session, review: Review) -> Review | None:
    return session.exec(
        select(Review)
        .where(Review.team_id == review.team_id, Review.period_end < review.period_end)
        .order_by(col(Review.period_end).desc())
    ).first()


def start_review(
    session: Session,
    team: Team,
    period: Period,
    user_id: str,
    request_id: str | None = None,
    meeting: date | None = None,
) -> tuple[Review, bool]:
    """The team's review of this quarter, created if it is new, meeting on `meeting` (as
    the schedule has it). The scheduler starts one as user "scheduler"."""
    if user_id != SCHEDULER:
        require_facilitator(session, team, user_id, "start a review")
    review = queries.review_for(session, id_of(team), period.end)
    if review is not None:
        return review, False
    review = Review(
        team_id=id_of(team),
        period_label=period.label,
        period_start=period.start,
        period_end=period.end,
        stage=ReviewStage.OUTCOMES,
        meeting_date=meeting,
        slack_channel_id=team.slack_channel_id,
        facilitator_user_id=None if user_id == SCHEDULER else user_id,
    )
    session.add(review)
    session.flush()
    record(
        session,
        user_id,
        "review.start",
        team_id=team.id,
        review_id=review.id,
        request_id=request_id,
        period=period.label,
    )
    return review, True


POSTING = "posting:"
# A claim older than this belongs to a process that stopped while posting: it may be taken.
CLAIM_SECONDS = 60


def posting(thread_ts: str | None) -> bool:
    """Whether a kick-off is being posted rather than posted."""
    return thread_ts is not None and thread_ts.startswith(POSTING)


def claim_kickoff(session: Session, review: Review, now: float | None = None) -> bool:
    """Claim the posting of a review's kick-off, so two `/qpr start`s post it once. The
    claim carries its time, so one left by a process that died can be taken over."""
    now = time.time() if now is None else now
    stale = f"{POSTING}{int(now) - CLAIM_SECONDS:012d}"
    thread = col(Review.slack_thread_ts)
    claimed = session.exec(
        sa.update(Review)
        .where(
            col(Review.id) == review.id,
            sa.or_(thread.is_(None), sa.and_(thread.startswith(POSTING), thread < stale)),
        )
        .values(slack_thread_ts=f"{POSTING}{int(now):012d}")
    ).rowcount
    return claimed == 1


def release_kickoff(session: Session, review_id: int) -> None:
    """The kick-off could not be posted: let the next `/qpr start` try again."""
    session.execute(
        sa.update(Review)
        .where(col(Review.id) == review_id, col(Review.slack_thread_ts).startswith(POSTING))
        .values(slack_thread_ts=None)
    )


def set_thread(session: Session, review: Review, thread_ts: str) -> None:
    review.slack_thread_ts = thread_ts
    session.add(review)
    record(session, "system", "review.thread", team_id=review.team_id, review_id=review.id)


def carry_over_candidates(session: Session, review: Review) -> list[OutcomeStatement]:
    """Last review's agreed outcomes, then the proposals it kept for this quarter (most
    supported first), offered for carrying over."""
    before = previous_review(session, review)
    if before is None:
        return []
    agreed = [o for o, _ in queries.agreed_outcomes(session, id_of(before))]
    return agreed + [p.outcome for p in by_support(proposals(session, before, OutcomeStatus.KEPT))]


def by_support(found: list[Proposal]) -> list[Proposal]:
    """The most supported first; among equals, the first proposed first."""
    return sorted(found, key=lambda p: (-len(p.supporters), p.outcome.id or 0))


def _clean(text: str) -> str:
    text = printable(text).strip()
    if not text:
        raise QprError("An outcome statement needs some words.")
    if len(text) > MAX_STATEMENT:
        raise QprError(f"An outcome statement can be at most {MAX_STATEMENT} characters.")
    return text


def locked(session: Session, review: Review) -> None:
    """Lock the review's row (PostgreSQL; SQLite has one writer at a time anyway) and read
    its stage afresh: a proposal and the agreement of the set then happen one after the
    other, so no proposal lands in a review that has just moved on."""
    session.execute(select(Review.id).where(col(Review.id) == review.id).with_for_update())
    session.refresh(review)


def _collecting(review: Review) -> None:
    if review.stage != ReviewStage.OUTCOMES:
        raise QprError(f"The outcomes of {review.period_label} are already agreed.")


def propose(
    session: Session,
    review: Review,
    text: str,
    user_id: str | None,
    message_ts: str | None,
    *,
    anonymous: bool = False,
    carried_from: OutcomeStatement | None = None,
    request_id: str | None = None,
) -> tuple[OutcomeStatement, bool]:
    """A new proposal, or the one already made from this message. One carried over must be
    an outcome this team agreed, or a proposal it kept for later, in an earlier review: any
    other id (another team's, a proposal dropped or never reached) is refused, whoever
    sends it."""
    locked(session, review)
    _collecting(review)
    if carried_from is not None:
        earlier = session.get(Review, carried_from.review_id)
        if (
            earlier is None
            or earlier.team_id != review.team_id
            or earlier.period_end >= review.period_end
            or carried_from.status not in (OutcomeStatus.AGREED, OutcomeStatus.KEPT)
        ):
            raise QprError("That outcome can't be carried over from here.")
    if message_ts is not None:
        existing = by_message(session, review, message_ts)
        if existing is not None:
            return existing, False
    outcome = OutcomeStatement(
        review_id=id_of(review),
        text=_clean(text),
        proposer_user_id=None if anonymous else user_id,
        anonymous=anonymous,
        slack_message_ts=message_ts,
        status=OutcomeStatus.PROPOSED,
        tags=list(carried_from.tags) if carried_from else [],
        carried_from_id=carried_from.id if carried_from else None,
    )
    session.add(outcome)
    session.flush()
    # An anonymous proposer is left out of the audit trail as well.
    record(
        session,
        "anonymous" if anonymous else (user_id or "system"),
        "outcome.propose",
        team_id=review.team_id,
        review_id=review.id,
        request_id=request_id,
        outcome=outcome.id,
        carried_from=outcome.carried_from_id,
    )
    return outcome, True


def by_message(session: Session, review: Review, message_ts: str) -> OutcomeStatement | None:
    return session.exec(
        select(OutcomeStatement).where(
            OutcomeStatement.review_id == review.id,
            OutcomeStatement.slack_message_ts == message_ts,
        )
    ).first()


def attach_message(session: Session, outcome: OutcomeStatement, message_ts: str) -> None:
    """The bot's own post of a statement (anonymous, carried over): reactions to it count."""
    outcome.slack_message_ts = message_ts
    session.add(outcome)
    review = session.get_one(Review, outcome.review_id)
    record(
        session,
        "system",
        "outcome.posted",
        team_id=review.team_id,
        review_id=review.id,
        outcome=outcome.id,
    )


def edit_proposal(
    session: Session,
    review: Review,
    message_ts: str,
    text: str,
    user_id: str | None,
    request_id: str | None = None,
) -> OutcomeStatement:
    """Follow an edited reply. An edit that arrives before the reply itself (events come
    in any order) makes the proposal from the edited text."""
    outcome = by_message(session, review, message_ts)
    if outcome is None:
        return propose(session, review, text, user_id, message_ts, request_id=request_id)[0]
    if outcome.status != OutcomeStatus.PROPOSED:
        return outcome
    cleaned = _clean(text)
    if cleaned == outcome.text:
        return outcome
    outcome.text = cleaned
    outcome.updated_at = utcnow()
    session.add(outcome)
    record(
        session,
        user_id or "system",
        "outcome.edit",
        team_id=review.team_id,
        review_id=review.id,
        request_id=request_id,
        outcome=outcome.id,
    )
    return outcome


def withdraw_proposal(
    session: Session,
    review: Review,
    message_ts: str,
    user_id: str | None,
    request_id: str | None = None,
) -> OutcomeStatement | None:
    """Follow a deleted reply. A deletion that arrives before the reply itself is kept as a
    withdrawn statement, so the late reply cannot bring the proposal back."""
    outcome = by_message(session, review, message_ts)
    if outcome is None:
        outcome = OutcomeStatement(
            review_id=id_of(review),
            text="(deleted before it was read)",
            proposer_user_id=user_id,
            slack_message_ts=message_ts,
            status=OutcomeStatus.WITHDRAWN,
        )
        session.add(outcome)
        session.flush()
    elif outcome.status == OutcomeStatus.PROPOSED:
        outcome.status = OutcomeStatus.WITHDRAWN
        outcome.updated_at = utcnow()
        session.add(outcome)
    else:
        return None
    record(
        session,
        user_id or "system",
        "outcome.withdraw",
        team_id=review.team_id,
        review_id=review.id,
        request_id=request_id,
        outcome=outcome.id,
    )
    return outcome


def set_support(
    session: Session,
    review: Review,
    message_ts: str,
    user_id: str,
    supports: bool,
    request_id: str | None = None,
) -> bool:
    """Add or take back one person's support for the proposal made by that message."""
    outcome = by_message(session, review, message_ts)
    if outcome is None or outcome.status != OutcomeStatus.PROPOSED:
        return False
    current = session.get(OutcomeSupport, (outcome.id, user_id))
    if supports == (current is not None):
        return False
    if supports:
        session.add(OutcomeSupport(outcome_id=id_of(outcome), slack_user_id=user_id))
    else:
        session.delete(current)
    record(
        session,
        user_id,
        "outcome.support" if supports else "outcome.unsupport",
        team_id=review.team_id,
        review_id=review.id,
        request_id=request_id,
        outcome=outcome.id,
    )
    return True


def proposals(
    session: Session, review: Review, status: OutcomeStatus = OutcomeStatus.PROPOSED
) -> list[Proposal]:
    """The open proposals (or those of another status), oldest first, with who supports
    each."""
    outcomes = session.exec(
        select(OutcomeStatement)
        .where(
            OutcomeStatement.review_id == review.id,
            OutcomeStatement.status == status,
        )
        .order_by(col(OutcomeStatement.id))
    ).all()
    support: dict[int, list[str]] = {}
    if outcomes:
        for outcome_id, user in session.execute(
            select(OutcomeSupport.outcome_id, OutcomeSupport.slack_user_id)
            .where(col(OutcomeSupport.outcome_id).in_([o.id for o in outcomes]))
            .order_by(col(OutcomeSupport.added_at))
        ):
            support.setdefault(outcome_id, []).append(user)
    return [Proposal(o, support.get(id_of(o), [])) for o in outcomes]


def suggest_links(
    outcome: OutcomeStatement, indicators: list[Indicator], names: dict[str, list[str]]
) -> list[Suggestion]:
    """The evidence whose tags or words match the statement, each with its reason: offered
    in the forms that link an outcome, for the facilitator to keep or clear."""
    candidates = indicator_candidates(indicators) + named_candidates(names)
    return suggest(outcome.text, outcome.tags, candidates)


def links(session: Session, outcome: OutcomeStatement) -> dict[str, list[str]]:
    """What an outcome is linked to: {kind: [key, ...]}, indicator codes under "indicator"."""
    found = queries.outcome_links(session, {id_of(outcome)})[id_of(outcome)]
    codes = session.exec(
        select(Indicator.code)
        .join(OutcomeIndicator, col(OutcomeIndicator.indicator_id) == Indicator.id)
        .where(OutcomeIndicator.outcome_id == outcome.id)
        .order_by(Indicator.code)
    ).all()
    return {**found, INDICATOR: list(codes)}


def _store_links(
    session: Session,
    outcome: OutcomeStatement,
    evidence: tuple[list[Indicator], dict[str, list[str]]],
    indicator_ids: list[int],
    named: dict[str, list[str]],
) -> None:
    """Link an outcome to the team's own evidence only (`evidence`, as `team_evidence`
    reads it): a link it already has may stay (the data behind it may since have gone),
    any new one must be to what the team holds."""
    indicators, names = evidence
    held = queries.outcome_links(session, {id_of(outcome)})[id_of(outcome)]
    had = set(
        session.exec(
            select(OutcomeIndicator.indicator_id).where(OutcomeIndicator.outcome_id == outcome.id)
        ).all()
    )
    known = {i.id for i in indicators} | had
    unknown = any(i not in known for i in indicator_ids) or any(
        value not in set(names.get(kind, [])) | set(held.get(kind, []))
        for kind, values in named.items()
        for value in values
    )
    if unknown:
        raise QprError("A link in the form is not to this team's evidence: open it again.")
    outcome_id = id_of(outcome)
    session.execute(
        sa.delete(OutcomeIndicator).where(col(OutcomeIndicator.outcome_id) == outcome_id)
    )
    session.execute(sa.delete(OutcomeLink).where(col(OutcomeLink.outcome_id) == outcome_id))
    for indicator_id in sorted(set(indicator_ids)):
        session.add(OutcomeIndicator(outcome_id=outcome_id, indicator_id=indicator_id))
    for kind, values in named.items():
        for value in sorted(set(values)):
            session.add(OutcomeLink(outcome_id=outcome_id, kind=LinkKind(kind), value=value))


def relink_outcomes(
    session: Session,
    review: Review,
    user_id: str,
    changes: dict[int, tuple[list[int], dict[str, list[str]]]],
    request_id: str | None = None,
) -> None:
    """Change what several agreed outcomes are linked to, as one form does; the evidence
    goes up again with the new links, owed with the change (by a facilitator, even when
    the form changes nothing)."""
    require_facilitator(
        session,
        session.get_one(Team, review.team_id),
        user_id,
        "change what an outcome is linked to",
    )
    evidence = team_evidence(session, review.team_id)
    for outcome_id, (indicator_ids, named) in changes.items():
        relink(
            session,
            review,
            user_id,
            outcome_id,
            indicator_ids,
            named,
            request_id=request_id,
            evidence=evidence,
        )
    outbox.owe(session, outbox.EVIDENCE, id_of(review), user_id)


def relink(
    session: Session,
    review: Review,
    user_id: str,
    outcome_id: int,
    indicator_ids: list[int],
    named: dict[str, list[str]],
    request_id: str | None = None,
    evidence: tuple[list[Indicator], dict[str, list[str]]] | None = None,
) -> OutcomeStatement:
    """Change what an agreed outcome is linked to, before or after its evidence is posted
    (`evidence`: the team's, if read already)."""
    team = session.get_one(Team, review.team_id)
    require_facilitator(session, team, user_id, "change what an outcome is linked to")
    outcome = session.get(OutcomeStatement, outcome_id)
    if (
        outcome is None
        or outcome.review_id != review.id
        or outcome.status != OutcomeStatus.AGREED
        or str(review.stage) == "closed"
    ):
        raise QprError("That outcome's links can no longer be changed here.")
    evidence = evidence or team_evidence(session, review.team_id)
    _store_links(session, outcome, evidence, indicator_ids, named)
    session.flush()
    record(
        session,
        user_id,
        "outcome.relink",
        team_id=review.team_id,
        review_id=review.id,
        request_id=request_id,
        outcome=outcome.id,
        indicators=len(set(indicator_ids)),
        **{kind: len(set(values)) for kind, values in named.items()},
    )
    return outcome


def agreed(session: Session, review: Review) -> list[OutcomeStatement]:
    return [o for o, _ in queries.agreed_outcomes(session, id_of(review))]


@dataclass(frozen=True)
class AgreedSet:
    agreed: list[OutcomeStatement]
    merged: int  # proposals merged into an agreed one
    dropped: int  # proposals on the form neither agreed nor merged, or the rest dropped
    kept: int  # proposals kept for next quarter
    late: int  # of them, those that came in after the facilitator saw the list


def agree(
    session: Session,
    review: Review,
    user_id: str,
    decisions: list[Decision],
    shown: set[int],
    request_id: str | None = None,
    now: datetime | None = None,
    *,
    seen: int | None = None,
    rest: OutcomeStatus = OutcomeStatus.KEPT,
) -> AgreedSet:
    """Agree the set: each decision becomes one agreed statement; proposals merged into it
    give it their supporters; every other proposal on the form (`shown`) is dropped. Those
    the facilitator saw listed but did not take onto the form (up to `seen`, the newest
    proposal when the form opened) go as `rest` says: kept for next quarter, or dropped.
    Any that came in while the form was open are kept for next quarter, never dropped
    unseen. The review then moves on to the evidence, which is owed to its thread."""
    team = session.get_one(Team, review.team_id)
    require_facilitator(session, team, user_id, "agree the outcomes")
    if not decisions:
        raise QprError("Agree at least one outcome statement.")
    if rest not in (OutcomeStatus.KEPT, OutcomeStatus.WITHDRAWN):
        raise QprError("The proposals not on the form are kept for next quarter, or dropped.")
    # Only one agreement wins, however many forms are submitted at once; and the stage
    # moves (locking the review's row) before the proposals are read, so a reply that
    # comes in meanwhile is either read here or refused as too late, never left behind.
    moved = session.exec(
        sa.update(Review)
        .where(col(Review.id) == review.id, col(Review.stage) == ReviewStage.OUTCOMES)
        .values(stage=ReviewStage.EVIDENCE)
    ).rowcount
    if moved != 1:
        raise QprError(f"The outcomes of {review.period_label} are already agreed.")
    open_ = {id_of(p.outcome): p for p in proposals(session, review)}
    seen = max(shown, default=0) if seen is None else seen
    evidence = team_evidence(session, review.team_id)
    used: set[int] = set()
    merges = 0
    result = []
    for decision in decisions:
        ids = [i for i in decision.from_ids if i in open_ and i in shown and i not in used]
        if not ids:
            raise QprError("A proposal was changed while you were agreeing: please try again.")
        keep = open_[ids[0]].outcome
        keep.text = _clean(decision.text)
        keep.status = OutcomeStatus.AGREED
        keep.updated_at = now or utcnow()
        session.add(keep)
        supporters = set(open_[ids[0]].supporters)
        for merged_id in ids[1:]:
            merged = open_[merged_id]
            merged.outcome.status = OutcomeStatus.WITHDRAWN
            session.add(merged.outcome)
            for supporter in merged.supporters:
                if supporter not in supporters:
                    session.add(OutcomeSupport(outcome_id=id_of(keep), slack_user_id=supporter))
                    supporters.add(supporter)
        used.update(ids)
        merges += len(ids) - 1
        _store_links(session, keep, evidence, decision.indicator_ids, decision.links)
        result.append(keep)
    for outcome_id, proposal in open_.items():
        if outcome_id in used:
            continue
        if outcome_id in shown:
            proposal.outcome.status = OutcomeStatus.WITHDRAWN
        elif outcome_id <= seen:
            proposal.outcome.status = rest
        else:
            proposal.outcome.status = OutcomeStatus.KEPT
        session.add(proposal.outcome)
    session.flush()
    session.refresh(review)
    kept = [i for i, p in open_.items() if p.outcome.status == OutcomeStatus.KEPT]
    withdrawn = sum(1 for p in open_.values() if p.outcome.status == OutcomeStatus.WITHDRAWN)
    dropped = withdrawn - merges
    record(
        session,
        user_id,
        "outcomes.agree",
        team_id=review.team_id,
        review_id=review.id,
        request_id=request_id,
        agreed=[o.id for o in result],
        merged=merges,
        dropped=dropped,
        kept=len(kept),
    )
    # Owed with the agreement, so that a restart cannot lose it: the evidence at a glance,
    # which lists the agreed statements with what bears on each. Each front end sends it.
    outbox.owe(session, outbox.EVIDENCE, id_of(review), user_id)
    return AgreedSet(result, merges, dropped, len(kept), sum(1 for i in kept if i > seen))
