"""A need comes back answered: raised at one quarter's judgement, settled by its owner with
what was found, and shown at the next quarter's kick-off and in its report."""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlmodel import select

from bot.shared.reports import render
from bot.shared.reports.report import build_report
from bot.slack import ids
from storage import inbox
from storage.models import InformationNeed, NeedStatus, Review
from tests.e2e.forms import fill
from tests.helpers.review import judged, open_need, posts, settle_form
from tests.helpers.slack import ANN, FACILITATOR, eventually

FOUND = "Nine people waited over 28 days; seven of them for an occupational therapist."
LINK = "https://intranet.example.org/waits?q=1&r=<2>"


def test_what_was_found_comes_back_at_the_next_kickoff_and_in_its_report(slack, factory):
    judged(slack, factory, [("How many people waited over 28 days?", ANN)])
    with factory() as session:
        need = session.exec(select(InformationNeed)).one()
    form = settle_form(slack, str(need.id))
    answer = {"answer": FOUND + " @channel", "link": LINK}
    assert slack.submit(form, fill(form, answer), user=ANN) == (200, "")

    before = len(posts(slack.fake))
    slack.command("start 2026/27 Q3")
    kickoff = json.dumps(eventually(lambda: posts(slack.fake)[before])["blocks"])
    assert "What we found out since last time" in kickoff
    assert "How many people waited over 28 days?" in kickoff and FOUND in kickoff
    assert "@channel" in kickoff and "<!channel>" not in kickoff  # their words, not a ping
    assert "Still open from last time" not in kickoff  # it was settled

    with factory() as session:
        q3 = session.exec(select(Review).where(Review.period_label == "2026/27 Q3")).one()
        report = build_report(session, q3, date.today(), 4, charts=False)
    (earlier,) = json.loads(render(report, "json"))["earlier_needs"]
    assert earlier["text"] == "How many people waited over 28 days?"
    assert earlier["status"] == "done" and earlier["answer"].startswith(FOUND)
    assert earlier["answer_link"] == LINK and earlier["dropped_because"] is None
    markdown = render(report, "md").decode()
    assert f"We found: {FOUND}" in markdown
    assert "<https://intranet.example.org/waits?q=1&r=%3C2%3E>" in markdown, markdown[
        markdown.find("## Needs from") :
    ]
    html = render(report, "html").decode()
    assert (
        "What we found" in html
        and 'href="https://intranet.example.org/waits?q=1&amp;r=%3C2%3E"' in html
    )


def test_an_overdue_need_stays_in_sight_of_its_owner_and_the_facilitators(slack, factory):
    judged(slack, factory, [("How many people waited over 28 days?", ANN)])
    with factory.unit_of_work() as session:
        need = session.exec(select(InformationNeed)).one()
        need.due = date.today() - timedelta(days=3)
        session.add(need)

    def home(user: str) -> str:
        published = len(slack.fake.calls("views.publish"))
        slack.event({"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"})
        return json.dumps(slack.fake.wait_for("views.publish", published + 1)[-1].params["view"])

    facilitator = home(FACILITATOR)
    assert "Overdue information needs" in facilitator and "waited over 28 days" in facilitator
    owner = home(ANN)
    assert "waited over 28 days" in owner and "(overdue)" in owner
    assert "Older People's Services" in owner  # her team is listed, without the chasing list
    assert "Overdue information needs" not in owner


def test_a_done_click_kept_before_done_asked_is_answered_not_acted_on(slack, factory):
    judged(slack, factory, [("How many people waited over 28 days?", ANN)])
    with factory() as session:
        need = session.exec(select(InformationNeed)).one()
    body = {
        "type": "block_actions",
        "user": {"id": ANN},
        "response_url": f"{slack.fake.url}respond/old",
        "actions": [{"action_id": ids.NEED_DONE, "value": str(need.id)}],
    }
    with factory.unit_of_work() as session:
        inbox.accept(session, "h:kept-earlier", "need_done", "C1", json.dumps(body))
    told = slack.fake.wait_for("respond/old")[-1].params
    assert "please press it again" in told["text"]
    with factory() as session:
        assert session.get(InformationNeed, need.id).status == NeedStatus.OPEN


def test_an_owner_settles_a_need_in_one_action_from_its_reminder(slack, factory):
    from bot.slack.blocks.reminders import need_message
    from reviews import reminders
    from storage.models import Team
    from tests.helpers.slack import BEN, said, start_review

    start_review(slack, factory)
    with factory.unit_of_work() as session:
        review = session.exec(select(Review)).one()
        need = open_need(session, review)
        need_id, team = need.id, session.get(Team, review.team_id)
        (due, _) = reminders.need_reminders(team, need)
    # The reminder holds the input: typing what was found and pressing Enter is all it takes.
    _, blocks = need_message(due, need, team)
    answer = next(b for b in blocks if b.get("block_id") == f"answer_{need_id}")
    assert answer["dispatch_action"] and answer["element"]["action_id"] == ids.NEED_ANSWER

    def typed(user: str, text: str):
        return slack.type_in(
            f"answer_{need_id}", ids.NEED_ANSWER, text, user=user, message_ts="8.8", channel="D1"
        )

    assert typed(BEN, "Mine now")[0] == 200
    said(slack.fake, "Only its owner or a facilitator of its team can settle that need")
    typed(ANN, "   ")
    said(slack.fake, "Say what was found out.")
    with factory() as session:
        assert session.get(InformationNeed, need_id).status == NeedStatus.OPEN
    typed(ANN, "Falls fell by a third <!channel>")
    done = said(slack.fake, "Marked done: Count the falls")
    assert "&lt;!channel&gt;" in done and "<!channel>" not in done
    with factory() as session:
        found = session.get(InformationNeed, need_id)
    assert (found.status, found.answer, found.settled_by) == (
        NeedStatus.DONE,
        "Falls fell by a third <!channel>",
        ANN,
    )
