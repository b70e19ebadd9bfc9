"""Step 1 in Slack, end to end: signed requests in, Web API calls out, the database after."""

from __future__ import annotations

import json
import re
import time

from sqlmodel import select

from bot.slack import ids
from storage.imports import import_file
from storage.models import (
    AuditEvent,
    OutcomeStatement,
    OutcomeStatus,
    Review,
    Team,
)
from tests.e2e.conftest import CHANNEL
from tests.helpers.review import evidence_posts
from tests.helpers.slack import (
    ANN,
    BEN,
    CAT,
    FACILITATOR,
    eventually,
    outcomes_of,
    reply,
    responses,
    said,
    start_review,
    supporters,
    thread_of,
)
from tests.helpers.teams import name_first_facilitator


def test_outcome_statements_are_proposed_supported_and_agreed_in_the_thread(slack, factory):
    fake = slack.fake
    thread = start_review(slack, factory)

    reply(slack, ANN, "1.1", thread, "Older people stay living in their own homes")
    reply(slack, BEN, "1.2", thread, "Carers get a break")
    reply(slack, CAT, "1.3", thread, "People feel safe at home")
    eventually(lambda: len(outcomes_of(factory)) == 3)
    acks = fake.wait_for("reactions.add", 3)
    assert {c.params["timestamp"] for c in acks} == {"1.1", "1.2", "1.3"}
    assert {c.params["name"] for c in acks} == {ids.ACK_REACTION}
    assert not fake.calls("chat.postMessage")[1:]  # acknowledged by reaction, not a message

    # An edit follows the reply; a deletion withdraws it; a bot's reply is not a proposal.
    slack.event(
        {
            "type": "message",
            "subtype": "message_changed",
            "channel": CHANNEL,
            "ts": "1.9",
            "hidden": True,
            "message": {
                "type": "message",
                "user": ANN,
                "ts": "1.1",
                "thread_ts": thread,
                "text": "Older people are supported to stay living at home",
                "edited": {"user": ANN, "ts": "1.9"},
            },
            "previous_message": {"user": ANN, "ts": "1.1", "thread_ts": thread},
        }
    )
    slack.event(
        {
            "type": "message",
            "subtype": "message_deleted",
            "channel": CHANNEL,
            "deleted_ts": "1.2",
            "ts": "1.10",
            "previous_message": {"user": BEN, "ts": "1.2", "thread_ts": thread},
        }
    )
    reply(slack, "UOTHERBOT", "1.4", thread, "I am a bot", bot_id="BOTHER")
    eventually(lambda: outcomes_of(factory)["1.1"].text.endswith("living at home"))
    eventually(lambda: outcomes_of(factory)["1.2"].status == OutcomeStatus.WITHDRAWN)

    # Proposing anonymously: the bot posts the statement, escaped, and keeps no name.
    fake_views = len(fake.calls("views.open"))
    slack.click(
        ids.PROPOSE_ANONYMOUSLY,
        str(outcomes_of(factory)["1.1"].review_id),
        user=BEN,
        message_ts=thread,
    )
    modal = fake.wait_for("views.open", fake_views + 1)[-1].params["view"]
    assert modal["callback_id"] == ids.ANONYMOUS_VIEW
    slack.submit(
        modal,
        {
            "statement": {
                "text": {
                    "type": "plain_text_input",
                    "value": "<!channel> People know who to call when things go wrong",
                }
            }
        },
        user=BEN,
    )
    posted = fake.wait_for("chat.postMessage", 2)[-1].params
    assert posted["thread_ts"] == thread
    assert "<!channel>" not in posted["text"] and "&lt;!channel&gt;" in posted["text"]
    anonymous_ts = eventually(
        lambda: next(ts for ts, o in outcomes_of(factory).items() if o.anonymous and ts)
    )
    assert outcomes_of(factory)[anonymous_ts].proposer_user_id is None

    # Support with :+1: in any skin tone; taking the reaction away takes the support away.
    first = outcomes_of(factory)["1.1"]
    for user, reaction, ts in [
        (BEN, "+1::skin-tone-2", "1.1"),
        (CAT, "+1", "1.1"),
        (ANN, "+1", anonymous_ts),
        (ANN, "heart", "1.3"),
    ]:
        slack.event(
            {
                "type": "reaction_added",
                "user": user,
                "reaction": reaction,
                "item": {"type": "message", "channel": CHANNEL, "ts": ts},
            }
        )
    eventually(lambda: supporters(factory, first.id) == {BEN, CAT})
    slack.event(
        {
            "type": "reaction_removed",
            "user": CAT,
            "reaction": "+1",
            "item": {"type": "message", "channel": CHANNEL, "ts": "1.1"},
        }
    )
    eventually(lambda: supporters(factory, first.id) == {BEN})
    third = outcomes_of(factory)["1.3"]
    assert supporters(factory, third.id) == set()
    slack.event(
        {
            "type": "reaction_added",
            "user": CAT,
            "reaction": "+1",
            "item": {"type": "message", "channel": CHANNEL, "ts": "1.3"},
        }
    )
    eventually(lambda: supporters(factory, third.id) == {CAT})

    # Only a facilitator agrees; the refusal names one.
    slack.command("agree", user=ANN)
    said(fake, f"Only a facilitator can agree the outcomes. Please ask <@{FACILITATOR}>")

    slack.command("agree")
    modal = fake.wait_for("views.open", fake_views + 2)[-1].params["view"]
    assert modal["callback_id"] == ids.AGREE_VIEW
    anonymous = outcomes_of(factory)[anonymous_ts]
    selects = {
        b["block_id"]: b["element"]
        for b in modal["blocks"]
        if b.get("block_id", "").startswith("do_")
    }
    assert selects[f"do_{first.id}"]["initial_option"]["value"] == "agree"  # supported
    assert len(selects) == 3  # the withdrawn proposal is not offered

    def choose(value):
        return {"do": {"type": "static_select", "selected_option": {"value": value}}}

    def words(text):
        return {"text": {"type": "plain_text_input", "value": text}}

    status, _ = slack.submit(
        modal,
        {
            f"text_{first.id}": words("Older people are supported to live at home"),
            f"do_{first.id}": choose("agree"),
            f"text_{third.id}": words(third.text),
            f"do_{third.id}": choose(f"merge:{first.id}"),
            f"text_{anonymous.id}": words(anonymous.text),
            f"do_{anonymous.id}": choose("agree"),
        },
        user=FACILITATOR,
    )
    assert status == 200
    agreed_post = eventually(lambda: evidence_posts(fake)[0])
    assert agreed_post["thread_ts"] == thread
    agreed_blocks = json.dumps(agreed_post["blocks"])
    assert "1. Older people are supported to live at home" in agreed_blocks
    assert "&lt;!channel&gt; People know who to call" in agreed_blocks
    assert "<!channel>" not in agreed_blocks

    found = eventually(
        lambda: (o := outcomes_of(factory)) and o["1.1"].status == OutcomeStatus.AGREED and o
    )
    assert found["1.1"].text == "Older people are supported to live at home"
    assert found["1.3"].status == OutcomeStatus.WITHDRAWN  # merged into the first
    assert found[anonymous_ts].status == OutcomeStatus.AGREED
    assert supporters(factory, first.id) == {BEN, CAT}  # CAT's support came with the merge

    # The evidence at a glance lists them: nothing is loaded for this team, so each agreed
    # outcome is named as an evidence gap, and the discussion prompt closes it.
    assert "For the meeting" in agreed_blocks
    assert "Evidence at a glance: 2026/27 Q2" in agreed_blocks
    assert agreed_blocks.count("*Evidence gap*") == 2
    with factory() as session:
        review = session.exec(select(Review)).one()
        assert str(review.stage) == "evidence"
        actions = [a.action for a in session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()]
    assert actions[:2] == ["team.setup", "review.start"]
    assert {
        "outcome.propose",
        "outcome.edit",
        "outcome.withdraw",
        "outcome.support",
        "outcome.unsupport",
        "outcomes.agree",
    } <= set(actions)


