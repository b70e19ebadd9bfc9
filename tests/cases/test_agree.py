"""Agreeing a set from more proposals than one form holds: what is not agreed is kept for
next quarter or dropped as the facilitator says, never lost, and what was kept comes back."""

from __future__ import annotations

import pytest
from sqlmodel import select

from reviews import outcomes
from reviews.cases import Asker, Context, agree, step_one, team
from reviews.errors import QprError
from reviews.kinds import OutcomeStatus
from reviews.outcomes import Decision
from reviews.periods import parse_quarter
from storage.models import OutcomeStatement

Q1, Q2 = parse_quarter("2026/27 Q1"), parse_quarter("2026/27 Q2")
FAC, HERE = "UFAC", "C1"


def at(user: str, request: str | None = None) -> Asker:
    return Asker(user, HERE, request)


def review_with(ctx: Context, period, texts: list[str], thread: str) -> int:
    review = step_one.start(ctx, at(FAC), period)
    with ctx.changing() as session:
        outcomes.set_thread(session, outcomes.review_by_id(session, review.id), thread)
    for n, text in enumerate(texts, start=1):
        step_one.reply(ctx, at(f"U{n}", f"E{thread}{n}"), thread, f"{thread}{n}", text)
    return review.id


@pytest.fixture
def ctx(factory) -> Context:
    ctx = Context(factory)
    team.set_up(ctx, at(FAC), "Ours")
    return ctx


def test_the_rest_is_kept_or_dropped_and_a_late_one_is_kept(ctx):
    review = review_with(ctx, Q1, ["One", "Two", "Three", "Four"], "1.")
    form = agree.agree_form(ctx, at(FAC), only=None)
    first, second, *_ = form.proposals
    step_one.reply(ctx, at("ULATE", "ELATE"), "1.", "1.9", "Came in late")
    done = agree.agree(
        ctx,
        at(FAC),
        review,
        [Decision(first.outcome.text, [first.outcome.id])],
        shown={first.outcome.id, second.outcome.id},
        seen=form.seen,
        keep_the_rest=False,
    )
    assert (len(done.agreed), done.kept, done.late, done.dropped) == (1, 1, 1, 3)
    with ctx.reading() as session:
        by_text = {o.text: o.status for o in session.exec(select(OutcomeStatement))}
    assert by_text == {
        "One": OutcomeStatus.AGREED,
        "Two": OutcomeStatus.WITHDRAWN,  # on the form, not agreed
        "Three": OutcomeStatus.WITHDRAWN,  # the rest, dropped as asked
        "Four": OutcomeStatus.WITHDRAWN,
        "Came in late": OutcomeStatus.KEPT,  # never seen: never dropped
    }


def test_a_kept_proposal_is_offered_next_quarter_and_carried_over_once(ctx):
    review = review_with(ctx, Q1, ["Agreed one", "Kept one"], "1.")
    form = agree.agree_form(ctx, at(FAC))
    agreed_one = next(p for p in form.proposals if p.outcome.text == "Agreed one")
    kept_one = next(p for p in form.proposals if p.outcome.text == "Kept one")
    agree.agree(
        ctx,
        at(FAC),
        review,
        [Decision("Agreed one", [agreed_one.outcome.id])],
        shown={agreed_one.outcome.id},
        seen=form.seen,
    )
    later = review_with(ctx, Q2, [], "2.")
    with ctx.reading() as session:
        offered = outcomes.carry_over_candidates(session, outcomes.review_by_id(session, later))
    assert [(o.text, o.status) for o in offered] == [
        ("Agreed one", OutcomeStatus.AGREED),
        ("Kept one", OutcomeStatus.KEPT),
    ]
    done = step_one.carry_over(ctx, at("UANN", "T1"), "2.", kept_one.outcome.id)
    assert done.outcome.text == "Kept one" and done.earlier_label == Q1.label
    with pytest.raises(QprError, match="already been carried over"):
        step_one.carry_over(ctx, at("UBEN", "T2"), "2.", kept_one.outcome.id)


def test_what_the_facilitator_is_told_counts_what_happened(ctx):
    """Two proposals merged into a third were withdrawn by their proposers while the form
    was open: nothing is merged, nothing dropped, and the counts say so."""
    review = review_with(ctx, Q1, ["Kept safe", "Safe at home", "Safe and well"], "1.")
    form = agree.agree_form(ctx, at(FAC))
    a, b, c = (p.outcome.id for p in form.proposals)
    step_one.withdraw_reply(ctx, at("U2", "EDEL2"), "1.", "1.2")
    step_one.withdraw_reply(ctx, at("U3", "EDEL3"), "1.", "1.3")
    done = agree.agree(
        ctx, at(FAC), review, [Decision("Kept safe", [a, b, c])], shown={a, b, c}, seen=form.seen
    )
    assert (len(done.agreed), done.kept, done.late, done.dropped) == (1, 0, 0, 0)
