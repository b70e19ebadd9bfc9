"""Reminders over a whole quarter, by moving the clock rather than waiting: each is sent
once, in order, through restarts, downtime, pauses, failures and a second instance."""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from bot.base.config import Settings
from bot.slack import ids
from bot.slack.app import web_client
from bot.slack.deps import Deps
from bot.slack.scheduler import Reminders
from reviews import installation, needs, outcomes, reminders, schedule, teams
from storage import leases
from storage.db import SessionFactory, make_engine
from storage.models import InformationNeed, NeedStatus, Reminder, Review, Team
from storage.periods import parse_quarter

CHANNEL, FACILITATOR, ANN = "C0TEAM", "UFAC", "UANN"
GAP = 0.3


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# Reminders go out at 09:00 local time (08:00 or 09:00 UTC): a clock moved through these
# hours of each day sees each one at its exact time, and sees nothing come early or late.
WATCHED = {0, 6, 7, 8, 9, 10, 12, 18}


def hours(start: str, end: str, step: int = 1):
    moment, last = utc(start), utc(end)
    while moment <= last:
        if step > 1 or moment.hour in WATCHED:
            yield moment
        moment += timedelta(hours=step)


@pytest.fixture
def runner(factory, fake_slack):
    settings = Settings(slack_bot_token="xoxb-test", slack_api_url=fake_slack.url)
    made = []

    def make(instance: str = "A", session_factory: SessionFactory | None = None) -> Reminders:
        deps = Deps(factory=session_factory or factory, settings=settings)
        made.append(deps)
        return Reminders(deps, web_client(settings), instance=instance, channel_gap=0)

    yield make
    for deps in made:
        deps.stop()


def team_with_rule(factory, rule: str = "third tuesday 10:00") -> int:
    with factory.unit_of_work() as session:
        team, _ = teams.setup_team(session, CHANNEL, "Older People's Services", FACILITATOR)
        schedule.set_rule(session, team, FACILITATOR, rule)
        return team.id


def sent(fake) -> list[tuple[str, str]]:
    """(what, to whom) of every message posted, in order."""
    found = []
    for call in fake.calls("chat.postMessage"):
        text = call.params.get("text", "")
        found.append((text.split(":")[0].split(".")[0][:40], call.params["channel"]))
    return found


def agree_one(factory) -> None:
    with factory.unit_of_work() as session:
        review = session.exec(select(Review)).one()
        outcome, _ = outcomes.propose(session, review, "People are safe at home", ANN, "7.1")
        outcomes.agree(
            session,
            review,
            FACILITATOR,
            [outcomes.Decision(outcome.text, [outcome.id])],
            {outcome.id},
        )


def run_quarter(factory, make, fake, *, restart_at: datetime | None = None, down=None):
    """Tick every hour through October 2026, agreeing the outcomes on the 14th."""
    bot = make("A")
    kinds_at: list[tuple[str, datetime]] = []
    agreed = False
    for now in hours("2026-10-01T00:00", "2026-11-05T00:00"):
        if down and down[0] <= now < down[1]:
            continue
        if restart_at and now >= restart_at and bot.instance == "A":
            bot = make("B")  # a new process: nothing carried over but the database
        if not agreed and now >= utc("2026-10-14T12:00"):
            agree_one(factory)
            agreed = True
        tally = bot.tick(now)
        kinds_at += [(kind, now) for kind in tally.kinds]
    return kinds_at


QUARTER = [
    # Third Tuesday of October 2026 is the 20th; British Summer Time until the 25th.
    (reminders.KICKOFF, "2026-10-06T08:00"),  # 10 working days before, 09:00 BST
    (reminders.OUTCOMES_SOON, "2026-10-09T08:00"),  # 2 working days before they close
    (reminders.OUTCOMES_TODAY, "2026-10-13T08:00"),  # 5 working days before the meeting
    (reminders.MEETING_TOMORROW, "2026-10-19T08:00"),
    (reminders.JUDGEMENT, "2026-10-21T08:00"),
    (reminders.JUDGEMENT_AGAIN, "2026-10-28T09:00"),  # 09:00 GMT: the clocks went back
]


