"""Recording a judgement in the store: once only, and drafts are not the record."""

from __future__ import annotations

import pytest
from sqlmodel import select

from reviews import judgement, outcomes, teams
from reviews.errors import QprError
from reviews.judgement import NewNeed, Rated
from reviews.record import review_record
from storage.models import InformationNeed, Judgement, Rating, Review
from storage.periods import parse_quarter

FACILITATOR = "UFAC"


def agreed_review(factory) -> tuple[int, int]:
    with factory.unit_of_work() as session:
        team, _ = teams.setup_team(session, "C1", "Older People's Services", FACILITATOR)
        review, _ = outcomes.start_review(session, team, parse_quarter("2026/27 Q2"), FACILITATOR)
        outcome, _ = outcomes.propose(session, review, "People are safe at home", "UANN", "1.1")
        outcomes.agree(
            session,
            review,
            FACILITATOR,
            [outcomes.Decision(outcome.text, [outcome.id])],
            {outcome.id},
        )
        return review.id, outcome.id


def test_two_facilitators_recording_at_the_same_moment_record_it_once(factory):
    review_id, outcome_id = agreed_review(factory)
    with factory() as session:
        seen_by_second = session.get(Review, review_id)  # read before the first one records
    rated = [Rated(outcome_id, Rating.SOME_PROGRESS), Rated(None, Rating.SOME_PROGRESS)]
    with factory.unit_of_work() as session:
        judgement.record_judgement(
            session,
            session.get(Review, review_id),
            FACILITATOR,
            rated,
            [NewNeed("Count the falls", "UANN", parse_quarter("2026/27 Q3").end)],
            {},
        )
    with pytest.raises(QprError, match="already recorded"), factory.unit_of_work() as session:
        stale = session.merge(seen_by_second, load=False)
        assert str(stale.stage) == "evidence"  # so only the conditional update can refuse
        judgement.record_judgement(
            session,
            stale,
            "UFAC",
            rated,
            [NewNeed("Ask about loneliness", "UBEN", parse_quarter("2026/27 Q3").end)],
            {},
        )
    with factory() as session:
        assert len(session.exec(select(Judgement)).all()) == 2
        assert [n.text for n in session.exec(select(InformationNeed)).all()] == ["Count the falls"]


def test_ratings_saved_from_a_first_page_are_drafts_not_the_record(factory):
    review_id, outcome_id = agreed_review(factory)
    with factory.unit_of_work() as session:
        review = session.get(Review, review_id)
        judgement.save_ratings(
            session, review, FACILITATOR, [Rated(outcome_id, Rating.GOOD_PROGRESS)]
        )
    with factory() as session:
        record = review_record(session, session.get(Review, review_id))
    assert record.stage == "judgement" and not record.judged
