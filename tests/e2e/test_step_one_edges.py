"""Step 1 when people and Slack do things at awkward times."""

from __future__ import annotations

import json

from sqlmodel import select

from reviews import outcomes
from storage.imports import import_file
from storage.models import Facilitator, OutcomeStatus, Review, Team
from tests.e2e.conftest import CHANNEL
from tests.helpers.files import write
from tests.helpers.slack import (
    ANN,
    BEN,
    FACILITATOR,
    eventually,
    outcomes_of,
    reply,
    responses,
    said,
    start_review,
)
from tests.helpers.teams import name_first_facilitator


def _agree_modal(slack):
    before = len(slack.fake.calls("views.open"))
    slack.command("agree")
    return slack.fake.wait_for("views.open", before + 1)[-1].params["view"]


def _agree_all(slack, modal, user=FACILITATOR):
    values = {}
    for block in modal["blocks"]:
        block_id = block.get("block_id", "")
        if block_id.startswith("text_"):
            values[block_id] = {
                "text": {"type": "plain_text_input", "value": block["element"]["initial_value"]}
            }
        elif block_id.startswith("do_"):
            values[block_id] = {
                "do": {"type": "static_select", "selected_option": {"value": "agree"}}
            }
    return slack.submit(modal, values, user=user)


def test_a_second_agreement_is_refused_and_records_nothing(slack, factory):
    thread = start_review(slack, factory)
    reply(slack, ANN, "3.1", thread, "People are treated with dignity")
    eventually(lambda: len(outcomes_of(factory)) == 1)
    modal = _agree_modal(slack)
    assert _agree_all(slack, modal)[0] == 200
    status, body = _agree_all(slack, modal)
    assert (
        status == 200
        and "already agreed" in json.loads(body)["errors"][next(iter(json.loads(body)["errors"]))]
    )


def test_proposals_that_arrive_while_the_form_is_open_are_kept_and_the_facilitator_told(
    slack, factory
):
    thread = start_review(slack, factory)
    reply(slack, ANN, "4.1", thread, "People are treated with dignity")
    eventually(lambda: len(outcomes_of(factory)) == 1)
    modal = _agree_modal(slack)
    reply(slack, BEN, "4.2", thread, "Carers get a break")
    eventually(lambda: len(outcomes_of(factory)) == 2)
    assert _agree_all(slack, modal) == (200, "")
    eventually(lambda: outcomes_of(factory)["4.2"].status == OutcomeStatus.KEPT)
    assert outcomes_of(factory)["4.1"].status == OutcomeStatus.AGREED
    told = slack.fake.wait_for("chat.postEphemeral")[-1].params
    assert told["user"] == FACILITATOR
    assert told["text"] == (
        "1 outcome statement agreed for 2026/27 Q2. 1 proposal kept for next quarter "
        "(1 came in while the form was open): its kick-off offers them."
    )


def test_a_deletion_that_overtakes_its_reply_keeps_the_reply_withdrawn(slack, factory):
    thread = start_review(slack, factory)
    slack.event(
        {
            "type": "message",
            "subtype": "message_deleted",
            "channel": CHANNEL,
            "deleted_ts": "5.1",
            "ts": "5.9",
            "previous_message": {"user": ANN, "ts": "5.1", "thread_ts": thread},
        }
    )
    eventually(lambda: "5.1" in outcomes_of(factory))
    reply(slack, ANN, "5.1", thread, "Arrived late")
    reply(slack, BEN, "5.2", thread, "Arrived in time")
    eventually(lambda: "5.2" in outcomes_of(factory))
    assert outcomes_of(factory)["5.1"].status == OutcomeStatus.WITHDRAWN


