"""Three teams through two quarters, as their people and their head of service see them:
a need raised in the first quarter, answered, and shown at the second's kick-off and in
its report; an outcome carried over with its story; the overview sent to the managers
once, when the last team's first-quarter review closes; and in the second quarter, the
manager's App Home, `/qpr overview` and the all-teams report naming the two late teams."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

import jsonschema
import pytest
from sqlmodel import select

from bot.base.config import Settings
from bot.shared.reports import render, render_teams
from bot.shared.reports.report import build_report
from bot.shared.reports.teams import SCHEMA_PATH, TeamsReport
from bot.slack import ids
from bot.slack.app import web_client
from bot.slack.deps import Deps
from bot.slack.scheduler import Reminders
from bot.slack.standin import SlackUser
from reviews import managers
from reviews.overview import overview
from storage.models import AuditEvent, InformationNeed, Manager, OutcomeStatement, Review, Team
from storage.periods import last_ended_quarter, previous_quarter
from tests.e2e.conftest import CHANNEL, SECRET
from tests.e2e.forms import fill
from tests.helpers.review import SAFE, agree_all, history, judge, post_with, posts, settle_form
from tests.helpers.slack import ANN, CAT, eventually, responses, said, thread_of

Q2 = last_ended_quarter(datetime.now(UTC).date(), 4)
Q1 = previous_quarter(Q2, 4)
OLDER, CHILDREN, ADULTS = (
    "Older People's Services",
    "Children in Need",
    "Adults with Learning Disabilities",
)
CHILDREN_CHANNEL, ADULTS_CHANNEL, MANAGERS_CHANNEL = "C0TWO", "C0THREE", "C0HEADS"
HEAD, DEPUTY = "UHEAD", "UDEPUTY"
FOUND = "Fourteen falls at home last quarter, nine of them at night."


def channel(slack, where: str) -> SlackUser:
    """The same person's requests, from another team's channel (numbered in one series, as
    Slack's event ids are unique)."""
    user = SlackUser(slack.url, slack.fake, SECRET, where)
    user._ids = slack._ids
    return user


def review_of(slack, factory, team: str, period, statements: list[str], setup: bool) -> dict:
    """The team's review of `period` started and its statements agreed: the evidence prompt."""
    if setup:
        slack.command(f"setup {team}")
        eventually(lambda: "now the home of" in (responses(slack.fake) or [""])[-1])
    slack.command(f"start {period.label}")
    thread = thread_of(factory, period.label, slack.channel)
    return agree_all(slack, factory, thread, statements)


def home_of(slack, user: str) -> str:
    published = len(slack.fake.calls("views.publish"))
    slack.event({"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"})
    return json.dumps(slack.fake.wait_for("views.publish", published + 1)[-1].params["view"])


@pytest.fixture
def reminders(factory, fake_slack):
    settings = Settings(slack_bot_token="xoxb-test", slack_api_url=fake_slack.url)
    deps = Deps(factory=factory, settings=settings)
    yield Reminders(deps, web_client(settings), channel_gap=0)
    deps.stop()


def test_three_teams_through_two_quarters(slack, factory, reminders):
    older, children, adults = (
        slack,
        channel(slack, CHILDREN_CHANNEL),
        channel(slack, ADULTS_CHANNEL),
    )

    # The first quarter. A facilitator cannot make anyone a manager; whoever runs the bot
    # names the head of service, who names her deputy.
    prompt = review_of(older, factory, OLDER, Q1, [SAFE], setup=True)
    older.command(f"managers add <@{HEAD}|head>")
    said(slack.fake, "There are no managers yet. Whoever runs the bot adds the first")
    with factory.unit_of_work() as session:
        managers.add_manager(session, managers.OPERATOR, HEAD)
    channel(slack, MANAGERS_CHANNEL).command(f"managers add <@{DEPUTY}|deputy>", user=HEAD)
    said(slack.fake, f"<@{DEPUTY}> is now a manager")
    with factory() as session:
        first = session.exec(select(OutcomeStatement).where(OutcomeStatement.text == SAFE)).one()
    judge(
        older, prompt, "cannot judge yet", "No figures on falls yet.", ("Count the falls", first.id)
    )
    post_with(slack.fake, f"Record of the QPR {Q1.label}")
    for team_slack, team in ((children, CHILDREN), (adults, ADULTS)):
        prompt = review_of(team_slack, factory, team, Q1, [f"{team} feel listened to"], setup=True)
        assert reminders.tick(datetime.now(UTC)).kinds == []  # not every team has closed
        judge(team_slack, prompt, "some progress", "Better than last year.")
        post_with(slack.fake, f"Record of the QPR {Q1.label}: {team}")

    # The last team closed: each manager gets the overview of the quarter, once.
    assert reminders.tick(datetime.now(UTC)).kinds == ["overview", "overview"]
    (sent,) = [p for p in posts(slack.fake) if p["channel"] == HEAD]
    assert [p["channel"] for p in posts(slack.fake)].count(DEPUTY) == 1
    shown = json.dumps(sent["blocks"])
    assert f"QPR {Q1.label}: every team" in shown
    assert all(team in shown.replace("\\u2019", "'") for team in (OLDER, CHILDREN, ADULTS))
    assert "3 teams, 3 judged, none late" in shown
    assert reminders.tick(datetime.now(UTC)).kinds == []

    # The need is answered from the owner's Done button.
    with factory() as session:
        need = session.exec(select(InformationNeed)).one()
    form = settle_form(older, str(need.id))
    assert older.submit(form, fill(form, {"answer": FOUND}), user=ANN) == (200, "")

    # The second quarter: the kick-off says what was found; the outcome is carried over.
    before = len(posts(slack.fake))
    older.command(f"start {Q2.label}")
    q2_thread = thread_of(factory, Q2.label, CHANNEL)
    kickoff = json.dumps(posts(slack.fake)[before]["blocks"])
    assert "What we found out since last time" in kickoff and FOUND in kickoff
    older.click(ids.CARRY_OVER, str(first.id), user=CAT, message_ts=q2_thread)
    eventually(lambda: _carried(factory, first.id))
    prompt = agree_all(older, factory, q2_thread, ["Carers get a break"])
    judge(older, prompt, "some progress", "Night-time falls are down.")
    post_with(slack.fake, f"Record of the QPR {Q2.label}")
    story = json.dumps(history(older)["blocks"])
    assert story.count(SAFE) == 1 and f"{Q1.label} :grey_question: *Cannot judge yet*" in story
    with factory() as session:
        q2 = session.exec(
            select(Review).where(
                Review.period_label == Q2.label, Review.slack_channel_id == CHANNEL
            )
        ).one()
        report = build_report(session, q2, date.today(), 4, charts=False)
    made = json.loads(render(report, "json"))
    assert made["earlier_needs"][0]["answer"] == FOUND
    assert made["outcomes"][0]["since_last_time"]["quarters"][0]["period"] == Q1.label

    # Children in Need agreed its outcomes but has not judged them, ten days after its
    # meeting; Adults with Learning Disabilities has not started, and its meeting was due.
    review_of(children, factory, CHILDREN, Q2, ["Children are seen quickly"], setup=False)
    with factory.unit_of_work() as session:
        late = session.exec(
            select(Review).where(
                Review.period_label == Q2.label, Review.slack_channel_id == CHILDREN_CHANNEL
            )
        ).one()
        late.meeting_date = date.today() - timedelta(days=10)
        session.add(late)
        set_up = session.exec(select(Team).where(Team.slack_channel_id == CHILDREN_CHANNEL)).one()
        set_up.channel_set_at = datetime.combine(Q2.start, time(), UTC)
        session.add(set_up)
        team = session.exec(select(Team).where(Team.slack_channel_id == ADULTS_CHANNEL)).one()
        team.next_meeting = max(Q2.end + timedelta(days=1), date.today() - timedelta(days=2))
        # Set up, and its meeting set, in good time for it: a meeting before either would
        # not be the team's to miss.
        team.channel_set_at = team.schedule_set_at = datetime.combine(Q2.start, time(), UTC)
        session.add(team)

    # The manager's App Home: every team, the late ones flagged first.
    home = home_of(slack, HEAD).replace("\\u2019", "'")
    assert f"QPR {Q2.label}: every team" in home
    assert home.index(ADULTS) < home.index(OLDER) and home.index(CHILDREN) < home.index(OLDER)
    assert "*Late*: not started by its meeting on" in home
    assert "*Late*: not judged a week after its meeting on" in home
    assert "Carers get a break: some progress" in home
    assert "1 late" not in home and "2 late" in home
    assert f"QPR {Q2.label}: every team" not in home_of(slack, ANN)  # not a manager

    # `/qpr overview` posts the same in a managers' channel, for a manager only.
    heads = channel(slack, MANAGERS_CHANNEL)
    heads.command("overview", user=ANN)
    said(slack.fake, "Only a manager can post the overview")
    heads.command("overview", user=HEAD)
    posted = eventually(lambda: next(r for r in _responded(slack) if r["text"].startswith("QPR ")))
    assert posted["response_type"] == "in_channel" and "2 late" in posted["text"]
    older.command("overview", user=HEAD)
    said(slack.fake, "is for a managers' channel")

    # The all-teams paper for the meeting says the same.
    with factory() as session:
        paper = TeamsReport(overview(session, Q2, date.today(), 4))
    made = json.loads(render_teams(paper, "json"))
    jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text())).validate(made)
    teams = {t["team"]: t for t in made["teams"]}
    assert teams[ADULTS]["late"] and teams[ADULTS]["stage"] == "not started"
    assert teams[CHILDREN]["late"] and teams[CHILDREN]["stage"] == "evidence"
    assert not teams[OLDER]["late"] and teams[OLDER]["overall"] == "some progress"
    assert [o["rating"] for o in teams[OLDER]["outcomes"]] == ["some progress", "some progress"]
    assert teams[OLDER]["outcomes"][0]["carried_over"]
    html = render_teams(paper, "html").decode()
    assert "Late: not judged a week after" in html and "Late: not started by" in html

    # Each change of managers is audited.
    with factory() as session:
        assert set(session.exec(select(Manager.slack_user_id)).all()) == {HEAD, DEPUTY}
        added = session.exec(
            select(AuditEvent).where(AuditEvent.action == "manager.add").order_by(AuditEvent.id)
        ).all()
        assert [(a.actor, a.detail["user"]) for a in added] == [
            (managers.OPERATOR, HEAD),
            (HEAD, DEPUTY),
        ]


def _carried(factory, from_id: int) -> bool:
    with factory() as session:
        return bool(
            session.exec(
                select(OutcomeStatement).where(
                    OutcomeStatement.carried_from_id == from_id,
                    OutcomeStatement.slack_message_ts.is_not(None),
                )
            ).all()
        )


def _responded(slack) -> list[dict]:
    return [c.params for c in slack.fake.calls() if c.method.startswith("respond/")]
