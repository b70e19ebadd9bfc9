"""A review played through the use cases, as the cases tests share it."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import jsonschema
from pypdf import PdfReader

from bot.shared.reports import FORMATS, render
from bot.shared.reports.as_json import SCHEMA_PATH
from bot.shared.reports.report import build_report
from reviews import outcomes
from reviews.cases import Asker, Context, agree, judge, step_one
from reviews.judgement import NewNeed, Rated
from reviews.kinds import Rating
from reviews.outcomes import Decision
from reviews.periods import parse_quarter
from storage.models import Person, Review

FAC, ANN, BOB, HERE = "UFAC", "UANN", "UBOB", "C1"
ANN_NAME = "Ann Example"


def at(user: str, request: str | None = None) -> Asker:
    return Asker(user, HERE, request)


def judged_review(ctx: Context, period: str, thread: str, supporters: tuple[str, ...] = ()) -> int:
    """A review judged by FAC: Ann proposed one outcome that was agreed and one kept for
    later, supported Bob's, owns a need and is named in the reasons; `supporters` supported
    Ann's."""
    review = step_one.start(ctx, at(FAC), parse_quarter(period))
    with ctx.changing() as session:
        outcomes.set_thread(session, outcomes.review_by_id(session, review.id), thread)
    step_one.reply(ctx, at(ANN, f"E{thread}1"), thread, f"{thread}1", "Ann's outcome agreed")
    step_one.reply(ctx, at(ANN, f"E{thread}2"), thread, f"{thread}2", "Ann's outcome kept")
    step_one.reply(ctx, at(BOB, f"E{thread}3"), thread, f"{thread}3", "Bob's outcome agreed")
    step_one.support(ctx, at(ANN, f"E{thread}4"), f"{thread}3", True)
    for n, user in enumerate(supporters):
        step_one.support(ctx, at(user, f"E{thread}s{n}"), f"{thread}1", True)
    form = agree.agree_form(ctx, at(FAC))
    chosen = [p.outcome for p in form.proposals if "agreed" in p.outcome.text]
    agree.agree(
        ctx,
        at(FAC),
        review.id,
        [Decision(o.text, [o.id]) for o in chosen],
        shown={o.id for o in chosen},
        seen=form.seen,
    )
    rated = [Rated(o.id, Rating.SOME_PROGRESS, f"<@{ANN}> showed us the figures") for o in chosen]
    due = date.today() + timedelta(days=30)
    judge.judge(
        ctx,
        at(FAC),
        review.id,
        0,
        [*rated, Rated(None, Rating.SOME_PROGRESS, "Better than we feared")],
        [NewNeed("Count the falls at home", ANN, due, field="need_1")],
        {},
    )
    with ctx.changing() as session:
        for user, name in ((ANN, ANN_NAME), (FAC, "Fatima"), (BOB, "Bob")):
            session.merge(Person(slack_user_id=user, name=name))
    return review.id


def every_format(ctx: Context, review_id: int, as_of: date) -> dict[str, str]:
    """The review's report in each format, as text (the PDF's as extracted), the JSON
    checked against its schema."""
    with ctx.reading() as session:
        report = build_report(session, session.get_one(Review, review_id), as_of, charts=False)
    found = {}
    for fmt in FORMATS:
        data = render(report, fmt)
        if fmt == "pdf":
            found[fmt] = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        else:
            found[fmt] = data.decode()
    jsonschema.validate(json.loads(found["json"]), json.loads(SCHEMA_PATH.read_text()))
    return found