def test_a_duplicate_delivery_changes_nothing(slack, factory):
    thread = start_review(slack, factory)
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    for headers in ({}, retry, retry):
        status, _ = slack.event(
            {
                "type": "message",
                "channel": CHANNEL,
                "user": ANN,
                "ts": "2.1",
                "thread_ts": thread,
                "text": "People are listened to",
            },
            event_id="EvSAME",
            headers=headers,
        )
        assert status == 200
    eventually(lambda: len(outcomes_of(factory)) == 1)
    for _ in range(2):
        slack.event(
            {
                "type": "reaction_added",
                "user": BEN,
                "reaction": "+1",
                "item": {"type": "message", "channel": CHANNEL, "ts": "2.1"},
            },
            event_id="EvSUPPORT",
        )
    outcome = outcomes_of(factory)["2.1"]
    eventually(lambda: supporters(factory, outcome.id) == {BEN})
    time.sleep(0.3)
    with factory() as session:
        supports = session.exec(
            select(AuditEvent).where(AuditEvent.action == "outcome.support")
        ).all()
    assert len(supports) == 1
    assert len(slack.fake.calls("reactions.add")) == 1


def test_requests_with_a_bad_signature_or_an_old_timestamp_are_refused(slack, factory):
    assert (
        slack.post("command=/qpr&text=help", "application/x-www-form-urlencoded", secret="wrong")[0]
        == 401
    )
    old = int(time.time()) - 600
    assert (
        slack.post("command=/qpr&text=help", "application/x-www-form-urlencoded", timestamp=old)[0]
        == 401
    )
    with factory() as session:
        assert session.exec(select(Team)).all() == []


