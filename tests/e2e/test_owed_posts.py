"""Posts owed after a change survive a restart: written with the change, sent at once by
the worker, and taken up within seconds by another process when the one sending stopped;
a refused post is told once and tried again."""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.base.config import Settings
from bot.slack.app import build_app, web_client
from bot.slack.deps import Deps
from bot.slack.owed import SlackOwed, deliver_owed
from reviews import outbox, outcomes, teams
from reviews.cases import Context, installation
from storage import leases
from storage.imports import import_file
from storage.models import Outbox
from storage.periods import parse_quarter
from tests.conftest import SAMPLE
from tests.helpers.review import agree_all, agree_one_outcome, posts
from tests.helpers.slack import FACILITATOR, eventually, start_review
from tests.helpers.teams import name_first_facilitator


def test_posts_owed_by_a_process_that_stopped_are_sent_within_seconds(factory, fake_slack):
    with factory.unit_of_work() as session:
        team, _ = teams.setup_team(session, "C0TEAM", "Older People's Services", FACILITATOR)
        review, _ = outcomes.start_review(session, team, parse_quarter("2026/27 Q2"), FACILITATOR)
        outcomes.set_thread(session, review, "1700000000.000100")
        agree_one_outcome(session, review, FACILITATOR)  # owes the evidence
        # And a post an earlier version owed, being sent by a process killed all but two
        # seconds of a lease ago (on another machine: nothing here can tell it has gone).
        owed = outbox.owe(session, outbox.AGREED, review.id, FACILITATOR)
        killed = datetime.now(UTC) - outbox.LEASE + timedelta(seconds=2)
        assert leases.claim(session, outbox.QUEUE, "killed", killed, where=[Outbox.id == owed])
    started = datetime.now(UTC)
    settings = Settings(slack_bot_token="xoxb-test", slack_api_url=fake_slack.url)
    deps = Deps(factory=factory, settings=settings)
    build_app(settings, factory, deps=deps)  # its worker starts with it
    try:
        sent = [c.params for c in fake_slack.wait_for("chat.postMessage", 2, timeout=20)]
        took = datetime.now(UTC) - started
    finally:
        deps.stop()
    assert sent[0]["text"] == "Evidence at a glance for 2026/27 Q2"  # not claimed: at once
    assert sent[1]["text"].startswith("Agreed outcome statements for 2026/27 Q2")
    assert {p["thread_ts"] for p in sent} == {"1700000000.000100"}
    assert took < timedelta(seconds=2 + 3)  # taken up within moments of its claim lapsing
    assert len(fake_slack.calls("chat.postMessage")) == 2  # sent once
    with factory() as session:
        assert {r.state for r in session.exec(select(Outbox)).all()} == {"sent"}


def test_a_refused_post_is_told_once_and_tried_again(slack, factory):
    fake = slack.fake
    thread = start_review(slack, factory)
    fake.fail_next("chat.postMessage", error="not_in_channel")
    agree_all(slack, factory, thread, ["People are safe at home"])  # the evidence still goes
    told = fake.wait_for("chat.postEphemeral")[-1].params
    assert "agreed and saved, but Slack would not post them" in told["text"]

    def agreed_posts():
        return [p for p in posts(fake) if "Evidence at a glance" in p["text"]]

    assert len(agreed_posts()) == 1  # the refused one
    with factory() as session:
        row = session.exec(select(Outbox).where(Outbox.kind == outbox.EVIDENCE)).one()
    assert (row.state, row.attempts, row.last_error) == ("pending", 1, told["text"][:64])

    assert agreed_posts()[1:] == []  # not tried again at once
    deps = Deps(factory=factory, settings=Settings(slack_bot_token="xoxb-test"))
    assert deliver_owed(
        deps,
        web_client(Settings(slack_bot_token="xoxb-test", slack_api_url=fake.url)),
        "next",
        datetime.now(UTC) + timedelta(minutes=5),
    )
    agreed = eventually(lambda: agreed_posts()[1:])
    assert len(agreed) == 1 and agreed[0]["thread_ts"] == thread
    assert "People are safe at home" in json.dumps(agreed[0]["blocks"])
    assert len(fake.calls("chat.postEphemeral")) == 1  # told once


def test_once_slack_says_the_app_was_uninstalled_nothing_more_is_posted(slack, factory, caplog):
    caplog.set_level(logging.INFO)
    fake = slack.fake
    thread = start_review(slack, factory)
    assert slack.event({"type": "app_uninstalled"}, event_id="EvGone")[0] == 200
    eventually(lambda: installation.is_stopped(Context(factory)))
    posted = len(fake.calls("chat.postMessage"))
    with factory.unit_of_work() as session:
        review = outcomes.review_by_thread(session, "C0TEAM", thread)
        agree_one_outcome(session, review, FACILITATOR)  # owes the evidence
    assert slack.event({"type": "tokens_revoked", "tokens": {"bot": ["UB"]}})[0] == 200
    time.sleep(2.5)  # the worker looks for owed posts every second
    assert len(fake.calls("chat.postMessage")) == posted
    with factory() as session:
        assert {r.state for r in session.exec(select(Outbox))} == {"pending"}  # kept
    said = [r.getMessage() for r in caplog.records if "nothing more is sent" in r.getMessage()]
    assert said == [
        "Slack says app_uninstalled: nothing more is sent and every record is kept; install "
        "the app again and restart qpr serve to resume"
    ]
    assert installation.resume(Context(factory))
    fake.wait_for("chat.postMessage", posted + 1)  # what was owed goes, once it may


