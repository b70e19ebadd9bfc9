"""An outcome's linked indicators are kept as they read when it was judged: the story of an
outcome carried over shows them so, whatever figures are loaded afterwards."""

from __future__ import annotations

import json

from sqlmodel import select

from bot.shared.reports import render
from bot.shared.reports.report import build_report
from reviews import judgement, outcomes, teams
from reviews.history import story_before, team_history
from reviews.judgement import Rated
from reviews.then import keep_indicators_then
from storage import queries
from storage.imports import import_file
from storage.models import IndicatorValue, Judgement, OutcomeStatement, Rating, Review
from storage.periods import parse_quarter
from tests.conftest import SAMPLE

FACILITATOR, ANN = "UFAC", "UANN"
Q2, Q3 = parse_quarter("2026/27 Q2"), parse_quarter("2026/27 Q3")
CODE = "ASCOF 2B(1)"
AT_HOME = "Older people stay living in their own homes"


def judged_q2(factory) -> tuple[int, int]:
    """Q2 agreed with one outcome linked to ASCOF 2B(1), and judged: (review, outcome)."""
    for kind in ("indicators", "values"):
        import_file(factory, kind, SAMPLE / f"{kind}.csv")
    with factory.unit_of_work() as session:
        teams.name_facilitator(session, "Older People's Services", FACILITATOR)
        team, _ = teams.setup_team(session, "C1", "Older People's Services", FACILITATOR)
        review, _ = outcomes.start_review(session, team, Q2, FACILITATOR)
        outcome, _ = outcomes.propose(session, review, AT_HOME, ANN, "1.1")
        linked = [queries.indicator_id(session, CODE)]
        (agreed,) = outcomes.agree(
            session,
            review,
            FACILITATOR,
            [outcomes.Decision(AT_HOME, [outcome.id], linked)],
            {outcome.id},
        ).agreed
        judgement.record_judgement(
            session,
            review,
            FACILITATOR,
            [
                Rated(agreed.id, Rating.SOME_PROGRESS, "Going the right way."),
                Rated(None, Rating.SOME_PROGRESS),
            ],
            [],
            {},
        )
        return review.id, agreed.id


def test_the_linked_indicators_are_kept_as_they_read_when_judged(factory):
    review_id, outcome_id = judged_q2(factory)  # kept as the judgement is recorded
    with factory.unit_of_work() as session:  # kept once: the record's delivery changes nothing
        assert keep_indicators_then(session, session.get(Review, review_id), 4) == 0
    with factory() as session:
        (kept,) = (
            session.exec(select(Judgement).where(Judgement.outcome_id == outcome_id))
            .one()
            .indicators_then
        )
    assert kept["code"] == CODE and kept["period_end"] == "2026-09-30"
    assert kept["variation"] == "special_cause_improvement" and kept["variation_side"] == "high"

    # The September figure is corrected afterwards: the judged reading stays as it was.
    with factory.unit_of_work() as session:
        value = session.exec(
            select(IndicatorValue)
            .where(IndicatorValue.indicator_id == queries.indicator_id(session, CODE))
            .order_by(IndicatorValue.period_end.desc())
        ).first()
        value.value = 10.0
        session.add(value)

    # Carried over into Q3, the outcome's story and the Q3 report show Q2's reading.
    with factory.unit_of_work() as session:
        team = teams.team_for_channel(session, "C1")
        q3, _ = outcomes.start_review(session, team, Q3, FACILITATOR)
        earlier = session.get(OutcomeStatement, outcome_id)
        carried, _ = outcomes.propose(session, q3, AT_HOME, None, None, carried_from=earlier)
        outcomes.agree(
            session, q3, FACILITATOR, [outcomes.Decision(AT_HOME, [carried.id])], {carried.id}
        )
        story = story_before(session, carried)
        q3_id = q3.id
    (then,) = story.quarters[0].indicators
    assert (then.code, then.value, then.variation) == (
        CODE,
        kept["value"],
        "special_cause_improvement",
    )
    with factory() as session:
        report = build_report(session, session.get(Review, q3_id), Q3.end, 4, charts=False)
        history = team_history(session, teams.team_for_channel(session, "C1"))
    markdown = render(report, "md").decode()
    assert (
        f"Indicators then: {CODE} {kept['value']}% (Sep 2026): special cause variation of an "
        "improving nature where the measure is significantly higher" in markdown
    )
    (before,) = json.loads(render(report, "json"))["outcomes"][0]["since_last_time"]["quarters"]
    assert before["indicators"][0]["variation"] == "special_cause_improvement"
    assert history.outcomes[0].quarters[0].indicators == (then,)