def test_commands_in_a_channel_without_a_team_say_how_to_set_one_up(slack):
    slack.command("status", channel="CNOWHERE")
    assert "This channel has no team yet" in eventually(lambda: responses(slack.fake)[-1])


def test_bad_commands_get_usage(slack, factory):
    start_review(slack, factory)
    slack.command("strat")
    said(slack.fake, "I don't know `/qpr strat`")
    slack.command("start 2026/27 Q7")
    said(slack.fake, "no quarter 7")
    slack.command("facilitators add nobody")
    said(slack.fake, "I can't tell who `nobody` is")
    slack.command("judge")
    said(slack.fake, "are not agreed yet: agree them first")
    slack.command("schedule now and then")
    said(slack.fake, "is not a meeting rule")


def test_a_kickoff_slack_refuses_is_reported_and_the_review_kept(slack, factory):
    slack.command("setup Children in Need")
    eventually(lambda: responses(slack.fake))
    slack.fake.fail_next("chat.postMessage", error="channel_not_found")
    slack.command("start 2026/27 Q2")
    assert "Slack would not take the kick-off message (channel_not_found)" in eventually(
        lambda: [r for r in responses(slack.fake) if "kick-off" in r][-1]
    )
    with factory() as session:
        assert session.exec(select(Review)).one().slack_thread_ts is None
    slack.command("start 2026/27 Q2")  # posting again works and keeps the same review
    slack.fake.wait_for("chat.postMessage", 2)
    thread_of(factory)


def test_a_rate_limited_post_is_retried_after_the_wait(slack, factory):
    slack.command("setup Children in Need")
    eventually(lambda: responses(slack.fake))
    slack.fake.fail_next("chat.postMessage", status=429, retry_after=1)
    slack.command("start 2026/27 Q2")
    posts = slack.fake.wait_for("chat.postMessage", 2, timeout=8)
    assert posts[1].at - posts[0].at >= 1.0
    thread_of(factory)


def test_healthz_reports_the_database(slack):
    import urllib.request

    url = slack.url.replace("/slack/events", "/healthz")
    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.status == 200
        assert json.loads(response.read()) == {"ok": True, "database": "reachable"}


def test_another_channel_cannot_reach_a_review_by_its_id(slack, factory):
    thread = start_review(slack, factory)
    with factory() as session:
        review_id = session.exec(select(Review)).one().id
    before = len(slack.fake.calls("views.open"))
    slack.click(
        ids.PROPOSE_ANONYMOUSLY, str(review_id), user=ANN, message_ts=thread, channel="COTHER"
    )
    told = slack.fake.wait_for("chat.postEphemeral")[-1].params
    assert told["channel"] == "COTHER" and "closed" in told["text"]
    assert len(slack.fake.calls("views.open")) == before


