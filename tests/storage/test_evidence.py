"""The evidence engine against a real database: the JSON contract, peers, outcomes, charts."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

from bot.cli.main import main
from bot.shared.charts import indicator_chart, overview_chart
from reviews.evidence import build_evidence
from reviews.evidence.contract import evidence_json
from reviews.teams import update_team
from storage.imports import Mapping, Options, import_file
from storage.models import (
    Indicator,
    OutcomeIndicator,
    OutcomeStatement,
    OutcomeStatus,
    Review,
    ReviewStage,
    Team,
)
from storage.periods import parse_quarter
from tests.conftest import REAL, SAMPLE
from tests.helpers.files import write

Q2 = parse_quarter("2026/27 Q2")
TODAY = date(2026, 11, 26)
FLAGS = {"common_cause", "improvement", "concern", "neutral"}
ASSURANCE = {"consistent_pass", "consistent_fail", "inconsistent", None}


@pytest.fixture
def sample(factory):
    for kind in ["indicators", "values", "complaints", "survey", "views"]:
        import_file(factory, kind, SAMPLE / f"{kind}.csv")
    import_file(factory, "comparators", SAMPLE / "examples" / "comparators.csv")
    return factory


def q2_review(session, team: Team) -> Review:
    """The team's review of 2026/27 Q2, at the evidence stage."""
    review = Review(
        team_id=team.id,
        period_label=Q2.label,
        period_start=Q2.start,
        period_end=Q2.end,
        stage=ReviewStage.EVIDENCE,
    )
    session.add(review)
    session.flush()
    return review


def evidence_for(factory, team="Older People's Services", period=Q2):
    with factory() as session:
        return build_evidence(session, team, period, TODAY)


def test_the_json_follows_the_contract(sample):
    data = json.loads(json.dumps(evidence_json(evidence_for(sample))))
    assert data["team"] == "Older People's Services" and data["period"] == "2026/27 Q2"
    assert {"indicators", "surveys", "complaints", "views", "comparators"} <= set(data)
    for indicator in data["indicators"]:
        assert {"code", "polarity", "target", "latest", "spc", "assurance"} <= set(indicator)
        assert set(indicator["latest"]) >= {"value", "period_end", "age_days"}
        assert indicator["assurance"] in ASSURANCE
        if indicator["spc"] is not None:
            assert {"centre", "lower", "upper", "points"} <= set(indicator["spc"])
            assert {p["flag"] for p in indicator["spc"]["points"]} <= FLAGS
            assert all(
                {"period_end", "value", "flag"} <= set(p) for p in indicator["spc"]["points"]
            )
    for finding in data["surveys"]:
        assert {
            "survey",
            "wave",
            "question",
            "positive",
            "base",
            "percent",
            "ci_low",
            "ci_high",
        } <= set(finding)
        assert 0 <= finding["ci_low"] <= finding["percent"] <= finding["ci_high"] <= 100


def test_the_sample_teams_built_in_features_are_read_honestly(sample):
    by_code = {e.code: e for e in evidence_for(sample).indicators}
    step = by_code["ASCOF 2B(1)"]  # steps up from October 2024
    assert step.latest.value == 84.4 and step.latest.period_end == date(2026, 9, 30)
    assert (step.variation, step.variation_side) == ("special_cause_improvement", "high")
    assert by_code["ASCOF 2D"].missing_periods == [date(2025, 2, 28)]
    # The 2025/26 survey figure is the newest published: current, though months old.
    satisfaction = by_code["ASCOF 3A"]
    assert satisfaction.freshness.status == "current" and satisfaction.age_days > 200
    assert (satisfaction.spc, satisfaction.no_spc_reason) == (None, "too_few_points")
    # Rolling 12-month series are shown, never read by SPC rules.
    for code in ("ASCOF 2A(2)", "OFLOG ASC6", "SFC TURNOVER", "LOCAL REVIEW12"):
        assert (by_code[code].spc, by_code[code].no_spc_reason) == (None, "rolling_series")
    outlier = by_code["LOCAL WAITDAYS"].spc.points
    spike = next(p for p in outlier if p.period_end == date(2025, 1, 31))
    assert spike.flag == "concern" and "outside limits" in spike.rules
    late = {
        e.code: e for e in evidence_for(sample, "Adults with Learning Disabilities").indicators
    }["LOCAL REVIEW12"]
    assert late.latest.period_end == date(2026, 6, 30)
    assert (late.freshness.status, late.freshness.next_expected) == ("late", date(2026, 8, 30))
    # The caseload's steady fall ends in a run below the old centre: its limits describe the
    # process before the change, so no assurance is read from them ("consistently fails"
    # beside "meets the target" and "improvement" was the old process speaking), and the
    # note says how to recalculate.
    caseload = {e.code: e for e in evidence_for(sample, "Children in Need").indicators}[
        "CIN CASELOAD"
    ]
    assert caseload.variation == "special_cause_improvement"
    assert (caseload.assurance, caseload.assurance_why_not) == (None, "stale_limits")
    assert any(
        "the limits predate a sustained change from" in n
        and 'qpr indicator "CIN CASELOAD" --recalculate-from' in n
        for n in caseload.notes
    )