def test_a_quarters_reminders_come_in_order_once_each(factory, runner, fake_slack):
    team_with_rule(factory)
    got = run_quarter(factory, runner, fake_slack)
    assert got == [(kind, utc(at)) for kind, at in QUARTER]
    posts = fake_slack.calls("chat.postMessage")
    kickoff, *thread = posts
    assert kickoff.params["channel"] == CHANNEL and "thread_ts" not in kickoff.params
    with factory() as session:
        review = session.exec(select(Review)).one()
    assert review.meeting_date == date(2026, 10, 20)
    # To everyone in the channel, not in the thread (which would notify all who replied);
    # the day outcomes close, to the facilitator only, with the button to agree them.
    soon, today, tomorrow, judgement_ = (p.params for p in thread[:4])
    assert [soon["channel"], today["channel"], tomorrow["channel"]] == [
        CHANNEL,
        FACILITATOR,
        CHANNEL,
    ]
    assert not any(p.get("thread_ts") for p in (soon, today, tomorrow))
    assert "<@" not in json.dumps([soon, tomorrow])
    assert "close in two working days, on Tuesday 13 October" in soon["text"]
    assert ids.OPEN_AGREE in json.dumps(today["blocks"])
    assert "the meeting is tomorrow, Tuesday 20 October at 10:00" in tomorrow["text"]
    judgement = judgement_
    assert judgement["channel"] == FACILITATOR  # a direct message to the facilitator
    assert ids.OPEN_JUDGE in str(judgement["blocks"])


def test_a_restart_half_way_sends_nothing_twice(factory, runner, fake_slack):
    team_with_rule(factory)
    got = run_quarter(factory, runner, fake_slack, restart_at=utc("2026-10-11T00:00"))
    assert got == [(kind, utc(at)) for kind, at in QUARTER]
    assert len(fake_slack.calls("chat.postMessage")) == len(QUARTER)


def test_a_reminder_missed_while_down_is_sent_if_still_useful_and_skipped_if_not(
    factory, runner, fake_slack, caplog
):
    team_with_rule(factory)
    caplog.set_level(logging.INFO, logger="bot.shared.reminding")
    down = (utc("2026-10-08T00:00"), utc("2026-10-13T10:00"))
    got = run_quarter(factory, runner, fake_slack, down=down)
    kinds = [k for k, _ in got]
    assert reminders.OUTCOMES_SOON not in kinds  # its day passed while the bot was down
    assert (reminders.OUTCOMES_TODAY, utc("2026-10-13T10:00")) in got  # late, still useful
    assert "too late to be useful: outcomes_close_soon" in caplog.text
    with factory() as session:
        states = {r.kind: r.state for r in session.exec(select(Reminder)).all()}
    assert states[reminders.OUTCOMES_SOON] == "skipped"


def test_a_paused_team_gets_nothing_until_resumed_and_nothing_stale_after(
    factory, runner, fake_slack
):
    team_id = team_with_rule(factory)
    bot = runner()
    for now in hours("2026-10-05T00:00", "2026-10-12T00:00"):
        bot.tick(now)
    with factory.unit_of_work() as session:
        schedule.set_paused(session, session.get(Team, team_id), FACILITATOR, True)
    for now in hours("2026-10-12T01:00", "2026-10-13T10:00"):
        assert bot.tick(now).sent == 0  # "closing today" fell due at 08:00 and was passed over
    with factory.unit_of_work() as session:
        schedule.set_paused(session, session.get(Team, team_id), FACILITATOR, False)
    # Resumed while "closing today" would still be of use (until midnight): it stays unsent.
    later = []
    for now in hours("2026-10-13T11:00", "2026-10-14T00:00"):
        later += bot.tick(now).kinds
    agree_one(factory)
    for now in hours("2026-10-14T01:00", "2026-10-20T00:00"):
        later += bot.tick(now).kinds
    assert later == [reminders.MEETING_TOMORROW]


def test_a_claim_left_by_a_stopped_process_is_taken_over_once(factory, runner, fake_slack):
    team_with_rule(factory)
    at = utc("2026-10-06T08:00")
    with factory() as session:
        found = reminders.due(session, at, 4)
    with factory.unit_of_work() as session:
        mine, _ = reminders.claim(session, found, at, "stopped")  # then it died, unsent
    assert [d.kind for _, d in mine] == [reminders.KICKOFF]
    bot = runner("B")
    assert bot.tick(at + timedelta(minutes=5)).sent == 0  # the claim may still be live
    assert bot.tick(at + timedelta(minutes=11)).kinds == [reminders.KICKOFF]
    with factory.unit_of_work() as session:  # the stopped process wakes and reports late
        assert leases.fail(session, reminders.QUEUE, mine[0][0], "stopped", "late", at) is None
    with factory() as session:
        row = session.get(Reminder, mine[0][0])
    assert (row.state, row.claimed_by) == ("sent", "B")
    assert len(fake_slack.calls("chat.postMessage")) == 1


