"""Each use case tried as the wrong person, and with ids from another team, another
review and another need: refused, nothing changed, nothing of the other team shown, and
no refusal naming anyone."""

from __future__ import annotations

from datetime import timedelta

import pytest

from reviews.cases import Asker, Context, agree, evidence, judge, needs, report, step_one, team
from reviews.errors import QprError
from reviews.judgement import NewNeed, Rated, Settling
from reviews.kinds import NeedStatus, Rating
from reviews.periods import parse_quarter
from tests.helpers.files import load_indicators, snapshot, write
from tests.helpers.teams import name_first_facilitator

Q1, Q2 = parse_quarter("2026/27 Q1"), parse_quarter("2026/27 Q2")
OURS, THEIRS, PRACTITIONER = "UOURS", "UTHEIRS", "UPRAC"
US, THEM = "C1", "C2"

VALUES = """team,indicator,period_end,value,numerator,denominator
Theirs,ASCOF 3A,2026-06-30,61.0,,
Ours,CIN CASELOAD,2026-06-30,17,,
"""


def at(user: str, place: str, request: str | None = None) -> Asker:
    return Asker(user, place, request)


def judged_quarter(ctx: Context, place: str, facilitator: str, thread: str) -> dict:
    """A team's Q1, proposed in its thread, agreed and judged with one need; its ids."""
    review = step_one.start(ctx, at(facilitator, place), Q1)
    with ctx.changing() as session:  # the kick-off's thread, as the front end posts it
        from reviews import outcomes

        outcomes.set_thread(session, outcomes.review_by_id(session, review.id), thread)
    step_one.reply(ctx, at("UANN", place, f"E{place}1"), thread, f"{thread}.1", "People are safe")
    form = agree.agree_form(ctx, at(facilitator, place))
    (proposal,) = form.proposals
    (agreed,) = agree.agree(
        ctx,
        at(facilitator, place),
        review.id,
        [_decision(proposal.outcome.text, proposal.outcome.id)],
        {proposal.outcome.id},
    ).agreed
    judge.judge(
        ctx,
        at(facilitator, ""),
        review.id,
        0,
        [Rated(agreed.id, Rating.SOME_PROGRESS), Rated(None, Rating.SOME_PROGRESS)],
        [NewNeed("Count the falls", "UANN", Q2.end + timedelta(days=400), agreed.id)],
        {},
    )
    (need,) = needs.team_needs(ctx, at(facilitator, place)).open
    return {"review": review.id, "outcome": agreed.id, "need": need.id}


def _decision(text: str, outcome_id: int, indicators=(), links=None):
    from reviews.outcomes import Decision

    return Decision(text, [outcome_id], list(indicators), links or {})


@pytest.fixture
def world(factory, tmp_path):
    """Two teams, each judged in Q1; ours now agreeing Q2's outcomes from one proposal."""
    from storage.imports import import_file

    load_indicators(factory, tmp_path)
    import_file(factory, "values", write(tmp_path, "values.csv", VALUES))
    name_first_facilitator(factory, "Ours", OURS)
    name_first_facilitator(factory, "Theirs", THEIRS)
    ctx = Context(factory)
    team.set_up(ctx, at(OURS, US), "Ours")
    team.set_up(ctx, at(THEIRS, THEM), "Theirs")
    ours, theirs = judged_quarter(ctx, US, OURS, "1.0"), judged_quarter(ctx, THEM, THEIRS, "2.0")
    review = step_one.start(ctx, at(OURS, US), Q2)
    from reviews import outcomes

    with ctx.changing() as session:
        outcomes.set_thread(session, outcomes.review_by_id(session, review.id), "3.0")
    step_one.reply(ctx, at("UBEN", US, "E3"), "3.0", "3.1", "Carers get a break")
    return {"ctx": ctx, "ours": ours, "theirs": theirs, "review": review.id}


def refused(factory, call, match: str | None = None) -> QprError:
    """`call` refused, the database as it was, and no one named in the refusal."""
    before = snapshot(factory.engine)
    with pytest.raises(QprError, match=match) as caught:
        call()
    assert snapshot(factory.engine) == before
    said = str(caught.value)
    assert "<@" not in said and THEIRS not in said and OURS not in said
    return caught.value


def test_carry_over_takes_only_this_teams_earlier_outcomes(factory, world):
    ctx, theirs = world["ctx"], world["theirs"]
    refused(
        factory,
        lambda: step_one.carry_over(ctx, at(OURS, US), "3.0", theirs["outcome"]),
        "can't be carried over",
    )
    # From their thread's id, replayed in our channel: no review of ours has that thread.
    refused(
        factory,
        lambda: step_one.carry_over(ctx, at(OURS, US), "2.0", world["ours"]["outcome"]),
        "can't be carried over",
    )
    done = step_one.carry_over(ctx, at(OURS, US), "3.0", world["ours"]["outcome"])
    assert done.earlier_label == Q1.label and done.review.id == world["review"]


