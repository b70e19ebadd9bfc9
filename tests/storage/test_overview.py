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

from bot.shared.reports import render, render_teams
from bot.shared.reports.report import build_report
from bot.shared.reports.teams import SCHEMA_PATH, TeamsReport
from bot.slack.blocks.overview import overview_blocks
from reviews import judgement, managers, outcomes, reminders, teams
from reviews.errors import QprError
from reviews.judgement import Rated
from reviews.overview import NO_CHANNEL, NOT_STARTED, lateness, overview
from storage.models import (
    AuditEvent,
    Complaint,
    ComplaintOutcome,
    Rating,
    Review,
    Team,
    UserView,
    ViewKind,
)
from storage.periods import last_ended_quarter

FACILITATOR, ANN, HEAD, DEPUTY = "UFAC", "UANN", "UHEAD", "UDEPUTY"
Q2 = last_ended_quarter(datetime.now(UTC).date(), 4)  # the quarter an overview is owed for
MEETING = Q2.end + timedelta(days=14)
SECRET_PROPOSER, SUPPORTER = "USECRET", "USUPPORT"
SET_UP = datetime.combine(Q2.start, datetime.min.time(), UTC)
VIEW_TEXT = "My mother's carer, Mrs Jones at 4 Elm Road, never stays the full half hour."


def judged_team(factory, channel: str, name: str) -> int:
    """A team set up in `channel`, its review of Q2 agreed and judged; the review's id."""
    with factory.unit_of_work() as session:
        teams.setup_team(session, channel, name, FACILITATOR)
    return judged_team_in(factory, channel)


def test_the_first_manager_is_named_by_the_operator_and_the_rest_by_managers(factory):
    with factory.unit_of_work() as session:
        # Anyone can set up a channel and so facilitate a team: that opens no other team.
        teams.setup_team(session, "C1", "Older People's Services", FACILITATOR)
        with pytest.raises(QprError, match="qpr managers add"):
            managers.add_manager(session, FACILITATOR, FACILITATOR)
    with factory.unit_of_work() as session:
        assert managers.add_manager(session, managers.OPERATOR, HEAD)
    with factory.unit_of_work() as session:
        with pytest.raises(QprError, match="Only a manager can change who the managers are"):
            managers.add_manager(session, FACILITATOR, DEPUTY)
        assert managers.add_manager(session, HEAD, DEPUTY, "req-1")
        assert not managers.add_manager(session, HEAD, DEPUTY)  # already one
    with factory.unit_of_work() as session:
        assert managers.remove_manager(session, DEPUTY, HEAD)
        with pytest.raises(QprError, match="at least one manager"):
            managers.remove_manager(session, DEPUTY, DEPUTY)
    with factory.unit_of_work() as session:  # the operator may take the last away
        assert managers.remove_manager(session, managers.OPERATOR, DEPUTY)
    with factory() as session:
        assert managers.managers(session) == []
        audit = session.exec(
            select(AuditEvent).where(AuditEvent.action.like("manager.%")).order_by(AuditEvent.id)
        ).all()
        assert [(a.actor, a.action, a.detail["user"]) for a in audit] == [
            (managers.OPERATOR, "manager.add", HEAD),
            (HEAD, "manager.add", DEPUTY),
            (DEPUTY, "manager.remove", HEAD),
            (managers.OPERATOR, "manager.remove", DEPUTY),
        ]
        assert audit[1].slack_request_id == "req-1"


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
    # Closed without a judgement is closed on purpose; a team with no channel cannot start.
    assert lateness("closed", False, meeting, meeting + timedelta(days=60)) is None
    assert lateness(NO_CHANNEL, False, meeting, meeting + timedelta(days=60)) is None
    assert lateness(NOT_STARTED, False, None, meeting + timedelta(days=60)) is None