def test_a_meeting_set_by_date_keeps_its_own_time(factory, runner, fake_slack):
    team_id = team_with_rule(factory)  # third tuesday 10:00
    with factory.unit_of_work() as session:
        schedule.set_meeting(
            session,
            session.get(Team, team_id),
            FACILITATOR,
            date(2026, 10, 22),
            reminders.parse_time("14:00"),
            date(2026, 10, 1),
            4,
        )
    with factory() as session:
        found = reminders.schedule(session, utc("2026-10-01T00:00"), 4, team_id)
    kickoff = next(d for d in found if d.period_label == "2026/27 Q2")
    assert kickoff.meeting == utc("2026-10-22T13:00")  # 14:00 BST, not the rule's 10:00


def test_a_failed_send_is_retried_and_sent_once(factory, runner, fake_slack):
    team_with_rule(factory)
    bot = runner()
    fake_slack.fail_next("chat.postMessage", error="channel_not_found")
    first = bot.tick(utc("2026-10-06T08:00"))
    assert (first.sent, first.failed) == (0, 1)
    assert bot.tick(utc("2026-10-06T08:00:30")).sent == 0  # waits before trying again
    assert bot.tick(utc("2026-10-06T08:02")).kinds == [reminders.KICKOFF]
    assert bot.tick(utc("2026-10-06T09:00")).kinds == []
    assert len(fake_slack.calls("chat.postMessage")) == 2  # the refused one, then the one sent


def test_two_instances_on_one_database_send_each_reminder_once(
    factory, runner, fake_slack, database_url
):
    team_with_rule(factory)
    other = SessionFactory(make_engine(database_url))
    bots = [runner("A"), runner("B", other)]
    for now in hours("2026-10-01T00:00", "2026-11-05T00:00", step=3):
        if now == utc("2026-10-14T12:00"):
            agree_one(factory)
        threads = [threading.Thread(target=b.tick, args=(now,)) for b in bots]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    posts = fake_slack.calls("chat.postMessage")
    texts = [p.params["text"] for p in posts]
    assert len(texts) == len(set(texts)) == len(QUARTER)
    other.engine.dispose()


def test_need_reminders_go_to_the_owner_and_follow_a_moved_date(factory, runner, fake_slack):
    team_id = team_with_rule(factory)
    with factory.unit_of_work() as session:
        team = session.get(Team, team_id)
        review, _ = outcomes.start_review(session, team, parse_quarter("2026/27 Q2"), FACILITATOR)
        need = InformationNeed(
            team_id=team_id,
            review_id=review.id,
            text="Count the <!channel> falls",
            owner_user_id=ANN,
            due=date(2026, 11, 20),
            status=NeedStatus.OPEN,
        )
        session.add(need)
        session.flush()
        need_id = need.id
    bot = runner()
    got = []
    for now in hours("2026-11-10T00:00", "2026-11-24T00:00"):
        got += [(k, now) for k in bot.tick(now).kinds]
    assert got == [
        (reminders.NEED_SOON, utc("2026-11-17T09:00")),  # 3 working days before the 20th
        (reminders.NEED_OVERDUE, utc("2026-11-23T09:00")),  # the 21st is a Saturday
    ]
    soon = fake_slack.calls("chat.postMessage")[0].params
    assert soon["channel"] == ANN
    assert "&lt;!channel&gt;" in str(soon["blocks"]) and "<!channel>" not in str(soon["blocks"])
    assert ids.NEED_DONE in str(soon["blocks"]) and ids.NEED_MOVE in str(soon["blocks"])

    with factory.unit_of_work() as session:
        needs.move_due(session, need_id, ANN, date(2026, 12, 4), utc("2026-11-24T00:00"))
    for now in hours("2026-11-24T01:00", "2026-12-08T00:00"):
        got += [(k, now) for k in bot.tick(now).kinds]
    assert got[2:] == [
        (reminders.NEED_SOON, utc("2026-12-01T09:00")),
        (reminders.NEED_OVERDUE, utc("2026-12-07T09:00")),
    ]


def test_a_bank_holiday_moves_the_meeting_and_is_not_a_working_day(factory):
    team_id = team_with_rule(factory, "first monday 10:00")
    with factory() as session:
        found = reminders.schedule(session, utc("2026-03-01T00:00"), 4, team_id)
    kickoff = next(d for d in found if d.period_label == "2025/26 Q4")
    # The first Monday of April 2026 is Easter Monday: the meeting moves to the Tuesday,
    # after the clocks went forward; Good Friday is not counted as a working day either.
    assert kickoff.meeting == utc("2026-04-07T09:00")
    assert kickoff.due_at == utc("2026-03-20T09:00")


