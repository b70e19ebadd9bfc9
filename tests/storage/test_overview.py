"""The view across teams in the store, on both databases: who may be a manager, which
reviews are late, the overview owed to the managers once every team has closed, and what
the overview never holds (who proposed what, complaints' and views' own words)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import jsonschema
import pytest
from sqlmodel import select

from bot.shared.reports import render_teams
from bot.shared.reports.teams import SCHEMA_PATH, TeamsReport
from bot.slack.blocks.overview import overview_blocks
from reviews import judgement, managers, outcomes, reminders, teams
from reviews.errors import QprError
from reviews.judgement import Rated
from reviews.overview import NOT_STARTED, lateness, overview
from storage.models import AuditEvent, Rating, Review, Team, UserView, ViewKind
from storage.periods import last_ended_quarter

FACILITATOR, ANN, HEAD, DEPUTY = "UFAC", "UANN", "UHEAD", "UDEPUTY"
Q2 = last_ended_quarter(date.today(), 4)  # the overview is owed for a quarter just ended
MEETING = Q2.end + timedelta(days=14)
SECRET_PROPOSER, SUPPORTER = "USECRET", "USUPPORT"
VIEW_TEXT = "My mother's carer, Mrs Jones at 4 Elm Road, never stays the full half hour."


def judged_team(factory, channel: str, name: str, *, anonymous: bool = False) -> int:
    """A team whose review of Q2 is agreed and judged; the review's id."""
    with factory.unit_of_work() as session:
        team, _ = teams.setup_team(session, channel, name, FACILITATOR)
        review, _ = outcomes.start_review(session, team, Q2, FACILITATOR)
        outcomes.set_thread(session, review, f"{channel}.1")
        outcome, _ = outcomes.propose(
            session, review, f"{name}: people are safe", SECRET_PROPOSER, "1.1", anonymous=anonymous
        )
        outcomes.set_support(session, review, "1.1", SUPPORTER, True)
        outcomes.agree(
            session,
            review,
            FACILITATOR,
            [outcomes.Decision(outcome.text, [outcome.id])],
            {outcome.id},
        )
        judgement.record_judgement(
            session,
            review,
            FACILITATOR,
            [
                Rated(outcome.id, Rating.SOME_PROGRESS, "Fewer falls."),
                Rated(None, Rating.SOME_PROGRESS),
            ],
            [],
            {},
        )
        return review.id


def test_the_first_manager_is_added_by_a_facilitator_and_the_rest_by_managers(factory):
    with factory.unit_of_work() as session:
        with pytest.raises(QprError, match="added by a team's facilitator"):
            managers.add_manager(session, ANN, ANN)
        teams.setup_team(session, "C1", "Older People's Services", FACILITATOR)
    with factory.unit_of_work() as session:
        assert managers.add_manager(session, FACILITATOR, HEAD, "req-1")
    with factory.unit_of_work() as session:
        with pytest.raises(QprError, match="Only a manager can change who the managers are"):
            managers.add_manager(session, FACILITATOR, DEPUTY)  # there is a manager now
        assert managers.add_manager(session, HEAD, DEPUTY)
        assert not managers.add_manager(session, HEAD, DEPUTY)  # already one
    with factory.unit_of_work() as session:
        assert managers.remove_manager(session, DEPUTY, HEAD)
        with pytest.raises(QprError, match="at least one manager"):
            managers.remove_manager(session, DEPUTY, DEPUTY)
    with factory() as session:
        assert managers.managers(session) == [DEPUTY]
        audit = session.exec(
            select(AuditEvent).where(AuditEvent.action.like("manager.%")).order_by(AuditEvent.id)
        ).all()
        assert [(a.actor, a.action, a.detail["user"]) for a in audit] == [
            (FACILITATOR, "manager.add", HEAD),
            (HEAD, "manager.add", DEPUTY),
            (DEPUTY, "manager.remove", HEAD),
        ]
        assert audit[0].slack_request_id == "req-1"


def test_a_review_is_late_when_not_started_by_its_meeting_or_not_judged_a_week_after():
    meeting = date(2026, 10, 20)
    assert lateness(NOT_STARTED, False, meeting, meeting - timedelta(days=1)) is None
    assert "not started by its meeting on 20 October 2026" in lateness(
        NOT_STARTED, False, meeting, meeting
    )
    assert lateness("evidence", False, meeting, meeting + timedelta(days=7)) is None
    assert "not judged a week after its meeting" in lateness(
        "judgement", False, meeting, meeting + timedelta(days=8)
    )
    assert lateness("closed", True, meeting, meeting + timedelta(days=60)) is None
    assert lateness(NOT_STARTED, False, None, meeting + timedelta(days=60)) is None