def test_an_edit_that_overtakes_its_reply_becomes_the_proposal(slack, factory):
    thread = start_review(slack, factory)
    slack.event(
        {
            "type": "message",
            "subtype": "message_changed",
            "channel": CHANNEL,
            "ts": "6.9",
            "message": {
                "user": ANN,
                "ts": "6.1",
                "thread_ts": thread,
                "text": "The edited wording",
            },
        }
    )
    eventually(lambda: "6.1" in outcomes_of(factory))
    reply(slack, ANN, "6.1", thread, "The first wording")
    reply(slack, BEN, "6.2", thread, "Another")
    eventually(lambda: "6.2" in outcomes_of(factory))
    assert outcomes_of(factory)["6.1"].text == "The edited wording"


def test_a_reply_too_long_to_be_a_statement_is_answered(slack, factory):
    thread = start_review(slack, factory)
    reply(slack, ANN, "7.1", thread, "word " * 300)
    told = slack.fake.wait_for("chat.postEphemeral")[-1].params
    assert told["user"] == ANN and "at most 1000 characters" in told["text"]


def test_other_message_events_in_the_channel_are_answered_with_a_200(slack):
    for subtype in ("channel_join", "channel_topic", "pinned_item", "me_message"):
        status, _ = slack.event(
            {
                "type": "message",
                "subtype": subtype,
                "channel": CHANNEL,
                "user": ANN,
                "ts": "8.1",
                "text": "joined",
            }
        )
        assert status == 200


def test_a_team_imported_with_an_ampersand_is_found_by_setup(slack, factory, tmp_path):
    import_file(
        factory,
        "views",
        write(
            tmp_path,
            "v.csv",
            "team,received,kind,theme,text\nAdults & Carers,2026-05-01,comment,respite,Fine\n",
        ),
    )
    name_first_facilitator(factory, "Adults & Carers")
    slack.command("setup Adults &amp; Carers")  # as Slack sends it with escaping on
    assert "*Adults &amp; Carers*" in eventually(lambda: responses(slack.fake)[-1])
    with factory() as session:
        assert [t.name for t in session.exec(select(Team)).all()] == ["Adults & Carers"]
    slack.command("setup Team <!subteam^S1|@carers>", channel="COTHER")
    said(slack.fake, "cannot hold &lt; or &gt;")  # escaped, so Slack shows < and >


def test_the_kickoff_is_claimed_once(factory):
    from storage.periods import parse_quarter

    with factory.unit_of_work() as session:
        session.add(Team(name="T", name_key="t", slack_channel_id=CHANNEL))
    with factory.unit_of_work() as session:
        team = session.exec(select(Team)).one()
        session.add(Facilitator(team_id=team.id, slack_user_id=FACILITATOR))
        session.flush()
        review, _ = outcomes.start_review(session, team, parse_quarter("2026/27 Q2"), FACILITATOR)
        assert outcomes.claim_kickoff(session, review, now=1_000_000)
        assert not outcomes.claim_kickoff(session, review, now=1_000_030)
        outcomes.release_kickoff(session, review.id)
        assert outcomes.claim_kickoff(session, review, now=1_000_040)
        # A process that stopped while posting leaves its claim; a minute on, it is taken.
        assert outcomes.claim_kickoff(session, review, now=1_000_101)
    with factory() as session:
        assert outcomes.posting(session.exec(select(Review.slack_thread_ts)).one())


def test_control_characters_in_a_reply_are_taken_out_and_a_reply_of_nothing_else_is_told(
    slack, factory
):
    thread = start_review(slack, factory)
    reply(slack, ANN, "7.1", thread, "Older\x00 people stay \x07safe at home\x1b")
    found = eventually(lambda: outcomes_of(factory).get("7.1"))
    assert found.text == "Older people stay safe at home"  # kept, on PostgreSQL too
    told = len(slack.fake.calls("chat.postEphemeral"))
    reply(slack, BEN, "7.2", thread, "\x00\x01\x02")
    answer = slack.fake.wait_for("chat.postEphemeral", told + 1)[-1].params
    assert answer["user"] == BEN and "needs some words" in answer["text"]
    assert "7.2" not in outcomes_of(factory)