def _evidence_with_charts_owed(factory) -> int:
    """A team with the sample data whose agreement owes the evidence, its key indicators
    charted; the owed post's id."""
    for kind in ("indicators", "values", "complaints", "survey", "views"):
        import_file(factory, kind, SAMPLE / f"{kind}.csv")
    name_first_facilitator(factory, "Older People's Services", FACILITATOR)
    with factory.unit_of_work() as session:
        team, _ = teams.setup_team(session, "C0TEAM", "Older People's Services", FACILITATOR)
        review, _ = outcomes.start_review(session, team, parse_quarter("2026/27 Q2"), FACILITATOR)
        outcomes.set_thread(session, review, "1700000000.000100")
        agree_one_outcome(session, review, FACILITATOR)
        return session.exec(select(Outbox.id).where(Outbox.kind == outbox.EVIDENCE)).one()


def _send_evidence(factory, fake_slack, tries: int = 2) -> list[str | None]:
    """The owed evidence claimed and sent by the worker's sender; from the second try on,
    as by a process that stopped before it heard how the last went. What each try told."""
    settings = Settings(slack_bot_token="xoxb-test", slack_api_url=fake_slack.url)
    deps = Deps(factory=factory, settings=settings)
    sender = SlackOwed(deps, web_client(settings))
    try:
        with factory.unit_of_work() as session:
            (post,) = outbox.claim(session, "here")
        told = [sender.send(post)]
        again = dataclasses.replace(post, tried_before=True)
        return told + [sender.send(again) for _ in range(tries - 1)]
    finally:
        deps.stop()


def test_the_evidence_and_its_charts_are_one_post_and_not_shared_again_after_a_crash(
    factory, fake_slack
):
    row = _evidence_with_charts_owed(factory)
    # The process stopped before it heard Slack had it: tried again, it finds the post in
    # the thread by the ids of its blocks (a file share carries no metadata).
    assert _send_evidence(factory, fake_slack) == [None, None]
    (shared,) = fake_slack.posts()  # one notification for the thread, not two
    assert shared["thread_ts"] == "1700000000.000100" and len(shared["files"]) >= 4
    assert "Evidence at a glance: 2026/27 Q2" in json.dumps(shared["blocks"])
    # It holds two parts of the owed post: the message, and the charts.
    marks = [b["block_id"] for b in shared["blocks"] if "block_id" in b]
    assert marks == [f"qpr_owed_post:{row}:0", f"qpr_owed_post:{row}:1"]
    assert fake_slack.calls("conversations.replies")
    assert len(fake_slack.calls("files.getUploadURLExternal")) == len(shared["files"])


def test_evidence_that_slack_will_not_take_with_its_charts_goes_with_them_after_it(
    factory, fake_slack
):
    _evidence_with_charts_owed(factory)
    fake_slack.fail_next("files.completeUploadExternal", error="invalid_blocks")
    assert _send_evidence(factory, fake_slack, tries=1) == [None]  # nothing to be told
    refused, evidence, charts = fake_slack.posts()
    assert "Evidence at a glance" in json.dumps(refused["blocks"])  # the one Slack refused
    assert evidence["text"] == "Evidence at a glance for 2026/27 Q2"
    assert evidence["metadata"]["event_type"] == "qpr_owed_post"
    assert charts["text"] == "Charts for 2026/27 Q2, each with its key."
    assert "blocks" not in charts and len(charts["files"]) >= 4


def test_charts_slack_would_not_take_apart_from_the_evidence_are_tried_again_alone(
    factory, fake_slack
):
    _evidence_with_charts_owed(factory)
    # Not with its blocks; and then, apart, not at all this time.
    fake_slack.fail_next("files.completeUploadExternal", error="invalid_blocks")
    fake_slack.fail_next("files.completeUploadExternal", error="file_uploads_disabled")
    told, again = _send_evidence(factory, fake_slack)
    assert told is not None and "would not take the charts" in told
    assert again is None
    _, evidence, _, charts = fake_slack.posts()
    assert evidence["text"] == "Evidence at a glance for 2026/27 Q2"  # posted once
    assert [p["text"] for p in fake_slack.posts()].count(evidence["text"]) == 1
    assert charts["text"] == "Charts for 2026/27 Q2, each with its key."


def test_a_passing_error_on_the_evidence_with_its_charts_posts_nothing_apart(factory, fake_slack):
    _evidence_with_charts_owed(factory)
    fake_slack.fail_next("files.completeUploadExternal", error="fatal_error")
    told, again = _send_evidence(factory, fake_slack)
    assert told is not None and "fatal_error" in told  # told, and tried again later
    assert again is None
    refused, shared = fake_slack.posts()  # never as two posts
    assert refused["blocks"] == shared["blocks"] and len(shared["files"]) >= 4
