"""The judgement form, the App Home and the needs list stay within Slack's limits, however
much they have to show."""

from __future__ import annotations

import json
from datetime import date

from bot.slack.blocks.judge import Form, modal
from bot.slack.blocks.needs import TeamState, home_view, needs_message
from reviews.cases.agree import Linkable
from reviews.evidence.quality import DataNote
from storage.models import Indicator, InformationNeed, NeedStatus, OutcomeStatement, Team
from tests.helpers.slack_limits import problems


def _form(outcomes: int, gaps: int, earlier: int, indicators: int) -> Form:
    statements = [
        OutcomeStatement(id=i, review_id=1, text=f"Outcome {i} " + "x" * 990, status="agreed")
        for i in range(1, outcomes + 1)
    ]
    return Form(
        review_id=1,
        period_label="2026/27 Q2",
        outcomes=statements,
        saved={},
        gaps=statements[:gaps],
        earlier=[
            InformationNeed(
                id=100 + i,
                team_id=1,
                review_id=0,
                text="n" * 1000,
                status=NeedStatus.OPEN,
                due=date(2026, 12, 31),
            )
            for i in range(earlier)
        ],
        indicators=[
            Indicator(id=i, code=f"PI {i}", title="t" * 200, unit="percent", polarity="higher")
            for i in range(indicators)
        ],
        due=date(2026, 12, 31),
    )


def test_the_largest_form_keeps_within_slacks_limits_on_every_page():
    form = _form(outcomes=20, gaps=20, earlier=60, indicators=300)
    assert form.pages == 4
    for page in range(form.pages):
        view = modal(form, page)
        assert problems(view["blocks"], "modal") == []
        assert len(view["title"]["text"]) <= 24 and len(view["private_metadata"]) <= 3000
    last = modal(form, form.pages - 1)
    assert sum(b.get("block_id", "").endswith("_text") for b in last["blocks"]) == 8
    # What does not fit is counted, and where it is said.
    shown = json.dumps(last["blocks"])
    assert "48 more stay open: `/qpr needs` lists them" in shown
    assert "13 more outcomes have no evidence either" in shown
    assert "220 more indicators have no room in this list" in shown  # 20 outcomes, 300 of them


def test_six_outcomes_fit_on_one_screen():
    form = _form(outcomes=6, gaps=0, earlier=0, indicators=5)
    assert form.pages == 1
    view = modal(form)
    assert view["submit"]["text"] == "Record"
    assert sum(b.get("block_id", "").startswith("rate_") for b in view["blocks"]) == 7


def test_the_limit_checks_catch_what_slack_would_refuse():
    select = {
        "type": "static_select",
        "action_id": "s",
        "options": [{"text": {"type": "plain_text", "text": "o" * 76}, "value": "v"}],
    }
    bad = [
        {
            "type": "input",
            "block_id": "a",
            "label": {"type": "plain_text", "text": "l"},
            "element": select,
        },
        {"type": "section", "block_id": "a", "text": {"type": "mrkdwn", "text": "t" * 3001}},
    ]
    assert len(problems(bad, "modal")) == 3


def test_the_home_tab_and_the_needs_list_keep_within_slacks_limits():
    team = Team(id=1, name="T" * 120, name_key="t", slack_channel_id="C1")
    states = [TeamState(team, None, "Next meeting Tuesday 12 January 2027.") for _ in range(50)]
    owned = [
        (
            InformationNeed(
                id=i,
                team_id=1,
                review_id=1,
                text="n" * 1000,
                owner_user_id="U1",
                status=NeedStatus.OPEN,
                due=date(2026, 1, 1),
            ),
            team,
        )
        for i in range(80)
    ]
    view = home_view(states, owned, date(2026, 11, 26), notice="x" * 5000)
    assert problems(view["blocks"], "home") == []
    # A facilitator of many teams, each with overdue needs and data to check: the teams
    # listed are as many as fit, and the needs they own are all still there.
    need = owned[0][0]
    note = DataNote("ASCOF 1A", "late", "x" * 500)
    busy = [TeamState(team, None, "", [note] * 9, [need] * 9) for _ in range(50)]
    view = home_view(busy, owned, date(2026, 11, 26))
    assert problems(view["blocks"], "home") == []
    assert "more teams: `/qpr status` in each" in str(view["blocks"])
    assert "And 40 more: `/qpr needs`" in str(view["blocks"][-1])
    assert "(overdue)" in str(view["blocks"])
    _, blocks = needs_message(team.name, [n for n, _ in owned], date(2026, 11, 26))
    assert problems(blocks, "message") == []
    assert "And 40 more" in str(blocks)


def test_the_forms_that_link_evidence_stay_within_limits_however_much_there_is():
    from bot.slack.blocks.links import Choices, links_modal
    from bot.slack.blocks.review import agree_modal
    from reviews.evidence.model import Suggestion
    from reviews.outcomes import Proposal
    from storage.models import Review

    indicators = [
        Indicator(id=i, code=f"PI {i}", title="t" * 200, unit="percent", polarity="higher")
        for i in range(120)
    ]
    names = {
        "complaint_category": [f"category {i}" for i in range(40)],
        "view_theme": [f"theme {i}" for i in range(40)],
        "survey_question": [f"Question {i}? " + "q" * 480 for i in range(40)],
    }
    choices = Choices.of(Linkable(indicators, names))
    assert sum(len(g["options"]) for g in choices.groups) == 100
    review = Review(id=1, team_id=1, period_label="2026/27 Q2")
    statements = [
        OutcomeStatement(id=i, review_id=1, text="s" * 1000, status="proposed") for i in range(60)
    ]
    suggested = {
        s.id: [Suggestion("indicator", f"PI {i}", "matches \u201cword\u201d") for i in range(90)]
        for s in statements
    }
    proposals = [Proposal(s, ["U1"]) for s in statements]
    assert (
        problems(
            agree_modal(review, proposals, choices, suggested, seen=1, more=500)["blocks"], "modal"
        )
        == []
    )
    rows = [(s, {"indicator": ["PI 1"]}, suggested[s.id]) for s in statements]
    assert problems(links_modal(review, rows, choices)["blocks"], "modal") == []


