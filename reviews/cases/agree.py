"""Agreeing the outcome statements (the end of step 1) and, after, changing what each
agreed outcome is linked to. Both owe the evidence to the review's thread."""

from __future__ import annotations

from dataclasses import dataclass

from reviews import outcomes, teams
from reviews.cases.context import Asker, Context, review_here
from reviews.errors import THEN, QprError
from reviews.evidence.model import Suggestion
from reviews.evidence.relevance import INDICATOR
from reviews.kinds import Indicator, OutcomeStatement, OutcomeStatus, Review, Team, id_of

Links = dict[str, list[str]]  # {kind: [key, ...]}, indicator codes under "indicator"


@dataclass(frozen=True)
class Linkable:
    """What a team's outcomes can be linked to: the indicators it has figures of, and its
    complaint categories, view themes and survey questions by kind."""

    indicators: list[Indicator]
    names: Links


@dataclass(frozen=True)
class AgreeForm:
    review: Review
    proposals: list[outcomes.Proposal]  # the most supported first
    linkable: Linkable
    suggested: dict[int, list[Suggestion]]  # by proposal id
    # The newest proposal when the facilitator first saw the list: any newer came in while
    # the form was open, and is kept for next quarter rather than dropped unseen.
    seen: int
    total: int  # open proposals, on this form or not


def agree_form(
    ctx: Context,
    asker: Asker,
    review_id: int | None = None,
    only: set[int] | None = None,
    seen: int | None = None,
    suggest_for: int | None = None,
) -> AgreeForm:
    """What a facilitator agrees from: every open proposal (or `only` those, chosen from a
    longer list seen up to `seen`), most supported first, with links suggested for the
    first `suggest_for` (all unless said)."""
    with ctx.reading() as session:
        team, review = review_here(session, asker, review_id)
        teams.require_facilitator(session, team, asker.user, "agree the outcomes")
        if str(review.stage) != "outcomes":
            raise QprError(f"The outcomes of {review.period_label} are already agreed.")
        every = outcomes.proposals(session, review)
        found = outcomes.by_support([p for p in every if only is None or id_of(p.outcome) in only])
        if not found:
            raise QprError(
                "There are no proposals to agree yet: people reply in the review thread."
                if only is None
                else "The proposals chosen are no longer open: open the form again."
            )
        indicators, names = outcomes.team_evidence(session, id_of(team))
        suggested = {
            id_of(p.outcome): outcomes.suggest_links(p.outcome, indicators, names)
            for p in found[:suggest_for]
        }
        newest = max(id_of(p.outcome) for p in every)
        return AgreeForm(
            review,
            found,
            Linkable(indicators, names),
            suggested,
            newest if seen is None else seen,
            len(every),
        )


def linkable(ctx: Context, review_id: int) -> Linkable:
    """What a review's outcomes can be linked to, as a submitted form is read against it."""
    with ctx.reading() as session:
        review = outcomes.review_by_id(session, review_id)
        if review is None:
            raise QprError("That review no longer exists.")
        return Linkable(*outcomes.team_evidence(session, review.team_id))


@dataclass(frozen=True)
class Agreement:
    review: Review
    agreed: list[OutcomeStatement]
    kept: int  # proposals kept for next quarter
    late: int  # of them, those that came in while the form was open
    dropped: int


def agree(
    ctx: Context,
    asker: Asker,
    review_id: int,
    decisions: list[outcomes.Decision],
    shown: set[int],
    seen: int | None = None,
    keep_the_rest: bool = True,
) -> Agreement:
    """The set agreed from the proposals on the form (`shown`); those listed but not taken
    onto it (up to `seen`) kept for next quarter or dropped, and any newer kept. The review
    moves on to the evidence, owed to its thread."""
    rest = OutcomeStatus.KEPT if keep_the_rest else OutcomeStatus.WITHDRAWN
    with ctx.changing() as session:
        _, review = review_here(session, asker, review_id)
        done = outcomes.agree(
            session, review, asker.user, decisions, shown, asker.request_id, seen=seen, rest=rest
        )
        return Agreement(review, done.agreed, done.kept, done.late, done.dropped)


@dataclass(frozen=True)
class LinksRow:
    outcome: OutcomeStatement
    links: Links
    offered: list[Suggestion]  # suggested, and not linked yet


@dataclass(frozen=True)
class LinksForm:
    team: Team
    review: Review
    rows: list[LinksRow]
    linkable: Linkable


def links_form(ctx: Context, asker: Asker, review_id: int | None = None) -> LinksForm:
    with ctx.reading() as session:
        team, review = review_here(session, asker, review_id)
        teams.require_facilitator(session, team, asker.user, "change what an outcome is linked to")
        agreed = outcomes.agreed(session, review)
        if not agreed:
            raise QprError(
                f"No outcomes of {review.period_label} are agreed yet: {THEN} first.", then="agree"
            )
        indicators, names = outcomes.team_evidence(session, id_of(team))
        if not indicators and not any(names.values()):
            raise QprError(
                f"{team.name} has no evidence loaded to link yet: import its indicators' "
                "values, complaints, views or survey results first."
            )
        rows = []
        for outcome in agreed:
            links = outcomes.links(session, outcome)
            linked = {(k, v) for k, vs in links.items() for v in vs}
            offered = [
                s
                for s in outcomes.suggest_links(outcome, indicators, names)
                if (s.kind, s.key) not in linked
            ]
            rows.append(LinksRow(outcome, links, offered))
        return LinksForm(team, review, rows, Linkable(indicators, names))


def relink(
    ctx: Context,
    asker: Asker,
    review_id: int,
    chosen: dict[int, tuple[list[int], Links]],
    offered: set[tuple[str, str]],
) -> None:
    """Each outcome's links as chosen (indicator ids, and keys by kind); a link the form had
    no room to offer (not in `offered`, as (kind, key)) is kept, not taken away. The
    evidence goes up again with the new links, owed with the change."""
    with ctx.changing() as session:
        _, review = review_here(session, asker, review_id)
        changes = {}
        for outcome_id, (indicator_ids, named) in chosen.items():
            outcome = outcomes.outcome_by_id(session, outcome_id)
            if outcome is None or outcome.review_id != review.id:
                raise QprError("An outcome in the form is not this review's: open it again.")
            indicator_ids, named = list(indicator_ids), {k: list(v) for k, v in named.items()}
            for kind, keys in outcomes.links(session, outcome).items():
                for key in keys:
                    if (kind, key) in offered:
                        continue
                    if kind == INDICATOR:
                        found = outcomes.indicator_id(session, key)
                        if found is not None:
                            indicator_ids.append(found)
                    else:
                        named.setdefault(kind, []).append(key)
            changes[outcome_id] = (indicator_ids, named)
        outcomes.relink_outcomes(session, review, asker.user, changes, asker.request_id)