def test_an_anonymous_proposal_reaches_only_the_review_of_its_own_channel(factory, world):
    ctx = world["ctx"]
    refused(
        factory,
        lambda: step_one.propose_anonymously(ctx, at("UANY", THEM), world["review"], "sneaked"),
        "closed",
    )
    refused(factory, lambda: step_one.open_for_proposals(ctx, at("UANY", THEM), world["review"]))
    done = step_one.propose_anonymously(ctx, at("UANY", US), world["review"], "Said quietly")
    assert done.outcome.proposer_user_id is None


def test_only_a_facilitator_agrees_and_links_and_only_to_the_teams_own_evidence(factory, world):
    ctx, review = world["ctx"], world["review"]
    refused(factory, lambda: agree.agree_form(ctx, at(PRACTITIONER, US)), "Only a facilitator")
    refused(factory, lambda: agree.agree_form(ctx, at(THEIRS, US)), "Only a facilitator")
    # Their facilitator, in their channel, naming our review: not theirs to reach.
    refused(factory, lambda: agree.agree_form(ctx, at(THEIRS, THEM), review))
    form = agree.agree_form(ctx, at(OURS, US))
    (proposal,) = form.proposals
    assert [i.code for i in form.linkable.indicators] == ["CIN CASELOAD"]  # not theirs
    shown = {proposal.outcome.id}
    decision = [_decision("Carers get a break", proposal.outcome.id)]
    refused(
        factory,
        lambda: agree.agree(ctx, at(PRACTITIONER, ""), review, decision, shown),
        "Only a facilitator",
    )
    refused(factory, lambda: agree.agree(ctx, at(THEIRS, THEM), review, decision, shown))
    from reviews import outcomes

    with ctx.reading() as session:
        theirs = outcomes.indicator_id(session, "ASCOF 3A")
        complaint = [("complaint_category", ["Their own category"])]
    for indicators, links in (([theirs], {}), ([], dict(complaint))):
        foreign = [_decision("Carers get a break", proposal.outcome.id, indicators, links)]
        refused(
            factory,
            lambda d=foreign: agree.agree(ctx, at(OURS, ""), review, d, shown),
            "not to this team's evidence",
        )
    (agreed,) = agree.agree(ctx, at(OURS, US), review, decision, shown).agreed
    refused(
        factory,
        lambda: agree.relink(ctx, at(OURS, ""), review, {agreed.id: ([theirs], {})}, set()),
        "not to this team's evidence",
    )
    refused(
        factory,
        lambda: agree.relink(
            ctx, at(OURS, ""), review, {world["theirs"]["outcome"]: ([], {})}, set()
        ),
        "not this review's",
    )
    # A form that changes nothing still owes the evidence again: a facilitator's only.
    refused(factory, lambda: agree.relink(ctx, at(PRACTITIONER, ""), review, {}, set()))


def agreed_q2(world) -> int:
    ctx, review = world["ctx"], world["review"]
    (proposal,) = agree.agree_form(ctx, at(OURS, US)).proposals
    (agreed,) = agree.agree(
        ctx,
        at(OURS, US),
        review,
        [_decision(proposal.outcome.text, proposal.outcome.id)],
        {proposal.outcome.id},
    ).agreed
    return agreed.id


def test_a_judgement_with_another_teams_or_reviews_ids_is_refused_whole(factory, world):
    ctx, review = world["ctx"], world["review"]
    outcome = agreed_q2(world)
    rated = [Rated(outcome, Rating.SOME_PROGRESS), Rated(None, Rating.SOME_PROGRESS)]
    due = Q2.end + timedelta(days=400)
    for new, earlier, match in (
        ([NewNeed("x", "UBEN", due, world["theirs"]["outcome"])], {}, "not one this review"),
        ([NewNeed("x", "UBEN", due, world["ours"]["outcome"])], {}, "not one this review"),
        (
            [],
            {world["theirs"]["need"]: Settling(NeedStatus.DONE, "found")},
            "not one of this team's",
        ),
    ):
        refused(
            factory,
            lambda n=new, e=earlier: judge.judge(ctx, at(OURS, ""), review, 0, rated, n, e),
            match,
        )
    with ctx.reading() as session:
        from reviews import outcomes

        theirs = outcomes.indicator_id(session, "ASCOF 3A")
    about_theirs = [NewNeed("x", "UBEN", due, indicator_id=theirs)]
    refused(
        factory,
        lambda: judge.judge(ctx, at(OURS, ""), review, 0, rated, about_theirs, {}),
        "not one of this team's",
    )
    for who in (PRACTITIONER, THEIRS):
        refused(
            factory,
            lambda w=who: judge.judge(ctx, at(w, ""), review, 0, rated, [], {}),
            "Only a facilitator",
        )
        refused(factory, lambda w=who: judge.judge_form(ctx, at(w, US)), "Only a facilitator")
    # A reminder's button names a review: in a direct message it is honoured only for one
    # of its team's facilitators.
    refused(
        factory,
        lambda: judge.judge_form(ctx, Asker(THEIRS, "DTHEIRS", direct=True), review),
        "Only a facilitator",
    )
    assert judge.judge_form(ctx, Asker(OURS, "DOURS", direct=True), review).review_id == review