def test_last_reviews_outcomes_and_open_needs_come_back_and_carry_over(slack, factory):
    from storage.models import InformationNeed, NeedStatus, ReviewStage
    from storage.periods import parse_quarter

    slack.command("setup Older People's Services")
    eventually(lambda: responses(slack.fake))
    q1 = parse_quarter("2026/27 Q1")
    with factory.unit_of_work() as session:
        team = session.exec(select(Team)).one()
        earlier = Review(
            team_id=team.id,
            period_label=q1.label,
            period_start=q1.start,
            period_end=q1.end,
            stage=ReviewStage.CLOSED,
            slack_channel_id=CHANNEL,
        )
        session.add(earlier)
        session.flush()
        kept = OutcomeStatement(
            review_id=earlier.id,
            status=OutcomeStatus.AGREED,
            text="Carers get a break when they need one",
            tags=["respite"],
        )
        session.add(kept)
        session.add(
            InformationNeed(
                team_id=team.id,
                review_id=earlier.id,
                status=NeedStatus.OPEN,
                text="Why do <reviews> slip in August?",
                owner_user_id=BEN,
            )
        )
        session.flush()
        kept_id = kept.id
    slack.command("start 2026/27 Q2")
    kickoff = slack.fake.wait_for("chat.postMessage")[0].params
    blocks = json.dumps(kickoff["blocks"])
    assert "Carers get a break when they need one" in blocks
    assert "Why do &lt;reviews&gt; slip in August?" in blocks and f"<@{BEN}>" in blocks
    assert f'"value": "{kept_id}"' in blocks
    thread = thread_of(factory, "2026/27 Q2")

    slack.click(ids.CARRY_OVER, str(kept_id), user=CAT, message_ts=thread)
    posted = slack.fake.wait_for("chat.postMessage", 2)[-1].params
    assert posted["thread_ts"] == thread
    assert posted["text"].startswith(f"Carried over from 2026/27 Q1 by <@{CAT}>")
    carried = eventually(
        lambda: [
            o
            for o in outcomes_of(factory).values()
            if o.carried_from_id == kept_id and o.slack_message_ts
        ]
    )
    assert carried[0].status == OutcomeStatus.PROPOSED and carried[0].tags == ["respite"]
    slack.click(ids.CARRY_OVER, str(kept_id), user=ANN, message_ts=thread)
    told = slack.fake.wait_for("chat.postEphemeral")[-1].params
    assert "already been carried over" in told["text"]


def test_the_evidence_and_its_charts_follow_the_agreement(slack, factory):
    from tests.conftest import SAMPLE

    for kind in ("indicators", "values", "complaints", "survey", "views"):
        import_file(factory, kind, SAMPLE / f"{kind}.csv")
    name_first_facilitator(factory, "Older People's Services")
    thread = start_review(slack, factory)
    reply(slack, ANN, "9.1", thread, "Older people stay living in their own homes")
    eventually(lambda: "9.1" in outcomes_of(factory))
    slack.command("agree")
    modal = slack.fake.wait_for("views.open")[-1].params["view"]
    outcome = outcomes_of(factory)["9.1"]
    # The form offers the team's evidence, grouped by kind, with what matches the statement
    # already chosen and why; the facilitator keeps the reablement indicator only.
    links = next(b for b in modal["blocks"] if b.get("block_id") == f"link_{outcome.id}")
    groups = {g["label"]["text"]: g["options"] for g in links["element"]["option_groups"]}
    assert list(groups) == ["Indicators", "Complaints about", "User views on", "Survey questions"]
    offered = {o["text"]["text"].split(":")[0]: o for o in groups["Indicators"]}
    suggested = {o["text"]["text"].split(":")[0] for o in links["element"]["initial_options"]}
    assert "ASCOF 2B(1)" in suggested and "CIN CASELOAD" not in offered
    assert "ASCOF 2B(1) (matches \u201chomes\u201d in the statement)" in links["hint"]["text"]
    slack.submit(
        modal,
        {
            f"text_{outcome.id}": {"text": {"type": "plain_text_input", "value": outcome.text}},
            f"do_{outcome.id}": {
                "do": {"type": "static_select", "selected_option": {"value": "agree"}}
            },
            f"link_{outcome.id}": {
                "link": {
                    "type": "multi_static_select",
                    "selected_options": [offered["ASCOF 2B(1)"]],
                }
            },
        },
        user=FACILITATOR,
    )
    # Drawing the charts takes a few seconds on a small machine.
    upload = slack.fake.wait_for("files.completeUploadExternal", timeout=60)[-1].params
    assert upload["channel_id"] == CHANNEL and upload["thread_ts"] == thread
    png = next(c.params["_body"] for c in slack.fake.calls() if c.method.startswith("upload/"))
    assert png.startswith(b"\x89PNG")
    # The evidence and its charts are one post: the charts attached to the message.
    in_thread = [p for p in slack.fake.posts() if p.get("thread_ts") == thread]
    glance = [p for p in in_thread if "Evidence at a glance" in json.dumps(p.get("blocks"))]
    assert len(glance) == 1 and len(glance[0]["files"]) == 4
    assert not [p for p in in_thread if p.get("files") and p is not glance[0]]
    posted = json.dumps([p.get("blocks") for p in in_thread])
    assert "*ASCOF 2B(1)*" in posted
    # Its age (today's), and the people it is of.
    assert re.search(r"\*84\.4% \(Sep 2026, \d+ days old(, late)?; base 45\)\*", posted)
    # One reading, Making Data Count's, at a glance; the quarter before is context, not a
    # verdict, and waits in the outcome's detail.
    assert "improvement (high)" in posted and "the quarter before" not in posted
    assert "improved" not in posted and "worse" not in posted
    assert "*1. Older people stay living in their own homes*" in posted
    assert "Evidence gap" not in posted
    in_full = next(
        b["accessory"]
        for b in glance[0]["blocks"]
        if "*1. Older people" in b.get("text", {}).get("text", "") and "accessory" in b
    )
    opened = len(slack.fake.calls("views.open"))
    slack.click(in_full["action_id"], in_full["value"], user=BEN, message_ts=thread)
    detail = json.dumps(slack.fake.wait_for("views.open", opened + 1)[-1].params["view"])
    assert "special cause variation of an improving nature where the measure is" in detail
    assert "the quarter before 90.2% (Jun 2026)" in detail
    described = [c.params for c in slack.fake.calls("files.getUploadURLExternal")]
    assert all(f.get("alt_txt") for f in described)  # screen readers are told what each shows
    assert "84.4%" in described[0]["alt_txt"]
    charts = [c.params["filename"] for c in slack.fake.calls("files.getUploadURLExternal")]
    # The linked indicator first, then the key ones, as in the message above them.
    assert charts == ["ASCOF_2B_1.png", "ASCOF_3A.png", "LOCAL_ASSESS28.png", "LOCAL_WAITDAYS.png"]

    before = len(evidence_posts(slack.fake))
    slack.command("evidence", user=BEN)
    assert "is in the review thread" in eventually(
        lambda: [r for r in responses(slack.fake) if "review thread" in r][-1], timeout=60
    )
    again = evidence_posts(slack.fake)[before:]
    assert len(again) == 1 and len(again[0]["files"]) == 4  # posted again, with its charts