def test_every_figure_carries_its_period(sample):
    data = evidence_for(sample)
    for e in data.indicators:
        assert e.latest.period_end
        for change in (e.previous_quarter, e.year_before):
            assert change is None or change.against.period_end
    assert data.complaints.period == Q2 and data.views.period == Q2


def test_complaints_are_counted_for_the_quarter(sample):
    c = evidence_for(sample).complaints
    assert (c.received, c.previous_quarter, c.same_quarter_last_year) == (16, 21, 12)
    assert c.categories[0].category == "delays"
    # Every category is listed, so what is shown adds up to the total.
    assert sum(k.count for k in c.categories if isinstance(k.count, int)) <= 16


def test_a_team_is_ranked_among_its_peers_without_its_own_area(factory, tmp_path):
    import_file(factory, "indicators", SAMPLE / "indicators.csv")
    trafford = [63.8, 56.7, 61.0, 62.9, 66.6, 84.8]
    lines = "".join(
        f"Trafford Adults,ASCOF 3A,{2015 + i}-03-31,{v}\n" for i, v in enumerate(trafford)
    )
    import_file(
        factory, "values", write(tmp_path, "v.csv", "team,indicator,period_end,value\n" + lines)
    )
    import_file(
        factory,
        "comparators",
        REAL / "trafford_nn_ascof3a_satisfaction_2014-15_to_2024-25.csv",
        Options(mapping=Mapping(indicator="ASCOF 3A")),
    )
    q4 = parse_quarter("2019/20 Q4")
    # A team's own figure is not ranked among councils unless it is its council's.
    assert evidence_for(factory, "Trafford Adults", q4).comparators == []
    with factory.unit_of_work() as session:
        update_team(session, "Trafford Adults", council_figures=True)
    (placed,) = evidence_for(factory, "Trafford Adults", q4).comparators
    assert (placed.period_label, placed.of, placed.england) == ("2019/20", 17, 64.2)
    with factory.unit_of_work() as session:
        update_team(session, "Trafford Adults", area_code="E08000009")
    (placed,) = evidence_for(factory, "Trafford Adults", q4).comparators
    assert (placed.rank, placed.of, placed.quartile) == (1, 16, 1)
    assert placed.gap_to_average == pytest.approx(84.8 - placed.peer_average)


def test_a_team_that_is_part_of_a_council_is_shown_its_councils_place_as_the_councils(
    factory, tmp_path
):
    import_file(factory, "indicators", SAMPLE / "indicators.csv")
    rows = "".join(
        f"{team},ASCOF 3A,2025-03-31,{v}\n"
        for team, v in (("Older adults", 60.8), ("Learning disabilities", 68.7))
    )
    import_file(
        factory, "values", write(tmp_path, "v.csv", "team,indicator,period_end,value\n" + rows)
    )
    import_file(
        factory,
        "comparators",
        REAL / "trafford_nn_ascof3a_satisfaction_2014-15_to_2024-25.csv",
        Options(mapping=Mapping(indicator="ASCOF 3A")),
    )
    places = []
    for team in ("Older adults", "Learning disabilities"):
        with factory.unit_of_work() as session:
            update_team(session, team, area_code="E08000009")
        (placed,) = evidence_for(factory, team, parse_quarter("2026/27 Q2")).comparators
        places.append(placed)
    # Two teams of one council: one place, the council's own, of its own year.
    assert places[0] == places[1]
    assert (places[0].council, places[0].team_value, places[0].period_label) == (
        "Trafford",
        58.1,
        "2024/25",
    )
    from bot.base.wording import rank_text

    assert rank_text(places[0]).startswith("the council's figure 58.1% (Trafford, 2024/25): ")


