"""`/qpr schedule`, the status and App Home that show what comes next, moving a need's date
from its reminder, and `qpr reminders --at` for operators."""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlmodel import select

from bot.cli.main import main
from bot.slack import ids
from reviews.calendar import is_working_day, next_working_day
from storage.models import InformationNeed, Review, Team
from tests.e2e.conftest import CHANNEL
from tests.helpers.review import open_need
from tests.helpers.slack import ANN, BEN, responses, said


def team_of(factory) -> Team:
    with factory() as session:
        return session.exec(select(Team)).one()


def test_a_facilitator_sets_the_meeting_rule_date_and_pauses(slack, factory):
    slack.command("setup Older People's Services")
    said(slack.fake, "now the home of")
    slack.command("schedule third tuesday 10:00", user=ANN)
    said(slack.fake, "Only a facilitator can change the meeting schedule")
    slack.command("schedule every other friday")
    said(slack.fake, "is not a meeting rule")

    slack.command("schedule Third Tuesdays at 10:30")
    answer = said(slack.fake, "meets on the third tuesday 10:30 of the month after each quarter")
    assert "Next meeting" in answer and "Next reminder" in answer
    assert team_of(factory).meeting_rule == "third tuesday 10:30"

    day = next_working_day(date.today() + timedelta(days=40))
    slack.command(f"schedule {day:%d/%m/%Y} 14:00")
    said(slack.fake, f"The next meeting of *Older People's Services* is on {day:%A %d %B %Y}")
    team = team_of(factory)
    assert (team.next_meeting, team.meeting_time) == (day, "14:00")

    saturday = date.today() + timedelta(days=(5 - date.today().weekday()) % 7 or 7)
    assert not is_working_day(saturday)
    slack.command(f"schedule {saturday.isoformat()}")
    said(slack.fake, "is a weekend or a bank holiday")
    slack.command("schedule 2020-01-07")
    said(slack.fake, "has to be after today")

    slack.command("schedule pause")
    said(slack.fake, "are now paused")
    assert team_of(factory).reminders_paused
    slack.command("status")
    said(slack.fake, "Reminders are paused (`/qpr schedule resume`)")
    slack.command("schedule resume")
    said(slack.fake, "are now on")
    assert not team_of(factory).reminders_paused


def test_an_owner_moves_a_needs_date_from_its_reminder(slack, factory):
    slack.command("setup Older People's Services")
    said(slack.fake, "now the home of")
    slack.command("start 2026/27 Q2")
    slack.fake.wait_for("chat.postMessage")
    with factory.unit_of_work() as session:
        review = session.exec(select(Review)).one()
        need = open_need(session, review)
        need_id = need.id
    later = date.today() + timedelta(days=30)

    def pick(user: str, day: date):
        return slack.interact(
            {
                "type": "block_actions",
                "user": {"id": user},
                "team": {"id": "T0"},
                "channel": {"id": "DANN"},
                "container": {"type": "message", "message_ts": "8.8", "channel_id": "DANN"},
                "message": {"ts": "8.8", "text": ""},
                "response_url": f"{slack.fake.url}respond/move",
                "trigger_id": "trigger-move",
                "actions": [
                    {
                        "action_id": ids.NEED_MOVE,
                        "block_id": f"need_{need_id}",
                        "type": "datepicker",
                        "selected_date": day.isoformat(),
                        "action_ts": "1",
                    }
                ],
            }
        )

    pick(BEN, later)
    said(slack.fake, "Only its owner or a facilitator of its team can move that need's date")
    pick(ANN, date.today() - timedelta(days=1))
    said(slack.fake, "That date has passed")
    pick(ANN, later)
    said(slack.fake, f"Moved to {later:%A %d %B %Y}: Count the falls")
    with factory() as session:
        assert session.get(InformationNeed, need_id).due == later


def test_the_app_home_shows_the_next_meeting_and_reminder(slack, factory):
    slack.command("setup Older People's Services")
    said(slack.fake, "now the home of")
    slack.command("schedule first wednesday 09:30")
    said(slack.fake, "meets on the first wednesday 09:30")
    slack.event({"type": "app_home_opened", "user": "UFAC", "channel": "DFAC", "tab": "home"})
    home = json.dumps(slack.fake.wait_for("views.publish")[-1].params["view"])
    assert "Next meeting" in home and "at 09:30" in home and "Next reminder" in home
    assert CHANNEL in home
    assert not [r for r in responses(slack.fake) if "went wrong" in r]


def test_qpr_reminders_lists_what_would_be_sent_without_sending(
    slack, factory, monkeypatch, capsys, database_url
):
    monkeypatch.setenv("DATABASE_URL", database_url)
    slack.command("setup Older People's Services")
    said(slack.fake, "now the home of")
    slack.command("schedule third tuesday 10:00")
    said(slack.fake, "meets on the third tuesday")
    before = len(slack.fake.calls())
    assert main(["reminders", "--at", "2026-10-06 09:00"]) == 0
    out = capsys.readouterr().out
    assert "2026-10-06 09:00  Older People's Services  the kick-off of 2026/27 Q2" in out
    assert "(meeting Tue 20 Oct 2026 10:00)" in out
    assert main(["reminders", "--at", "2026-10-06 08:59", "--team", "older people's services"]) == 0
    assert "kick-off of 2026/27 Q2" not in capsys.readouterr().out
    assert main(["reminders", "--at", "2026-10-06 09:00", "--team", "Nobody"]) == 1
    assert "There is no team called 'Nobody'" in capsys.readouterr().err
    assert len(slack.fake.calls()) == before  # nothing was sent
    with factory() as session:
        assert session.exec(select(Review)).all() == []