def test_a_facilitator_changes_what_an_outcome_is_linked_to_and_the_evidence_follows(
    slack, factory
):
    from bot.slack.standin import fill_form
    from tests.conftest import SAMPLE

    for kind in ("indicators", "values", "complaints", "survey", "views"):
        import_file(factory, kind, SAMPLE / f"{kind}.csv")
    name_first_facilitator(factory, "Older People's Services")
    thread = start_review(slack, factory)
    reply(slack, CAT, "9.3", thread, "People get an assessment without a long wait")
    eventually(lambda: "9.3" in outcomes_of(factory))
    slack.command("agree")
    modal = slack.fake.wait_for("views.open")[-1].params["view"]
    outcome = outcomes_of(factory)["9.3"]
    # The facilitator agrees it and clears every suggestion: nothing is linked yet.
    slack.submit(
        modal,
        fill_form(modal, {f"do_{outcome.id}": "agree", f"link_{outcome.id}": []}),
        user=FACILITATOR,
    )
    prompt = eventually(lambda: evidence_posts(slack.fake)[0])
    first = len(evidence_posts(slack.fake))
    assert "Evidence gap" in json.dumps(prompt["blocks"])
    button = next(
        e
        for b in prompt["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "open_links"
    )
    slack.click("open_links", button["value"], user=ANN, message_ts=thread)
    eventually(
        lambda: any(
            "Only a facilitator can change what an outcome is linked to" in c.params["text"]
            for c in slack.fake.calls("chat.postEphemeral")
        )
    )
    opened = len(slack.fake.calls("views.open"))
    slack.click("open_links", button["value"], user=FACILITATOR, message_ts=thread)
    form = eventually(lambda: slack.fake.calls("views.open")[opened:])[-1].params["view"]
    block = next(b for b in form["blocks"] if b.get("block_id") == f"link_{outcome.id}")
    assert "delays (matches \u201cwait\u201d in the statement)" in block["hint"]["text"]
    assert "initial_options" not in block["element"]  # what is linked now: nothing
    options = {
        o["text"]["text"]: o["value"]
        for g in block["element"]["option_groups"]
        for o in g["options"]
    }
    slack.submit(
        form,
        fill_form(form, {f"link_{outcome.id}": [options["delays"], options["waiting times"]]}),
        user=FACILITATOR,
    )
    # The evidence goes up again, with the complaints and views now linked.
    again = eventually(
        lambda: [json.dumps(p["blocks"]) for p in evidence_posts(slack.fake)[first:]],
        timeout=60,
    )[-1]
    assert "Complaints about delays: " in again and "views on waiting times: " in again
    assert "Evidence gap" not in again
