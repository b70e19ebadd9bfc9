"""A data protection request about a member of staff, on both databases: everything held
about them exported; their forgetting, after which no table and no report format holds
their id or name while the team's record stands; and the retention period, after which
nothing older names anyone."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlmodel import SQLModel, select

from bot.slack.mrkdwn import mentions_of
from reviews.cases import Context, pulse, team
from reviews.cases import people as cases
from reviews.kinds import OutcomeStatus
from reviews.reminders import need_reminders
from storage.models import (
    AuditEvent,
    InformationNeed,
    Judgement,
    OutcomeStatement,
    Person,
    Review,
    Team,
    UserView,
    ViewKind,
)
from tests.helpers.cases import ANN, ANN_NAME, BOB, FAC, at, every_format, judged_review


@pytest.fixture
def ctx(factory) -> Context:
    ctx = Context(factory)
    team.set_up(ctx, at(FAC), "Ours")
    return ctx


def everything(ctx: Context) -> str:
    """Every row of every table, as text."""
    with ctx.reading() as session:
        rows = []
        for table in SQLModel.metadata.sorted_tables:
            rows += [repr(tuple(row)) for row in session.connection().execute(table.select())]
    return "\n".join(rows)


def test_everything_held_about_a_person_is_exported(ctx):
    review_id = judged_review(ctx, "2026/27 Q1", "1.")
    pulse.answer(ctx, at(ANN), review_id, 2, 3)
    held = cases.export_person(ctx, ANN, mentions_of)
    assert json.loads(json.dumps(held)) == held  # as JSON
    assert held["pulse_answered"] == [{"team": "Ours", "period": "2026/27 Q1", "question": 2}]
    assert "3" not in json.dumps(held["pulse_answered"])  # that she answered, not what
    assert held["name"] == ANN_NAME and held["facilitator_of"] == []
    assert sorted(p["text"] for p in held["proposals"]) == [
        "Ann's outcome agreed",
        "Ann's outcome kept",
    ]
    assert [s["outcome"] for s in held["supports"]] == ["Bob's outcome agreed"]
    assert [n["text"] for n in held["needs_owned"]] == ["Count the falls at home"]
    assert {m["what"] for m in held["mentioned_in"]} == {"judgement"}
    assert {a["action"] for a in held["audit"] if a["by_them"]} >= {
        "outcome.propose",
        "outcome.support",
    }
    facilitator = cases.export_person(ctx, FAC, mentions_of)
    assert facilitator["facilitator_of"] == ["Ours"]
    assert len(facilitator["judgements_recorded"]) == 3  # two outcomes and overall
    assert cases.export_person(ctx, "UNOBODY", mentions_of)["proposals"] == []


def test_a_forgotten_person_is_nowhere_and_the_teams_record_stands(ctx):
    review_id = judged_review(ctx, "2026/27 Q1", "1.")
    pulse.answer(ctx, at(ANN), review_id, 1, 4)  # the questions after the review, too
    assert ANN in everything(ctx) and ANN_NAME in everything(ctx)
    before = every_format(ctx, review_id, date.today())
    assert all(ANN_NAME in text for text in before.values())

    forgotten = cases.forget_person(ctx, ANN, mentions_of)

    assert forgotten.anything and forgotten.still_being_worked == 0
    stored = everything(ctx)
    assert ANN not in stored and ANN_NAME not in stored
    for fmt, text in every_format(ctx, review_id, date.today()).items():
        assert ANN not in text and ANN_NAME not in text, fmt
        assert "a former member" in text, fmt
    with ctx.reading() as session:
        statements = {o.text: o.status for o in session.exec(select(OutcomeStatement))}
        judgements = session.exec(select(Judgement)).all()
        need = session.exec(select(InformationNeed)).one()
        team_row = session.exec(select(Team)).one()
        forgetting = session.exec(
            select(AuditEvent).where(AuditEvent.action == "person.forget")
        ).one()
    assert statements == {  # the kept proposal was never agreed: gone
        "Ann's outcome agreed": OutcomeStatus.AGREED,
        "Bob's outcome agreed": OutcomeStatus.AGREED,
    }
    assert len(judgements) == 3
    reasons = sorted(j.rationale for j in judgements)
    assert reasons == ["Better than we feared"] + ["a former member showed us the figures"] * 2
    assert need.text == "Count the falls at home" and need.owner_user_id.startswith("former-")
    assert need_reminders(team_row, need) == []  # nobody to remind
    assert ANN not in json.dumps(forgetting.detail) and forgetting.actor == "operator"

    # A second forgetting finds nothing and changes nothing.
    again = cases.forget_person(ctx, ANN, mentions_of)
    assert not again.anything
    assert everything(ctx) == stored


def test_forgetting_the_only_facilitator_says_the_team_needs_another(ctx):
    judged_review(ctx, "2026/27 Q1", "1.")
    forgotten = cases.forget_person(ctx, FAC, mentions_of)
    assert forgotten.teams_left_without_facilitator == ["Ours"]
    assert FAC not in everything(ctx)
    with ctx.reading() as session:
        assert {j.recorded_by for j in session.exec(select(Judgement))} == {forgotten_id(session)}


def forgotten_id(session) -> str:
    return session.exec(select(Person).where(Person.name == "a former member")).one().slack_user_id


def test_past_the_retention_period_nothing_names_a_person(ctx):
    old = judged_review(ctx, "2018/19 Q1", "1.")
    pulse.answer(ctx, at(ANN), old, 1, 5)
    pulse.comment(ctx, at(ANN), old, "Worth it for the waits")
    recent = judged_review(ctx, "2026/27 Q1", "2.")
    with ctx.changing() as session:
        team_id = session.exec(select(Team)).one().id
        for n, received in enumerate((date(2019, 3, 1), date(2026, 9, 1))):
            session.add(
                UserView(
                    team_id=team_id,
                    reference=f"V{n}",
                    received=received,
                    kind=ViewKind.COMMENT,
                    theme="waiting times",
                    text=f"Words given in {received.year}",
                )
            )
    now = datetime(2026, 12, 6, tzinfo=UTC)
    untouched = everything(ctx)

    listed = cases.past_retention(ctx, 6, now=now)

    assert listed.before == datetime(2020, 12, 6, tzinfo=UTC)
    assert listed.found["proposals never agreed"] == 1
    assert listed.found["user views with their words"] == 1
    assert listed.found["records of who answered the questions after a review"] == 2
    assert listed.found["comments given with those answers"] == 1
    assert everything(ctx) == untouched  # a dry run by default

    applied = cases.past_retention(ctx, 6, apply=True, now=now)
    assert applied.found == listed.found
    with ctx.reading() as session:
        of_old = [
            *session.exec(select(OutcomeStatement).where(OutcomeStatement.review_id == old)),
            *session.exec(select(Judgement).where(Judgement.review_id == old)),
            *session.exec(select(InformationNeed).where(InformationNeed.review_id == old)),
            session.get_one(Review, old),
        ]
        views = {v.reference: v.text for v in session.exec(select(UserView))}
        recent_proposers = {
            o.proposer_user_id
            for o in session.exec(
                select(OutcomeStatement).where(OutcomeStatement.review_id == recent)
            )
        }
        ratings = [j.rating for j in session.exec(select(Judgement))]
    held = "\n".join(repr(row) for row in of_old)
    assert not any(user in held for user in (ANN, FAC, BOB)) and "showed us" not in held
    assert [o.text for o in of_old if isinstance(o, OutcomeStatement)] == [
        "Ann's outcome agreed",
        "Bob's outcome agreed",
    ]
    assert len(ratings) == 6  # every rating kept
    assert views == {"V0": "", "V1": "Words given in 2026"}
    assert recent_proposers == {ANN, BOB}  # within the period: as it was
    assert "Worth it for the waits" not in everything(ctx)  # a comment is words too
    assert not cases.past_retention(ctx, 6, apply=True, now=now).anything  # done once