def test_the_overview_of_many_teams_keeps_within_a_message_and_the_app_home():
    from bot.shared.reports.teams import TeamsReport
    from bot.slack.blocks.overview import overview_blocks
    from reviews.overview import OutcomeLine, Overview, TeamLine
    from storage.periods import parse_quarter

    team = TeamLine(
        team="T" * 120,
        channel="C1",
        facilitators=[f"U{i}" for i in range(9)],
        stage="evidence",
        meeting=date(2026, 10, 14),
        outcomes=[OutcomeLine("o" * 1000, "some progress", True) for _ in range(12)],
        overall=None,
        overall_rationale="r" * 3000,
        open_needs=40,
        overdue_needs=12,
        key=[_key_indicator(n) for n in range(9)],
        late="not judged a week after its meeting on 14 October 2026",
        before=("2026/27 Q1", "good progress"),
    )
    paper = TeamsReport(Overview(parse_quarter("2026/27 Q2"), date(2026, 11, 30), [team] * 60))
    text, blocks = overview_blocks(paper)
    assert problems(blocks, "message") == [] and "And 20 more teams" in str(blocks)
    assert "…and 4 more key indicators" in str(blocks) and "KEY 0" in str(blocks)
    assert "60 teams, 0 judged, 60 late" in text
    _, across = overview_blocks(paper, home=True)
    home_team = Team(id=1, name="T", name_key="t", slack_channel_id="C1")
    need = InformationNeed(
        id=1, team_id=1, review_id=1, text="n" * 1000, status=NeedStatus.OPEN, due=date(2026, 1, 1)
    )
    note = DataNote("ASCOF 1A", "late", "x" * 500)
    states = [TeamState(home_team, None, "", [note] * 9, [need] * 9) for _ in range(50)]
    owned = [(need, home_team)] * 80
    view = home_view(states, owned, date(2026, 11, 30), notice="x" * 5000, across=across)
    assert problems(view["blocks"], "home") == []
    assert "60 late" in str(view["blocks"][:3])  # the overview comes first


def _key_indicator(n: int):
    from reviews.evidence.indicators import indicator_evidence
    from reviews.evidence.model import Figure
    from storage.periods import month_end_after

    indicator = Indicator(
        id=n,
        code=f"KEY {n}",
        title="t" * 300,
        unit="percent",
        polarity="higher",
        target=80.0,
        key=True,
        caveats="c" * 500,
    )
    ends = [month_end_after(date(2026, 9, 30), -k) for k in range(24, -1, -1)]
    figures = [Figure(70.0 + (k % 5), end) for k, end in enumerate(ends)]
    return indicator_evidence(indicator, figures, date(2026, 11, 30))


def test_the_shortlist_of_any_number_of_proposals_stays_within_limits():
    from bot.slack.blocks.review import MAX_LISTED, MAX_MODAL_PROPOSALS, shortlist_modal
    from reviews.outcomes import Proposal
    from storage.models import Review

    review = Review(id=1, team_id=1, period_label="2026/27 Q2")
    for count, text in ((40, "s"), (150, "s"), (500, "s"), (2000, "s"), (500, "&")):
        proposals = [
            Proposal(
                OutcomeStatement(id=i, review_id=1, text="<!channel> " + text * 990),
                [f"U{j}" for j in range(i % 7)],
            )
            for i in range(1, count + 1)
        ]
        view = shortlist_modal(review, proposals, seen=count)
        assert problems(view["blocks"], "modal") == [], count
        assert len(json.dumps(view)) < 250_000  # Slack's view_too_large
        sections = [b["text"]["text"] for b in view["blocks"] if b["type"] == "section"]
        assert "<!channel>" not in "".join(sections)  # mrkdwn: escaped as every user text
        offered = [
            o["value"]
            for b in view["blocks"]
            if b.get("block_id", "").startswith("shortlist_")
            for o in b["element"]["options"]
        ]
        assert len(offered) == min(count, MAX_LISTED)
        first = next(b for b in view["blocks"] if b.get("block_id") == "shortlist_0")
        assert len(first["element"]["initial_options"]) == MAX_MODAL_PROPOSALS
        said = json.dumps(view)
        assert (f"And {count - MAX_LISTED} more" in said) == (count > MAX_LISTED)
        # Each listed proposal is in the list whole, or the list says where the rest are.
        listed = "\n".join(sections).count(" (no support yet) ") + "\n".join(sections).count(
            ":+1:) "
        )
        assert (
            listed == min(count, MAX_LISTED) or f"The list has room for the first {listed}:" in said
        )


def test_a_message_with_files_shows_its_heading_and_dates_as_sections_or_is_refused():
    from bot.slack.blocks.kit import context, header, section
    from bot.slack.blocks.messages import with_files

    shown = with_files([header("Evidence <for> Q2"), context("As of 26 Nov"), section("*1.*")])
    assert shown == [
        {"type": "section", "text": {"type": "mrkdwn", "text": "*Evidence &lt;for&gt; Q2*"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "As of 26 Nov"}},
        section("*1.*"),
    ]
    # A block Slack refuses beside files: the message goes without them, and they apart.
    assert with_files([section("a"), {"type": "markdown", "text": "**b**"}]) is None
