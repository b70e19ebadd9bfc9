"""Posts owed after a change survive a restart: written with the change, sent at once, and
otherwise by the scheduler's next round; a refused post is told once and tried again."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.base.config import Settings
from bot.slack.app import web_client
from bot.slack.deps import Deps
from bot.slack.scheduler import Reminders
from reviews import outbox, outcomes, teams
from storage.models import Outbox
from storage.periods import parse_quarter
from tests.e2e.test_step_one import FACILITATOR, eventually, start_review
from tests.e2e.test_whole_review import agree_all, posts


def scheduler(factory, fake) -> tuple[Reminders, Deps]:
    settings = Settings(slack_bot_token="xoxb-test", slack_api_url=fake.url)
    deps = Deps(factory=factory, settings=settings)
    return Reminders(deps, web_client(settings), instance="next", channel_gap=0), deps


def test_posts_owed_by_a_process_that_stopped_are_sent_by_the_next_round(factory, fake_slack):
    with factory.unit_of_work() as session:
        team, _ = teams.setup_team(session, "C0TEAM", "Older People's Services", FACILITATOR)
        review, _ = outcomes.start_review(session, team, parse_quarter("2026/27 Q2"), FACILITATOR)
        outcomes.set_thread(session, review, "1700000000.000100")
        outcome, _ = outcomes.propose(session, review, "People are safe at home", "UANN", "3.1")
        outcomes.agree(
            session,
            review,
            FACILITATOR,
            [outcomes.Decision(outcome.text, [outcome.id])],
            {outcome.id},
        )
        outbox.owe(session, outbox.AGREED, review.id, FACILITATOR)
        outbox.owe(session, outbox.EVIDENCE, review.id, FACILITATOR)
    # ... and the process stopped here, before sending anything.
    bot, deps = scheduler(factory, fake_slack)
    now = datetime.now(UTC)
    bot.tick(now)
    assert fake_slack.calls("chat.postMessage") == []  # the process may still be sending
    bot.tick(now + timedelta(minutes=3))
    sent = [p.params for p in fake_slack.calls("chat.postMessage")]
    assert sent[0]["text"].startswith("Agreed outcome statements for 2026/27 Q2")
    assert sent[1]["text"] == "Evidence at a glance for 2026/27 Q2"
    assert {p["thread_ts"] for p in sent} == {"1700000000.000100"}
    bot.tick(now + timedelta(minutes=10))
    assert len(fake_slack.calls("chat.postMessage")) == len(sent)  # sent once
    with factory() as session:
        assert {r.state for r in session.exec(select(Outbox)).all()} == {"sent"}
    deps.work.shutdown()


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

    bot, deps = scheduler(factory, fake)
    bot.tick(datetime.now(UTC) + timedelta(minutes=5))
    agreed = eventually(lambda: agreed_posts()[1:])
    assert len(agreed) == 1 and agreed[0]["thread_ts"] == thread
    assert "People are safe at home" in json.dumps(agreed[0]["blocks"])
    assert len(fake.calls("chat.postEphemeral")) == 1  # told once
    deps.work.shutdown()