def test_a_councils_published_figures_are_its_teams_when_it_has_none_of_its_own(factory, tmp_path):
    import_file(factory, "indicators", SAMPLE / "indicators.csv")
    import_file(
        factory,
        "comparators",
        REAL / "trafford_nn_ascof3a_satisfaction_2014-15_to_2024-25.csv",
        Options(mapping=Mapping(indicator="ASCOF 3A")),
    )
    complaint = "team,received,category,outcome\nTrafford Adults,2020-02-03,delays,open\n"
    import_file(factory, "complaints", write(tmp_path, "c.csv", complaint))
    assert evidence_for(factory, "Trafford Adults", parse_quarter("2019/20 Q4")).indicators == []
    with factory.unit_of_work() as session:
        update_team(session, "Trafford Adults", area_code="E08000009")

    (satisfaction,) = evidence_for(
        factory, "Trafford Adults", parse_quarter("2019/20 Q4")
    ).indicators
    assert (satisfaction.latest.value, satisfaction.latest.period_end) == (84.8, date(2020, 3, 31))
    assert satisfaction.from_area == "E08000009"
    placed = satisfaction.placement
    assert (placed.period_label, placed.rank, placed.of, placed.peer_group) == (
        "2019/20",
        1,
        16,
        "nearest neighbours",
    )
    # Published for 2021/22, after the year the survey was not run: the gap is named.
    later = evidence_for(factory, "Trafford Adults", parse_quarter("2021/22 Q4")).indicators[0]
    assert later.latest.value == 62.3 and later.missing_periods == [date(2021, 3, 31)]

    from bot.base.wording import peers_text

    assert (
        peers_text(placed)
        == "rank 1 of 16 nearest neighbours in 2019/20 (1st quartile: the best quarter)"
    )


def test_outcomes_link_to_evidence_and_name_their_gaps(sample):
    with sample.unit_of_work() as session:
        team = session.exec(select(Team).where(Team.name == "Older People's Services")).one()
        review = q2_review(session, team)
        linked = OutcomeStatement(
            review_id=review.id,
            status=OutcomeStatus.AGREED,
            text="Older people stay living in their own homes",
            tags=["reablement"],
        )
        gap = OutcomeStatement(
            review_id=review.id,
            status=OutcomeStatus.AGREED,
            text="Carers get a break when they need one",
        )
        proposed = OutcomeStatement(
            review_id=review.id, status=OutcomeStatus.PROPOSED, text="Not agreed, so not shown"
        )
        session.add_all([linked, gap, proposed])
        session.flush()
        code_3a = session.exec(select(Indicator).where(Indicator.code == "ASCOF 3A")).one()
        session.add(OutcomeIndicator(outcome_id=linked.id, indicator_id=code_3a.id))
    outcomes = evidence_for(sample).outcomes
    assert [o.text for o in outcomes] == [
        "Older people stay living in their own homes",
        "Carers get a break when they need one",
    ]
    first, second = outcomes
    assert "ASCOF 3A" in first.indicator_codes and "ASCOF 2B(1)" in first.indicator_codes
    assert not first.is_gap
    assert second.is_gap and "ASCOF 1D" in second.suggested_codes


def test_charts_are_png_images(sample):
    data = evidence_for(sample)
    for png in (indicator_chart(data.indicators[0]), overview_chart(data)):
        assert png.startswith(b"\x89PNG") and len(png) > 5000


