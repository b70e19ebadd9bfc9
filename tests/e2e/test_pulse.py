"""The two questions under a review's record, as people answer them in Slack: buttons in
the record itself (no message, no ping), a private thank-you, a polite refusal for a
second answer or for someone who did not take part, a comment by a form; and nothing in
the log that says who answered what."""

from __future__ import annotations

import json
import logging

from sqlmodel import select

from bot.slack import ids
from bot.slack.blocks.pulse import pulse_buttons
from bot.slack.standin import fill_form
from storage.models import PulseAnswer, PulseComment, Review
from tests.helpers.review import judged, post_with, posts
from tests.helpers.slack import ANN, FACILITATOR, eventually


def said(fake, before: int) -> str:
    answers = eventually(lambda: fake.calls("respond/click")[before:] or None)
    return json.dumps(answers[-1].params)


def test_the_pulse_is_answered_once_each_in_two_clicks_and_pings_no_one(slack, factory, caplog):
    caplog.set_level(logging.INFO)
    judged(slack, factory, [("Count the falls at home", ANN)])
    record = post_with(slack.fake, "Record of the QPR 2026/27 Q2")
    buttons = pulse_buttons(record["blocks"])
    assert sorted(buttons) == [(q, s) for q in (1, 2) for s in range(1, 6)]
    assert "Did this review help you see how your work makes a difference" in json.dumps(record)
    posted = len(posts(slack.fake))

    def click(question: int, score: int, user: str) -> str:
        before = len(slack.fake.calls("respond/click"))
        button = buttons[question, score]
        assert (
            slack.click(button["action_id"], button["value"], user=user, message_ts="9.9")[0] == 200
        )
        return said(slack.fake, before)

    first = click(1, 4, ANN)
    assert "Thank you: your answer is kept without your name" in first
    assert "Question 2 is still yours" in first and '"ephemeral"' in first
    assert "already answered that question" in click(1, 5, ANN)
    assert "your answer is not counted" in click(2, 1, "UOUTSIDER")
    second = click(2, 5, ANN)
    comment_button = next(
        e
        for b in json.loads(second)["blocks"]
        for e in b.get("elements", [])
        if e.get("action_id") == ids.PULSE_COMMENT
    )

    opened = len(slack.fake.calls("views.open"))
    slack.click(ids.PULSE_COMMENT, comment_button["value"], user=ANN, message_ts="9.9")
    form = {**slack.fake.wait_for("views.open", opened + 1)[-1].params["view"], "id": "V1"}
    values = fill_form(form, {"comment": "Seeing the waits by month helped"})
    assert slack.submit(form, values, user=ANN) == (200, "")
    status, body = slack.submit(form, values, user=ANN)  # again: refused beside the field
    assert status == 200 and "already commented" in json.loads(body)["errors"]["comment"]

    assert len(posts(slack.fake)) == posted  # no message: nobody was pinged
    with factory() as session:
        review_id = session.exec(select(Review.id)).one()
        answers = sorted((a.question, a.score) for a in session.exec(select(PulseAnswer)))
        comments = list(session.exec(select(PulseComment.text)))
    assert answers == [(1, 4), (2, 5)] and comments == ["Seeing the waits by month helped"]
    assert comment_button["value"] == str(review_id)
    logged = caplog.text
    assert "action pulse" in logged
    assert not any(action in logged for action in ids.PULSE_ANSWERS)  # the score
    assert "Seeing the waits" not in logged


def test_the_facilitator_may_answer_too(slack, factory):
    judged(slack, factory, [])
    buttons = pulse_buttons(post_with(slack.fake, "Record of the QPR 2026/27 Q2")["blocks"])
    button = buttons[1, 5]
    slack.click(button["action_id"], button["value"], user=FACILITATOR, message_ts="9.9")
    assert "Thank you" in said(slack.fake, 0)