def test_posts_to_one_channel_are_spaced_out(factory, runner, fake_slack):
    """A facilitator of two teams meeting on the same day gets both direct messages, a
    moment apart, as Slack allows about one message a second in a conversation."""
    with factory.unit_of_work() as session:
        for n, channel in enumerate(("C1", "C2")):
            team, _ = teams.setup_team(session, channel, f"Team {n}", FACILITATOR)
            schedule.set_rule(session, team, FACILITATOR, "third tuesday 10:00")
            review, _ = outcomes.start_review(
                session, team, parse_quarter("2026/27 Q2"), FACILITATOR
            )
            review.slack_thread_ts = f"1.{n}"
            review.stage = "evidence"
    bot = runner()
    bot.channel_gap = GAP
    assert bot.tick(utc("2026-10-21T08:00")).sent == 2
    first, second = fake_slack.calls("chat.postMessage")
    assert first.params["channel"] == second.params["channel"] == FACILITATOR
    assert second.at - first.at >= GAP


def test_a_team_with_no_channel_yet_gets_no_kickoff(factory):
    with factory.unit_of_work() as session:
        team = Team(name="Imported", name_key="imported", meeting_rule="third tuesday 10:00")
        session.add(team)
        session.flush()
        team_id = team.id
    with factory() as session:
        found = reminders.schedule(session, utc("2026-10-10T00:00"), 4, team_id)
    assert found == []


def test_closing_today_sent_to_the_thread_before_an_upgrade_is_not_sent_again(
    factory, runner, fake_slack
):
    """Before, "outcome statements close today" went once to the review's thread; now it
    goes to each facilitator. One already sent the old way counts as sent."""
    team_with_rule(factory)
    bot = runner("A")
    for now in hours("2026-10-06T00:00", "2026-10-12T23:00"):
        bot.tick(now)  # the kick-off, and outcomes closing in two days
    with factory.unit_of_work() as session:
        review = session.exec(select(Review)).one()
        session.add(
            Reminder(
                kind=reminders.OUTCOMES_TODAY,
                subject=f"review:{review.id}",
                occasion="2026-10-13",
                team_id=review.team_id,
                due_at=utc("2026-10-13T08:00"),
                state="sent",
                sent_at=utc("2026-10-13T08:00"),
            )
        )
    later = [
        kind
        for now in hours("2026-10-13T00:00", "2026-10-13T23:00")
        for kind in bot.tick(now).kinds
    ]
    assert reminders.OUTCOMES_TODAY not in later
    assert not [
        c for c in fake_slack.calls("chat.postMessage") if c.params["channel"] == FACILITATOR
    ]


def test_an_uninstalled_app_sends_no_reminder_until_slack_has_it_again(factory, runner, fake_slack):
    team_with_rule(factory)
    bot = runner()
    with factory.unit_of_work() as session:
        installation.stop(session, installation.UNINSTALLED)
    for now in hours("2026-10-05T00:00", "2026-10-07T00:00"):
        assert bot.tick(now).sent == 0  # the kick-off fell due on the 6th
    assert fake_slack.calls("chat.postMessage") == []
    with factory.unit_of_work() as session:
        installation.resume(session)
    kinds = []
    for now in hours("2026-10-07T01:00", "2026-10-07T10:00"):
        kinds += bot.tick(now).kinds
    assert kinds == [reminders.KICKOFF]  # still of use: sent once Slack has the app again


class GoneAfterTheFirst(Reminders):
    """Slack says the app was uninstalled while the round's first reminder is sent."""

    def send(self, due, now):
        with self.factory.unit_of_work() as session:
            installation.stop(session, installation.UNINSTALLED)
        return super().send(due, now)


def test_an_uninstall_during_a_round_holds_back_the_rest_of_it(factory, fake_slack):
    team_with_rule(factory)
    with factory.unit_of_work() as session:
        other, _ = teams.setup_team(session, "C0OTHER", "Learning Disabilities", FACILITATOR)
        schedule.set_rule(session, other, FACILITATOR, "third tuesday 10:00")
    settings = Settings(slack_bot_token="xoxb-test", slack_api_url=fake_slack.url)
    deps = Deps(factory=factory, settings=settings)
    try:
        bot = GoneAfterTheFirst(deps, web_client(settings), instance="A", workers=1)
        assert bot.tick(utc("2026-10-06T08:00")).kinds == [reminders.KICKOFF]  # one team's
        assert len(fake_slack.calls("chat.postMessage")) == 1
        with factory.unit_of_work() as session:
            installation.resume(session)
        later = utc("2026-10-06T08:00") + reminders.LEASE + timedelta(minutes=1)
        assert bot.tick(later).kinds == [reminders.KICKOFF]  # the other's, once it is back
    finally:
        deps.stop()
    assert {c.params["channel"] for c in fake_slack.calls("chat.postMessage")} == {
        CHANNEL,
        "C0OTHER",
    }