def test_a_meeting_before_the_teams_channel_or_schedule_existed_is_never_late(factory):
    """A schedule set in December puts the last quarter's meeting in October: the team
    never had it to hold, so it is not late for it."""
    with factory.unit_of_work() as session:
        late_rule, _ = teams.setup_team(session, "C1", "Learning Disabilities", FACILITATOR)
        late_rule.meeting_rule = "second wednesday"
        late_rule.channel_set_at = SET_UP
        late_rule.schedule_set_at = datetime.combine(
            MEETING + timedelta(days=40), datetime.min.time(), UTC
        )
        late_channel, _ = teams.setup_team(session, "C2", "Children in Need", FACILITATOR)
        late_channel.next_meeting = MEETING
        late_channel.schedule_set_at = SET_UP
        late_channel.channel_set_at = datetime.combine(
            MEETING + timedelta(days=3), datetime.min.time(), UTC
        )
        in_time, _ = teams.setup_team(session, "C3", "Mental Health", FACILITATOR)
        in_time.meeting_rule = "second wednesday"
        in_time.channel_set_at = in_time.schedule_set_at = SET_UP
        for team in (late_rule, late_channel, in_time):
            session.add(team)
    with factory() as session:
        found = {t.team: t for t in overview(session, Q2, MEETING + timedelta(days=60), 4).teams}
    assert found["Learning Disabilities"].meeting is not None
    assert found["Learning Disabilities"].late is None
    assert found["Children in Need"].late is None
    assert found["Mental Health"].late.startswith("not started by its meeting on")


def test_the_overview_shows_each_teams_judgements_and_lateness(factory):
    judged_team(factory, "C1", "Older People's Services")
    with factory.unit_of_work() as session:
        children, _ = teams.setup_team(session, "C2", "Children in Need", FACILITATOR)
        adults = teams.create_team(session, "Adults with Learning Disabilities")
        mental, _ = teams.setup_team(session, "C3", "Mental Health", FACILITATOR)
        for team in (children, adults, mental):
            team.next_meeting = MEETING  # the meeting of the Q2 review
            # Set up, and the meeting set, in good time for it.
            team.channel_set_at = team.schedule_set_at = SET_UP
            session.add(team)
        review, _ = outcomes.start_review(session, mental, Q2, FACILITATOR)
        outcomes.set_thread(session, review, "C3.1")
        judgement.close_review(session, review, FACILITATOR)  # closed, not judged
    with factory() as session:
        found = overview(session, Q2, MEETING + timedelta(days=19), 4)
    by_name = {t.team: t for t in found.teams}
    older = by_name["Older People's Services"]
    assert older.overall == "some progress" and older.late is None and older.stage == "closed"
    assert [(o.text, o.rating) for o in older.outcomes] == [
        ("Older People's Services: people are safe", "some progress")
    ]
    children = by_name["Children in Need"]
    assert children.stage == NOT_STARTED and children.meeting == MEETING
    assert children.late == f"not started by its meeting on {MEETING.day} {MEETING:%B %Y}"
    # No channel: it cannot start, so it is not late; closed without a judgement, on purpose.
    adults = by_name["Adults with Learning Disabilities"]
    assert (adults.stage, adults.late) == (NO_CHANNEL, None)
    mental = by_name["Mental Health"]
    assert (mental.stage, mental.overall, mental.late) == ("closed", None, None)
    paper = TeamsReport(found)
    assert paper.teams[0].team == "Children in Need"  # the late one first
    markdown = render_teams(paper, "md").decode()
    assert "| Mental Health | closed, without a judgement |" in markdown
    assert "| Adults with Learning Disabilities | not set up in a Slack channel |" in markdown
    assert "1 team late" not in markdown and "4 teams, 1 judged, 1 late" in markdown