def test_qpr_evidence_prints_text_json_and_refuses_bad_input(
    sample, database_url, monkeypatch, capsys, tmp_path
):
    monkeypatch.setenv("DATABASE_URL", database_url)
    args = ["evidence", "--team", "older people's services", "--as-of", "2026-11-26"]
    assert main([*args, "--period", "Q2 2026/27"]) == 0
    assert "Older People's Services: evidence for 2026/27 Q2" in capsys.readouterr().out
    assert main([*args, "--format", "json", "--charts", str(tmp_path / "c")]) == 0
    assert json.loads(capsys.readouterr().out)["period"] == "2026/27 Q2"
    assert (tmp_path / "c" / "ASCOF_2B_1.png").exists()
    assert main([*args, "--period", "2026/27 Q5"]) == 2
    assert "no quarter 5" in capsys.readouterr().err
    assert main(["evidence", "--team", "Nobody"]) == 1
    assert "There is no team called 'Nobody'" in capsys.readouterr().err


def test_every_indicator_in_the_json_carries_the_contracts_reading_fields(sample):
    data = json.loads(json.dumps(evidence_json(evidence_for(sample))))
    variations = {
        "common_cause",
        "special_cause_improvement",
        "special_cause_concern",
        "special_cause_neutral",
        None,
    }
    reasons = {"too_few_points", "rolling_series", "cumulative_series"}
    for indicator in data["indicators"]:
        assert indicator["basis"] in {"point", "rolling_12_months", "year_to_date"}
        assert indicator["frequency"] in {"monthly", "quarterly", "annual"}
        assert indicator["variation"] in variations
        assert indicator["freshness"]["status"] in {"current", "late"}
        assert indicator["freshness"]["next_expected"]
        if indicator["spc"] is None:
            assert indicator["no_spc_reason"] in reasons and indicator["variation"] is None
        else:
            assert indicator["no_spc_reason"] is None and indicator["variation"] is not None
        for context in ("previous_quarter", "year_before"):
            assert indicator[context] is None or "reading" not in indicator[context]


def test_data_notes_go_to_facilitators_once_and_not_into_the_thread(sample):
    from bot.slack.blocks.evidence import evidence_messages
    from bot.slack.blocks.needs import TeamState, home_view
    from reviews.evidence.quality import data_notes

    evidence = evidence_for(sample, "Adults with Learning Disabilities")
    notes = {(n.code, n.kind): n.text for n in data_notes(evidence)}
    assert notes[("ASCOF 2D", "missing")] == "no figure for Feb 2025"
    assert notes[("LOCAL REVIEW12", "late")] == (
        "the figure for Jul 2026 was expected by 30 Aug 2026; the latest is Jun 2026"
    )
    thread = json.dumps([m.blocks for m in evidence_messages(evidence)])
    assert "Feb 2025" not in thread and "expected by" not in thread
    # The thread says a figure is late in one word; the note says when it was expected.
    with sample() as session:
        december = build_evidence(session, "Older People's Services", Q2, date(2026, 12, 6))
    lines = json.dumps([m.blocks for m in evidence_messages(december)]).split("\\n")
    for code, late in (("LOCAL WAITDAYS", True), ("ASCOF 2B(1)", False), ("ASCOF 3A", False)):
        line = next(x for x in lines if f"*{code}*" in x)
        assert (", late" in line) is late, code
    # 2B(1) counts who is home 91 days after discharge: its figure comes after that.
    older = {e.code: e for e in evidence_for(sample).indicators}
    assert older["ASCOF 2B(1)"].freshness.lag_days == 120 and not older["ASCOF 2B(1)"].out_of_date
    with sample() as session:
        team = session.exec(select(Team).where(Team.name == evidence.team)).one()
    home = json.dumps(
        home_view([TeamState(team, None, "", data_notes(evidence))], [], TODAY)["blocks"]
    )
    assert "Data to check" in home and "no figure for Feb 2025" in home


