"""A meeting of any size agrees its outcomes: 40, 150 or 500 proposals in one thread, taken
through the shortlist onto the agreement form, with the rest kept for next quarter and the
facilitator told what became of them."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from reviews import outcomes
from storage.models import OutcomeStatement, OutcomeSupport, Review
from tests.e2e.forms import fill
from tests.helpers.review import evidence_posts
from tests.helpers.slack import FACILITATOR, eventually, start_review

FORM_HOLDS = 32


def propose_many(factory, count: int) -> None:
    """`count` proposals in the review's thread; proposal n has n % 7 supporters, so the
    most supported are spread through the list."""
    with factory.unit_of_work() as session:
        review = session.exec(select(Review).where(Review.stage == "outcomes")).one()
        for n in range(1, count + 1):
            outcome, _ = outcomes.propose(
                session, review, f"Outcome {n}: people are safe", f"U{n:05d}", f"9.{n:05d}"
            )
            for j in range(n % 7):
                session.add(OutcomeSupport(outcome_id=outcome.id, slack_user_id=f"UF{j}"))


def statuses(factory) -> dict[str, int]:
    with factory() as session:
        found = [o.status for o in session.exec(select(OutcomeStatement))]
    return {str(s): found.count(s) for s in set(found)}


@pytest.mark.parametrize("count", [40, 150, 500])
def test_any_number_of_proposals_is_agreed_through_a_shortlist(slack, factory, count):
    start_review(slack, factory)
    propose_many(factory, count)
    slack.command("agree")
    shortlist = slack.fake.wait_for("views.open")[-1].params["view"]
    assert shortlist["callback_id"] == "shortlist_outcomes"
    assert f"{count} proposals" in json.dumps(shortlist)

    status, body = slack.submit(shortlist, fill(shortlist), user=FACILITATOR)
    assert status == 200
    form = json.loads(body)
    assert form["response_action"] == "update"
    agree_form = form["view"]
    assert agree_form["callback_id"] == "agree_outcomes"
    on_form = [b for b in agree_form["blocks"] if b.get("block_id", "").startswith("do_")]
    assert len(on_form) == FORM_HOLDS
    assert f"The {count - FORM_HOLDS} proposals not on this form are kept" in json.dumps(agree_form)
    # The most supported were taken onto the form: six supporters each.
    labels = [
        b["label"]["text"]
        for b in agree_form["blocks"]
        if b.get("block_id", "").startswith("text_")
    ]
    assert all("6 supporters" in label for label in labels[: min(count // 7, FORM_HOLDS)])

    assert slack.submit(agree_form, fill(agree_form), user=FACILITATOR) == (200, "")
    eventually(lambda: statuses(factory).get("agreed") == FORM_HOLDS)
    assert statuses(factory) == {"agreed": FORM_HOLDS, "kept": count - FORM_HOLDS}
    told = slack.fake.wait_for("chat.postEphemeral")[-1].params
    assert told["user"] == FACILITATOR
    assert f"{count - FORM_HOLDS} proposals kept for next quarter" in told["text"]
    eventually(lambda: evidence_posts(slack.fake))


def test_a_shortlist_refuses_more_than_the_form_holds_and_keeps_what_it_leaves(slack, factory):
    start_review(slack, factory)
    propose_many(factory, 40)
    slack.command("agree")
    shortlist = slack.fake.wait_for("views.open")[-1].params["view"]
    with factory() as session:
        ids = [str(o.id) for o in session.exec(select(OutcomeStatement))]
    too_many = fill(shortlist, {"shortlist_0": ids[:33]})
    _, body = slack.submit(shortlist, too_many, user=FACILITATOR)
    assert json.loads(body)["errors"] == {
        "shortlist_0": "33 are chosen: at most 32 fit on the form."
    }
    chosen = fill(shortlist, {"shortlist_0": ids[5:8]})  # 6, 7 and 8
    agree_form = json.loads(slack.submit(shortlist, chosen, user=FACILITATOR)[1])["view"]
    assert "The 37 proposals not on this form are kept for next quarter" in json.dumps(agree_form)
    assert slack.submit(agree_form, fill(agree_form), user=FACILITATOR) == (200, "")
    eventually(lambda: "kept" in statuses(factory))
    # Of the three on the form, the two with support (6 and 8) were agreed, 7 dropped; the
    # rest, never on the form, kept.
    assert statuses(factory) == {"agreed": 2, "withdrawn": 1, "kept": 37}
    told = slack.fake.wait_for("chat.postEphemeral")[-1].params["text"]
    assert told == (
        "2 outcome statements agreed for 2026/27 Q2. 37 proposals kept for next quarter: "
        "its kick-off offers them. 1 proposal dropped."
    )


def test_the_judgement_form_at_its_largest_keeps_within_slacks_limits_page_by_page(slack, factory):
    """20 agreed outcomes and 60 of last quarter's needs still open: every page of the form
    Slack is given keeps within its limits, and the needs that do not fit are counted."""
    from datetime import date, timedelta

    from reviews import judgement, teams
    from reviews.judgement import NewNeed, Rated
    from reviews.kinds import Rating
    from reviews.periods import parse_quarter
    from tests.helpers.slack_limits import problems

    start_review(slack, factory)  # 2026/27 Q2, through the app
    due = date.today() + timedelta(days=90)
    with factory.unit_of_work() as session:
        team = teams.team_for_channel(session, "C0TEAM")
        q1, _ = outcomes.start_review(session, team, parse_quarter("2026/27 Q1"), FACILITATOR)
        first, _ = outcomes.propose(session, q1, "People are safe", "UANN", "8.1")
        (agreed,) = outcomes.agree(
            session, q1, FACILITATOR, [outcomes.Decision(first.text, [first.id])], {first.id}
        ).agreed
        judgement.record_judgement(
            session,
            q1,
            FACILITATOR,
            [Rated(agreed.id, Rating.SOME_PROGRESS), Rated(None, Rating.SOME_PROGRESS)],
            [NewNeed(f"Need {n}: " + "n" * 900, "UANN", due) for n in range(60)],
            {},
        )
    propose_many(factory, 20)
    with factory.unit_of_work() as session:
        q2 = session.exec(select(Review).where(Review.period_label == "2026/27 Q2")).one()
        found = outcomes.proposals(session, q2)
        outcomes.agree(
            session,
            q2,
            FACILITATOR,
            [outcomes.Decision(p.outcome.text, [p.outcome.id]) for p in found],
            {p.outcome.id for p in found},
        )
    slack.command("judge")
    view = slack.fake.wait_for("views.open")[-1].params["view"]
    pages = 0
    while True:
        pages += 1
        assert problems(view["blocks"], "modal") == [], pages
        assert len(view["private_metadata"]) <= 3000 and len(json.dumps(view)) < 250_000
        ratings = {
            b["block_id"]: "some progress"
            for b in view["blocks"]
            if b.get("block_id", "").startswith("rate_")
        }
        if view["submit"]["text"] == "Record":
            break
        status, body = slack.submit(view, fill(view, ratings), user=FACILITATOR)
        assert status == 200
        view = json.loads(body)["view"]
    assert pages == 4  # six outcomes a page
    shown = json.dumps(view["blocks"])
    assert "48 more stay open: `/qpr needs` lists them" in shown


def test_the_app_home_of_a_facilitator_of_thirty_teams_keeps_within_slacks_limits(slack, factory):
    from reviews import teams
    from tests.helpers.slack_limits import problems

    with factory.unit_of_work() as session:
        for n in range(30):
            teams.setup_team(session, f"C{n:04d}", f"Team {n}", FACILITATOR)
    slack.event({"type": "app_home_opened", "user": FACILITATOR, "channel": "D1", "tab": "home"})
    home = slack.fake.wait_for("views.publish")[-1].params["view"]
    assert problems(home["blocks"], "home") == []
    shown = json.dumps(home["blocks"])
    listed = shown.count("*Team ")
    # Every team is listed, or those that are not are counted: none is cut silently.
    assert listed == 30 or f"And {30 - listed} more teams: `/qpr status` in each" in shown


def test_what_was_kept_comes_back_next_quarter_and_is_listed_in_full(slack, factory):
    from tests.helpers.slack import responses

    start_review(slack, factory)
    propose_many(factory, 40)
    slack.command("agree")
    shortlist = slack.fake.wait_for("views.open")[-1].params["view"]
    agree_form = json.loads(slack.submit(shortlist, fill(shortlist), user=FACILITATOR)[1])["view"]
    assert slack.submit(agree_form, fill(agree_form), user=FACILITATOR) == (200, "")
    eventually(lambda: statuses(factory).get("kept") == 8)
    slack.command("start 2026/27 Q3")
    kickoff = eventually(
        lambda: next(
            c.params
            for c in slack.fake.calls("chat.postMessage")
            if "QPR 2026/27 Q3" in c.params.get("text", "")
        )
    )
    shown = json.dumps(kickoff["blocks"])
    # The 32 agreed and the 8 kept are offered: 15 buttons, and the rest counted.
    assert shown.count('"carry_over"') == 15
    assert "And 25 more from last time, not listed here: `/qpr outcomes` lists them" in shown
    slack.command("outcomes")
    listed = eventually(lambda: next(r for r in responses(slack.fake) if "Kept from last" in r))
    assert "*Kept from last time (8)*" in listed
    assert listed.count("\u2022 Outcome ") == 8
