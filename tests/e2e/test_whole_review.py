"""A whole review in Slack, end to end: outcomes agreed, evidence posted, the judgement and
two information needs recorded through the form, the record in the thread; then the next
quarter's kick-off brings the needs back and an owner marks one done from the App Home."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from sqlmodel import select

from bot.slack import ids
from storage.models import InformationNeed, Judgement, NeedStatus, Review
from tests.e2e.conftest import CHANNEL
from tests.e2e.forms import fill
from tests.helpers.review import agree_all, open_judgement, post_with, posts
from tests.helpers.slack import (
    ANN,
    BEN,
    CAT,
    FACILITATOR,
    eventually,
    outcomes_of,
    start_review,
)


def test_a_whole_review_from_kickoff_to_the_next_quarter(slack, factory):
    fake = slack.fake
    thread = start_review(slack, factory)
    prompt = agree_all(
        slack,
        factory,
        thread,
        ["Older people stay living in their own homes", "Carers get a break when they need one"],
    )
    assert prompt["thread_ts"] == thread
    glance = json.dumps(prompt["blocks"])
    # The threads of events may store the two statements in either order.
    assert re.search(r"\*[12]\. Older people stay living in their own homes\*", glance)
    assert glance.count("Evidence gap") == 2  # nothing is loaded for this team

    # Anyone in the channel can open an outcome's evidence in full, read-only.
    buttons = {
        b["text"]["text"].split("*")[1]: b["accessory"]
        for b in prompt["blocks"]
        if b.get("accessory", {}).get("action_id") == ids.OPEN_DETAIL
    }
    carers = next(k for k in buttons if "Carers" in k)
    assert buttons[carers]["text"]["text"] == "In full"
    opened = len(fake.calls("views.open"))
    slack.click(ids.OPEN_DETAIL, buttons[carers]["value"], user=BEN, message_ts="9.9")
    detail = fake.wait_for("views.open", opened + 1)[-1].params["view"]
    assert detail["title"]["text"] == f"Outcome {carers[0]}" and "submit" not in detail
    assert "Carers get a break when they need one" in json.dumps(detail["blocks"])
    everything = buttons["Across the team in 2026/27 Q2"]
    slack.click(ids.OPEN_DETAIL, everything["value"], user=CAT, message_ts="9.9")
    assert fake.wait_for("views.open", opened + 2)[-1].params["view"]["title"]["text"] == (
        "All indicators"
    )
    # What a button cannot open: an outcome no longer agreed, another team's review, a
    # value the bot never made, or this review from a channel that is not its team's.
    review_id = buttons[carers]["value"].split(":")[0]
    for value, where, said in (
        (f"{review_id}:999", CHANNEL, "no longer agreed"),
        ("999:0", CHANNEL, "There is no review open in this channel"),
        ("1:<!channel>", CHANNEL, "not one of this bot's"),
        (f"{review_id}:0", "COTHER", "This channel has no team yet"),
    ):
        told = len(fake.calls("chat.postEphemeral"))
        slack.click(ids.OPEN_DETAIL, value, user=BEN, message_ts="9.9", channel=where)
        answer = fake.wait_for("chat.postEphemeral", told + 1)[-1].params
        assert answer["user"] == BEN and said in answer["text"], value
    assert len(fake.calls("views.open")) == opened + 2

    form = open_judgement(slack, prompt)
    assert form["callback_id"] == ids.JUDGE_VIEW
    assert form["submit"]["text"] == "Record"  # two outcomes: one screen
    found = outcomes_of(factory)
    homes, carers = found["5.1"], found["5.2"]
    blocks = {b.get("block_id"): b for b in form["blocks"]}
    assert {f"rate_{homes.id}", f"rate_{carers.id}", "rate_overall"} <= set(blocks)
    # Nothing is loaded for this team: both outcomes are evidence gaps, offered as needs
    # (in the order the statements were stored, which the threads of events may swap).
    offered = {blocks[f"need_{k}_about"]["element"]["initial_option"]["value"]: k for k in (0, 1)}
    h, c = offered[f"o:{homes.id}"], offered[f"o:{carers.id}"]
    assert blocks[f"need_{h}_text"]["element"]["initial_value"].endswith(homes.text)

    due = (date.today() + timedelta(days=80)).isoformat()
    values = fill(
        form,
        {
            f"rate_{homes.id}": "some progress",
            f"why_{homes.id}": "Fewer admissions, but <!channel> we can't see why yet",
            f"rate_{carers.id}": "cannot judge yet",
            "rate_overall": "some progress",
            "why_overall": "Moving the right way.",
            f"need_{h}_owner": ANN,
            f"need_{h}_due": due,
            f"need_{c}_text": "How many carers had a break this quarter?",
            f"need_{c}_owner": BEN,
            "need_2_text": None,
        },
    )
    status, body = slack.submit(form, values, user=FACILITATOR)
    assert (status, body) == (200, "")  # the form closes

    record = post_with(fake, "Record of the QPR 2026/27 Q2")
    assert record["thread_ts"] == thread
    shown = json.dumps(record["blocks"])
    assert "Some progress" in shown and "Cannot judge yet" in shown
    assert "&lt;!channel&gt; we can't see why yet" in shown and "<!channel>" not in shown
    assert f"<@{ANN}>" in shown and f"<@{BEN}>" in shown  # their needs are open
    # The facilitator has just recorded it: named, not notified.
    assert f"<@{FACILITATOR}>" not in shown and "Judgement recorded by " in shown
    assert "How many carers had a break this quarter?" in shown
    with factory() as session:
        review = session.exec(select(Review)).one()
        assert str(review.stage) == "closed" and review.closed_at is not None
        ratings = {j.outcome_id: str(j.rating) for j in session.exec(select(Judgement)).all()}
        needs = session.exec(select(InformationNeed).order_by(InformationNeed.owner_user_id)).all()
    assert ratings == {
        homes.id: "some progress",
        carers.id: "cannot judge yet",
        None: "some progress",
    }
    assert [(n.owner_user_id, str(n.status), n.outcome_id) for n in needs] == [
        (ANN, "open", homes.id),
        (BEN, "open", carers.id),
    ]
    assert needs[0].due.isoformat() == due

    # Next quarter: the kick-off brings both needs back.
    before = len(posts(fake))
    slack.command("start 2026/27 Q3")
    kickoff = eventually(lambda: posts(fake)[before])
    listed = json.dumps(kickoff["blocks"])
    assert "Still open from last time" in listed
    assert "How many carers had a break" in listed and "Find evidence" in listed

    # ANN opens the App Home: her team, its review, and the need she owns, with a button.
    slack.event({"type": "app_home_opened", "user": ANN, "channel": "DANN", "tab": "home"})
    home = fake.wait_for("views.publish")[-1].params
    assert home["user_id"] == ANN
    page = json.dumps(home["view"])
    assert "Older People's Services" in page and "2026/27 Q3" in page
    assert "How many carers" not in page  # BEN's need, not hers
    done = next(
        b["accessory"]
        for b in home["view"]["blocks"]
        if b.get("accessory", {}).get("action_id") == ids.NEED_DONE
    )
    assert done["value"] == str(needs[0].id)
    opened = len(fake.calls("views.open"))
    slack.click_in_home(ids.NEED_DONE, done["value"], user=ANN)
    form = {**fake.wait_for("views.open", opened + 1)[-1].params["view"], "id": "V1"}
    found = {"answer": "The evidence is in the carers' survey of 2026."}
    assert slack.submit(form, fill(form, found), user=ANN) == (200, "")
    again = fake.wait_for("views.publish", 2)[-1].params
    assert "Marked done" in json.dumps(again["view"])
    assert not any(
        b.get("accessory", {}).get("action_id") == ids.NEED_DONE for b in again["view"]["blocks"]
    )
    with factory() as session:
        statuses = [
            n.status
            for n in session.exec(select(InformationNeed).order_by(InformationNeed.owner_user_id))
        ]
    assert statuses == [NeedStatus.DONE, NeedStatus.OPEN]
    assert CHANNEL in page
