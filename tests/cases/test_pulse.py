"""The two questions after a review, on both databases: asked of those who took part and
of no one else, once each; kept without who answered or when beyond the day; shown only
once 5 have answered, with small counts kept back."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import jsonschema
import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.shared.pulse_words import history_line
from bot.shared.reports import render_teams
from bot.shared.reports.teams import SCHEMA_PATH as TEAMS_SCHEMA
from bot.shared.reports.teams import TeamsReport
from reviews import pulse
from reviews.cases import Asker, Context, needs, step_one, team
from reviews.cases import pulse as cases
from reviews.errors import QprError
from reviews.overview import overview
from reviews.periods import parse_quarter
from storage.models import PulseAnswer, PulseComment, PulseTaken, Review
from tests.helpers.cases import ANN, BOB, FAC, at, every_format, judged_review

OTHERS = ("UC1", "UC2", "UC3", "UC4")
DAY = date(2026, 12, 6)


@pytest.fixture
def ctx(factory) -> Context:
    ctx = Context(factory)
    team.set_up(ctx, at(FAC), "Ours")
    return ctx


@pytest.fixture
def review_id(ctx) -> int:
    return judged_review(ctx, "2026/27 Q1", "1.", supporters=OTHERS)


def stored(ctx) -> tuple[list, list, list]:
    with ctx.reading() as session:
        return (
            sorted((a.question, a.score) for a in session.exec(select(PulseAnswer))),
            sorted((t.slack_user_id, t.question) for t in session.exec(select(PulseTaken))),
            list(session.exec(select(PulseComment.text))),
        )


def test_the_questions_are_for_those_who_took_part_and_no_one_else(ctx, review_id):
    with ctx.reading() as session:
        review = session.get_one(Review, review_id)
        assert pulse.participants(session, review) == {FAC, ANN, BOB, *OTHERS}
    done = cases.answer(ctx, at(ANN), review_id, 1, 4, DAY)
    assert done.unanswered == [2] and done.may_comment
    with pytest.raises(QprError, match="as you did not, your answer is not counted"):
        cases.answer(ctx, at("UOUTSIDER"), review_id, 1, 1, DAY)
    with pytest.raises(QprError, match="already answered that question"):
        cases.answer(ctx, at(ANN), review_id, 1, 5, DAY)
    assert stored(ctx)[:2] == ([(1, 4)], [(ANN, 1)])  # one answer, counted once


def test_nothing_is_asked_before_the_judgement_is_recorded(ctx):
    review = step_one.start(ctx, at(FAC), parse_quarter("2026/27 Q2"))
    with pytest.raises(QprError, match="no recorded judgement yet"):
        cases.answer(ctx, at(FAC), review.id, 1, 5, DAY)
    assert stored(ctx) == ([], [], [])


def test_an_answer_cannot_be_linked_back_to_who_gave_it(ctx, review_id, engine):
    for user, score in ((ANN, 5), (BOB, 2), (FAC, 4)):
        cases.answer(ctx, at(user, f"T-{user}"), review_id, 2, score, DAY)
    columns = {c["name"]: c["type"] for c in sa.inspect(engine).get_columns("pulse_answer")}
    assert set(columns) == {"id", "review_id", "question", "score", "answered_on"}
    assert isinstance(columns["answered_on"], sa.Date)  # the day, nothing finer
    with ctx.reading() as session:
        answers = session.exec(select(PulseAnswer)).all()
        taken = session.exec(select(PulseTaken)).all()
    held = " ".join(repr(a) for a in answers)
    assert not any(user in held or f"T-{user}" in held for user in (ANN, BOB, FAC))
    assert {len(a.id) for a in answers} == {32}  # random: no order of arrival
    assert all(a.answered_on == DAY for a in answers)
    # Who answered is kept apart, with no answer, time or order beside it.
    assert {c["name"] for c in sa.inspect(engine).get_columns("pulse_taken")} == {
        "review_id",
        "slack_user_id",
        "question",
    }
    assert sorted(t.slack_user_id for t in taken) == sorted([ANN, BOB, FAC])


def test_below_five_answers_nothing_is_shown_and_from_five_small_counts_are_kept_back(
    ctx, review_id
):
    for user in (FAC, ANN, BOB, "UC1"):
        cases.answer(ctx, at(user), review_id, 1, 5, DAY)
        cases.comment(ctx, at(user), review_id, f"Useful, says {user}")
    with ctx.reading() as session:
        four = pulse.result(session, session.get_one(Review, review_id))
    assert not four.anything_shown and four.questions[0].counts == {}
    assert four.questions[0].agreeing is None and four.comments == []

    cases.answer(ctx, at("UC2"), review_id, 1, 2, DAY)
    cases.comment(ctx, at("UC2"), review_id, "Too long")
    with ctx.reading() as session:
        five = pulse.result(session, session.get_one(Review, review_id))
    first = five.questions[0]
    assert first.shown and first.answered == 5
    # 4 strongly agree and 1 disagrees: both small, so neither count, nor the share that
    # would tell them, is shown.
    assert first.counts[5] == "fewer than 5" and first.counts[2] == "fewer than 5"
    assert first.counts[1] == 0 and first.agreeing is None
    assert not five.questions[1].shown  # nobody answered the second yet
    assert sorted(five.comments) == sorted(
        [f"Useful, says {u}" for u in (FAC, ANN, BOB, "UC1")] + ["Too long"]
    )


def test_a_second_comment_is_refused_and_an_empty_one_is_not_kept(ctx, review_id):
    with pytest.raises(QprError, match="empty"):
        cases.comment(ctx, at(ANN), review_id, "   ")
    cases.comment(ctx, at(ANN), review_id, "It helped")
    with pytest.raises(QprError, match="already commented"):
        cases.comment(ctx, at(ANN), review_id, "Again")
    assert stored(ctx)[2] == ["It helped"]


def test_a_review_of_another_team_cannot_be_answered_from_this_channel(ctx, review_id):
    team.set_up(ctx, Asker("UOTHER", "C2"), "Theirs")
    with pytest.raises(QprError):
        cases.answer(ctx, Asker(ANN, "C2"), review_id, 1, 5, DAY)
    assert stored(ctx) == ([], [], [])


def test_below_five_answers_no_format_shows_a_count_a_share_or_a_comment(ctx, review_id):
    for user in (FAC, ANN, BOB, "UC1"):
        cases.answer(ctx, at(user), review_id, 1, 1, DAY)
        cases.comment(ctx, at(user), review_id, f"Unkind words from {user}")
    found = every_format(ctx, review_id, DAY)
    for fmt, text in found.items():
        flat = " ".join(text.split())
        assert "Unkind words" not in flat, fmt
        assert "strongly disagree 4" not in flat and "strongly disagree,4" not in flat, fmt
        if fmt not in ("csv", "json"):
            assert "not shown: fewer than 5 answered" in flat.lower(), fmt
    answered = json.loads(found["json"])["pulse"]["questions"][0]
    assert answered == answered | {"answered": "fewer than 5", "counts": None}
    assert answered["agreeing_percent"] is None
    assert "pulse answer" not in found["csv"] and "fewer than 5 answered" in found["csv"]

    cases.answer(ctx, at("UC2"), review_id, 1, 1, DAY)
    cases.comment(ctx, at("UC2"), review_id, "Unkind words from UC2")
    found = every_format(ctx, review_id, DAY)
    shown = json.loads(found["json"])["pulse"]["questions"][0]
    assert shown["answered"] == 5 and shown["counts"]["strongly disagree"] == 5
    assert shown["agreeing_percent"] == 0.0
    for fmt in ("md", "html", "pdf", "csv", "json"):
        assert "Unkind words from UC2" in found[fmt], fmt


def test_from_five_answers_history_the_home_and_every_team_paper_show_the_share(ctx, review_id):
    for user in (FAC, ANN, BOB, "UC1", "UC2"):
        cases.answer(ctx, at(user), review_id, 1, 5, DAY)
    said = "it helped me see the difference our work makes: 100% agree or strongly agree (of 5)"

    history = team.team_history(ctx, at(ANN))
    assert [p.period_label for p in history.pulse] == ["2026/27 Q1"]
    assert said in history_line(history.pulse[0])
    assert "not shown: nobody has answered yet" in history_line(history.pulse[0])

    facilitator, member = needs.home(ctx, FAC), needs.home(ctx, ANN)
    assert facilitator.teams[0].pulse is not None and member.teams[0].pulse is None

    with ctx.reading() as session:
        paper = TeamsReport(overview(session, parse_quarter("2026/27 Q1"), DAY, 4))
    for fmt, shown in (
        ("md", "100% agree or strongly agree (of 5)"),
        ("html", "100% agree or strongly agree (of 5)"),
    ):
        assert shown in render_teams(paper, fmt).decode(), fmt
    rows = csv.DictReader(io.StringIO(render_teams(paper, "csv").decode()))
    first = next(r for r in rows if r["section"] == "pulse")
    assert (first["stage"], first["value"], first["period"]) == ("5 answered", "100", "2026/27 Q1")
    teams_json = json.loads(render_teams(paper, "json"))
    jsonschema.validate(teams_json, json.loads(TEAMS_SCHEMA.read_text()))
    assert teams_json["teams"][0]["pulse"]["questions"][0] == {
        "question": 1,
        "answered": 5,
        "agreeing_percent": 100.0,
    }