def test_the_overview_holds_no_proposer_and_no_complaint_or_view_words(factory):
    """The team's own report shows its quotes and complaint categories; the overview, none."""
    with factory.unit_of_work() as session:
        team, _ = teams.setup_team(session, "C1", "Older People's Services", FACILITATOR)
        review, _ = outcomes.start_review(session, team, Q2, FACILITATOR)
        outcomes.set_thread(session, review, "C1.1")
        named, _ = outcomes.propose(session, review, "People are safe", SECRET_PROPOSER, "1.1")
        hidden, _ = outcomes.propose(
            session, review, "Carers get a break", "UHIDDEN", "1.2", anonymous=True
        )
        outcomes.set_support(session, review, "1.1", SUPPORTER, True)
        # What the statement is linked to is the team's own evidence.
        received = Q2.start + timedelta(days=30)
        for n in range(5):  # enough for the team's own report to quote them
            session.add(
                UserView(
                    team_id=team.id,
                    reference=f"V{n}",
                    received=received,
                    kind=ViewKind.COMMENT,
                    theme="home care",
                    text=VIEW_TEXT,
                )
            )
        session.add(
            Complaint(
                team_id=team.id,
                reference="K1",
                received=received,
                category="staff attitude",
                outcome=ComplaintOutcome.UPHELD,
                closed=received + timedelta(days=9),
            )
        )
        links = {"view_theme": ["home care"], "complaint_category": ["staff attitude"]}
        agreed = outcomes.agree(
            session,
            review,
            FACILITATOR,
            [
                outcomes.Decision(named.text, [named.id], links=links),
                outcomes.Decision(hidden.text, [hidden.id]),
            ],
            {named.id, hidden.id},
        ).agreed
        rated = [Rated(o.id, Rating.SOME_PROGRESS) for o in agreed]
        judgement.record_judgement(
            session, review, FACILITATOR, [*rated, Rated(None, Rating.SOME_PROGRESS)], [], {}
        )
        review_id = review.id
    with factory() as session:
        own = render(build_report(session, session.get(Review, review_id), MEETING, 4), "md")
        paper = TeamsReport(overview(session, Q2, MEETING, 4))
    own = own.decode()
    assert "Mrs Jones" in own and "staff attitude" in own  # the team's own report has them
    shown = [render_teams(paper, fmt).decode() for fmt in ("md", "html", "csv", "json")]
    shown += [json.dumps(overview_blocks(paper, home=home)) for home in (False, True)]
    for text in shown:
        assert "People are safe" in text and "Carers get a break" in text  # what was agreed
        for never in (SECRET_PROPOSER, "UHIDDEN", SUPPORTER, "Mrs Jones", "Elm Road"):
            assert never not in text
        assert "staff attitude" not in text and "home care" not in text
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator(schema).validate(json.loads(shown[3]))
    rows = list(csv.DictReader(io.StringIO(shown[2])))
    # The pulse (two questions to staff) is the only other section: no complaint or view.
    assert {r["section"] for r in rows} <= {"team", "outcome", "key indicator", "pulse"}


def test_the_overview_is_owed_to_each_manager_once_every_team_owing_a_review_has_closed(factory):
    now = datetime.now(UTC)
    first = judged_team(factory, "C1", "Older People's Services")
    with factory.unit_of_work() as session:
        teams.create_team(session, "Adults with Learning Disabilities")  # no channel
        paused, _ = teams.setup_team(session, "C2", "Children in Need", FACILITATOR)
        paused.reminders_paused = True  # not reviewing for now: it does not hold the rest up
        teams.setup_team(session, "C3", "Mental Health", FACILITATOR)  # set up after Q2 ended
        owing, _ = teams.setup_team(session, "C4", "Hospital Discharge", FACILITATOR)
        owing.channel_set_at = datetime.combine(Q2.start, datetime.min.time(), UTC)
        session.add_all([paused, owing])
        managers.add_manager(session, managers.OPERATOR, HEAD)
        managers.add_manager(session, HEAD, DEPUTY)
    with factory() as session:
        assert reminders.overview_reminders(session, now, 4) == []  # Hospital Discharge owes one
    last = judged_team_in(factory, "C4")
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
    """The team set up in `channel`, its review of Q2 agreed and judged now; its id."""
    with factory.unit_of_work() as session:
        team = session.exec(select(Team).where(Team.slack_channel_id == channel)).one()
        review, _ = outcomes.start_review(session, team, Q2, FACILITATOR)
        outcomes.set_thread(session, review, f"{channel}.1")
        outcome, _ = outcomes.propose(session, review, f"{team.name}: people are safe", ANN, "1.1")
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