def test_the_overview_shows_each_teams_judgements_and_lateness(factory):
    judged_team(factory, "C1", "Older People's Services")
    with factory.unit_of_work() as session:
        team, _ = teams.setup_team(session, "C2", "Children in Need", FACILITATOR)
        team.next_meeting = MEETING  # the meeting of the Q2 review
        session.add(team)
    with factory() as session:
        found = overview(session, Q2, MEETING + timedelta(days=19), 4)
    by_name = {t.team: t for t in found.teams}
    older, children = by_name["Older People's Services"], by_name["Children in Need"]
    assert older.overall == "some progress" and older.late is None and older.stage == "closed"
    assert [(o.text, o.rating) for o in older.outcomes] == [
        ("Older People's Services: people are safe", "some progress")
    ]
    assert children.stage == NOT_STARTED and children.meeting == MEETING
    assert children.late == f"not started by its meeting on {MEETING.day} {MEETING:%B %Y}"
    assert [t.team for t in TeamsReport(found).teams] == [
        "Children in Need",
        "Older People's Services",
    ]


def test_the_overview_holds_no_proposer_and_no_complaint_or_view_words(factory):
    judged_team(factory, "C1", "Older People's Services", anonymous=True)
    with factory.unit_of_work() as session:
        team = session.exec(select(Team)).one()
        session.add(
            UserView(
                team_id=team.id,
                reference="V1",
                received=Q2.start + timedelta(days=30),
                kind=ViewKind.COMMENT,
                theme="home care",
                text=VIEW_TEXT,
            )
        )
    with factory() as session:
        paper = TeamsReport(overview(session, Q2, MEETING, 4))
    shown = [render_teams(paper, fmt).decode() for fmt in ("md", "html", "csv", "json")]
    shown += [json.dumps(overview_blocks(paper, home=home)) for home in (False, True)]
    for text in shown:
        assert "people are safe" in text  # what the team agreed
        assert SECRET_PROPOSER not in text and SUPPORTER not in text
        assert "Mrs Jones" not in text and "Elm Road" not in text
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator(schema).validate(json.loads(shown[3]))
    rows = list(csv.DictReader(io.StringIO(shown[2])))
    assert {r["section"] for r in rows} <= {"team", "outcome", "key indicator"}


def test_the_overview_is_owed_to_each_manager_once_every_team_with_a_channel_has_closed(factory):
    now = datetime.now(UTC)
    first = judged_team(factory, "C1", "Older People's Services")
    with factory.unit_of_work() as session:
        teams.create_team(session, "Adults with Learning Disabilities")  # no channel: not due
        team, _ = teams.setup_team(session, "C2", "Children in Need", FACILITATOR)
        team.reminders_paused = True  # its own reminders; not the managers' overview
        session.add(team)
        managers.add_manager(session, FACILITATOR, HEAD)
        managers.add_manager(session, HEAD, DEPUTY)
    with factory() as session:
        assert reminders.overview_reminders(session, now, 4) == []  # one team still to go
    last = judged_team_in(factory, "C2")
    with factory() as session:
        owed = reminders.overview_reminders(session, now, 4)
        closed_last = session.get(Review, last)
        assert session.get(Review, first).closed_at <= closed_last.closed_at
    assert {(d.kind, d.channel, d.review_id) for d in owed} == {
        (reminders.OVERVIEW, HEAD, last),
        (reminders.OVERVIEW, DEPUTY, last),
    }
    assert all(d.period_label == Q2.label and not d.paused for d in owed)
    with factory() as session:
        due = reminders.due(session, now + timedelta(minutes=1), 4)
    assert sorted(d.channel for d in due if d.kind == reminders.OVERVIEW) == [DEPUTY, HEAD]
    with factory.unit_of_work() as session:
        mine, _ = reminders.claim(session, due, now, "A")
    with factory.unit_of_work() as session:
        again, _ = reminders.claim(session, due, now, "B")
    assert len([d for _, d in mine if d.kind == reminders.OVERVIEW]) == 2
    assert not [d for _, d in again if d.kind == reminders.OVERVIEW]


def judged_team_in(factory, channel: str) -> int:
    """The team already set up in `channel`, its review of Q2 judged now."""
    with factory.unit_of_work() as session:
        team = session.exec(select(Team).where(Team.slack_channel_id == channel)).one()
        review, _ = outcomes.start_review(session, team, Q2, FACILITATOR)
        outcomes.set_thread(session, review, f"{channel}.1")
        outcome, _ = outcomes.propose(session, review, "Children are seen quickly", ANN, "2.1")
        outcomes.agree(
            session,
            review,
            FACILITATOR,
            [outcomes.Decision(outcome.text, [outcome.id])],
            {outcome.id},
        )
        judgement.record_judgement(
            session,
            review,
            FACILITATOR,
            [Rated(outcome.id, Rating.GOOD_PROGRESS), Rated(None, Rating.GOOD_PROGRESS)],
            [],
            {},
        )
        return review.id