def test_closing_is_a_facilitators_and_only_from_the_reviews_own_channel(factory, world):
    ctx, review = world["ctx"], world["review"]
    refused(factory, lambda: judge.close(ctx, at(PRACTITIONER, US), review), "Only a facilitator")
    refused(factory, lambda: judge.close(ctx, at(THEIRS, THEM), review))
    refused(factory, lambda: judge.closing(ctx, at(PRACTITIONER, US)), "Only a facilitator")
    closed, done = judge.close(ctx, at(OURS, US), review)
    assert done and str(closed.stage) == "closed"


def test_a_need_is_settled_or_moved_only_by_its_owner_or_its_teams_facilitator(factory, world):
    ctx, theirs = world["ctx"], world["theirs"]["need"]
    for who in (OURS, PRACTITIONER):
        refused(factory, lambda w=who: needs.to_settle(ctx, at(w, US), theirs), "Only its owner")
        refused(
            factory,
            lambda w=who: needs.settle(ctx, at(w, US), theirs, NeedStatus.DONE, "mine now"),
            "Only its owner",
        )
        refused(
            factory,
            lambda w=who: needs.move_due(ctx, at(w, US), theirs, Q2.end + timedelta(days=500)),
            "Only its owner",
        )
    settled = needs.settle(ctx, at(THEIRS, THEM), theirs, NeedStatus.DONE, "Falls fell")
    assert settled.changed and settled.team.team.name == "Theirs"


def test_reads_show_only_the_places_own_team(factory, world):
    ctx, review, theirs = world["ctx"], world["review"], world["theirs"]["review"]
    # Their review's id, from our channel: refused, whatever it is asked for.
    refused(factory, lambda: evidence.detail(ctx, at(OURS, US), theirs), "no review open")
    # Nor from a direct message or a form, which carry no team to be the place's own.
    for place in (Asker("USTRANGER", "D999", direct=True), Asker("USTRANGER", "")):
        refused(factory, lambda p=place: evidence.detail(ctx, p, review), "no review open")
    assert evidence.detail(ctx, at(OURS, US), review).team == "Ours"
    found = needs.team_needs(ctx, at(OURS, US))
    assert [n.text for n in found.open] == ["Count the falls"]
    assert {n.team_id for n in found.open} == {found.team.id}
    _, record = report.record_of(ctx, at(THEIRS, US), Q1)
    assert record.team == "Ours"
    assert team.team_history(ctx, at(THEIRS, THEM)).team == "Theirs"
    home = needs.home(ctx, OURS)
    assert [t.team.name for t in home.teams] == ["Ours"] and home.across is None


def test_a_place_with_no_team_is_told_so_and_nothing_is_read(factory, world):
    ctx = world["ctx"]
    for call in (
        lambda: needs.team_needs(ctx, at(OURS, "CNOWHERE")),
        lambda: step_one.so_far(ctx, at(OURS, "CNOWHERE")),
        lambda: team.status(ctx, at(OURS, "CNOWHERE")),
        lambda: step_one.start(ctx, at(OURS, "CNOWHERE"), Q2),
    ):
        refused(factory, call, "no team yet")


def test_a_thread_event_from_another_channel_changes_nothing(factory, world):
    ctx = world["ctx"]
    before = snapshot(factory.engine)
    # Our thread's timestamps, sent as if from their channel.
    assert step_one.reply(ctx, at("UANY", THEM, "EX1"), "3.0", "3.9", "sneaked in") == (
        step_one.Reply()
    )
    step_one.support(ctx, at("UANY", THEM, "EX2"), "3.1", True)
    step_one.withdraw_reply(ctx, at("UBEN", THEM, "EX3"), "3.0", "3.1")
    after = snapshot(factory.engine)
    # Only the events' claims were kept, so their retries change nothing either.
    changed = {t for t in after if after[t] != before[t]}
    assert changed == {"processed_event"}