def test_a_place_among_peers_goes_with_the_indicator_wherever_it_is_shown(sample):
    from bot.shared.terminal import render_evidence
    from bot.slack.blocks.evidence import detail_view, evidence_messages

    with sample.unit_of_work() as session:
        update_team(session, "Older People's Services", council_figures=True)
    evidence = evidence_for(sample)
    placed = {e.code: e.placement for e in evidence.indicators if e.placement}
    assert "ASCOF 3A" in placed
    glance = "\n".join(
        block["text"]["text"]
        for message in evidence_messages(evidence)
        for block in message.blocks
        if block["type"] == "section"
    )
    line = next(line for line in glance.split("\n") if "*ASCOF 3A*" in line)
    # Which end is best, said, and how sure a place is from a survey of 201 people.
    assert "2nd best of 4 comparable councils (2024/25; 3 of them within its margin" in line
    detail = "\n".join(
        b["text"]["text"] for b in detail_view(evidence, 0)["blocks"] if b["type"] == "section"
    )
    line = next(line for line in detail.split("\n") if "*ASCOF 3A*" in line)
    assert "among peers: rank 2 of 4 comparable councils in 2024/25 (2nd quartile; 3" in line
    assert "among peers: rank" in render_evidence(evidence).split("ASCOF 3A", 1)[1]


def test_an_outcome_carries_the_complaints_views_and_survey_findings_linked_to_it(sample):
    from reviews import outcomes as outcome_rules
    from reviews.errors import QprError
    from reviews.teams import name_facilitator, setup_team

    question = (
        "Overall, how satisfied or dissatisfied are you with the care and support services "
        "you receive?"
    )
    with sample.unit_of_work() as session:
        # Its data is loaded: the operator names its first facilitator.
        name_facilitator(session, "Older People's Services", "UFAC")
        team, _ = setup_team(session, "C1", "Older People's Services", "UFAC")
        review = q2_review(session, team)
        waiting = OutcomeStatement(
            review_id=review.id,
            status=OutcomeStatus.AGREED,
            text="People get an assessment without a long wait",
        )
        session.add(waiting)
        session.flush()
        with pytest.raises(QprError, match="Only a facilitator"):
            outcome_rules.relink(session, review, "UANN", waiting.id, [], {})
        outcome_rules.relink(
            session,
            review,
            "UFAC",
            waiting.id,
            [],
            {
                "complaint_category": ["delays"],
                "view_theme": ["waiting times"],
                "survey_question": [question],
            },
        )
    evidence = evidence_for(sample)
    (found,) = evidence.outcomes
    assert not found.is_gap and found.indicator_codes == []
    assert found.complaint_categories == ["delays"]
    delays = next(c for c in evidence.complaints.categories if c.category == "delays")
    assert found.complaints.received == delays.count == 5 and found.complaints.period == Q2
    assert found.complaints.previous_quarter == delays.previous_quarter
    assert found.complaints.categories == [delays]  # the team's row, not counted afresh
    assert found.view_themes == ["waiting times"]
    # 5 or more views on waiting times: a few are quoted, by their month.
    assert found.views.total == 8 and {q.theme for q in found.views.quotes} == {"waiting times"}
    assert all(q.month.day == 1 for q in found.views.quotes)
    assert [s.question for s in found.surveys] == [question]
    # What is not linked but matches is offered with its reason.
    offered = {s.key: s.reason for s in found.suggestions}
    assert offered["LOCAL WAITDAYS"] == "matches \u201cassessment\u201d in the statement"
    assert "LOCAL REVIEW12" not in offered
    data = json.loads(json.dumps(evidence_json(evidence_for(sample))))
    (outcome,) = data["outcomes"]
    assert outcome["survey_questions"] == [question] and outcome["evidence_gap"] is False
    assert outcome["complaint_categories"] == ["delays"] and outcome["view_themes"] == [
        "waiting times"
    ]


def test_every_figure_says_its_unit_a_scores_scale_and_what_a_count_counts(sample):
    from bot.base.wording import latest_text, target_text

    older = {e.code: e for e in evidence_for(sample).indicators}
    assert latest_text(older["ASCOF 1D"]).startswith("7.4 out of 12 (2025/26")
    children = {e.code: e for e in evidence_for(sample, "Children in Need").indicators}
    caseload = children["CIN CASELOAD"]
    assert latest_text(caseload).startswith("17.1 cases per social worker (Sep 2026")
    assert target_text(caseload).endswith("target 18.0 cases per social worker")
    data = {i["code"]: i for i in evidence_json(evidence_for(sample))["indicators"]}
    assert data["ASCOF 1D"]["unit_words"] == "out of 12"
    assert data["ASCOF 2B(1)"]["difference_unit"] == "percentage points"
    assert data["LOCAL WAITDAYS"]["difference_unit"] == "days"
