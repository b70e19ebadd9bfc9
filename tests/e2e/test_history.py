"""An outcome's story: carried over from one quarter to the next, `/qpr history` shows its
judgement in each, and what the need raised for it found."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import jsonschema
from sqlmodel import select

from bot.shared.reports import render
from bot.shared.reports.as_json import SCHEMA_PATH
from bot.shared.reports.report import build_report
from bot.slack import ids
from storage.models import InformationNeed, Judgement, OutcomeStatement, Review
from tests.helpers.review import SAFE, agree_all, history, judge, post_with, posts
from tests.helpers.slack import CAT, eventually, start_review, thread_of


def test_a_carried_over_outcome_keeps_its_story_across_quarters(slack, factory):
    thread = start_review(slack, factory)
    prompt = agree_all(slack, factory, thread, [SAFE])
    with factory() as session:
        first = session.exec(select(OutcomeStatement)).one()
    judge(
        slack, prompt, "cannot judge yet", "No figures on falls yet.", ("Count the falls", first.id)
    )
    post_with(slack.fake, "Record of the QPR 2026/27 Q2")
    with factory() as session:
        # Its linked indicators were kept as they read when it was judged: none was linked.
        kept = session.exec(select(Judgement).where(Judgement.outcome_id == first.id)).one()
        assert kept.indicators_then == []
    with factory.unit_of_work() as session:
        need = session.exec(select(InformationNeed)).one()
        need.status, need.answer = "done", "Twelve falls at home, half of them at night."
        session.add(need)

    slack.command("start 2026/27 Q3")
    q3 = thread_of(factory, "2026/27 Q3")
    slack.click(ids.CARRY_OVER, str(first.id), user=CAT, message_ts=q3)
    eventually(
        lambda: [
            o for o in _outcomes(factory) if o.carried_from_id == first.id and o.slack_message_ts
        ]
    )
    before_agreeing = len(posts(slack.fake))
    prompt = agree_all(slack, factory, q3, ["Carers get a break"])
    # The evidence says, for the outcome carried over, how it went last time.
    evidence = json.dumps([p["blocks"] for p in posts(slack.fake)[before_agreeing:]])
    assert "Since last time" in evidence
    assert (
        "*1.* 2026/27 Q2: :grey_question: *Cannot judge yet*; we asked _Count the falls_: "
        "we found Twelve falls at home"
    ) in evidence
    assert "*2.* 2026/27 Q2" not in evidence  # a new outcome has no story yet
    judge(slack, prompt, "some progress", "Night-time falls are down since the sensors went in.")
    post_with(slack.fake, "Record of the QPR 2026/27 Q3")

    shown = history(slack)
    page = json.dumps(shown["blocks"])
    assert page.count(SAFE) == 1  # one story across both quarters, not two outcomes
    moved = "2026/27 Q2 :grey_question: *Cannot judge yet* \\u2192 2026/27 Q3 :large_yellow_circle:"
    assert moved in page
    assert "Night-time falls are down" in page  # the latest reasons
    assert "Count the falls (2026/27 Q2): we found: Twelve falls at home" in page
    assert (
        "2026/27 Q3 :large_yellow_circle: *Some progress*" in page and "Carers get a break" in page
    )
    assert "*Overall*" in page

    # The report of the second quarter tells the outcome's story since last time.
    with factory() as session:
        q3 = session.exec(select(Review).where(Review.period_label == "2026/27 Q3")).one()
        report = build_report(session, q3, date.today(), 4, charts=False)
    made = json.loads(render(report, "json"))
    jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text())).validate(made)
    carried, new = made["outcomes"]
    assert carried["text"] == SAFE and new["since_last_time"] is None
    before = carried["since_last_time"]
    assert before["quarters"] == [
        {
            "period": "2026/27 Q2",
            "rating": "cannot judge yet",
            "rationale": "No figures on falls yet.",
            "indicators": [],  # none was linked
        }
    ]
    assert before["needs"][0]["answer"] == "Twelve falls at home, half of them at night."
    markdown = render(report, "md").decode()
    assert "#### Since last time" in markdown
    assert "2026/27 Q2: Cannot judge yet. No figures on falls yet." in markdown
    rows = list(csv.DictReader(io.StringIO(render(report, "csv").decode())))
    (earlier,) = [r for r in rows if r["section"] == "judged before"]
    assert (earlier["text"], earlier["rating"], earlier["period"]) == (
        SAFE,
        "cannot judge yet",
        "2026/27 Q2",
    )


def test_a_team_with_no_reviews_is_told_how_to_begin(slack, factory):
    slack.command("setup Older People's Services")
    eventually(lambda: "now the home of" in json.dumps(slack.fake.calls()[-1].params))
    shown = history(slack)
    assert "has no reviews yet" in shown["text"]


def _outcomes(factory) -> list[OutcomeStatement]:
    with factory() as session:
        return list(session.exec(select(OutcomeStatement)).all())
