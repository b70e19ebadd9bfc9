"""The report a council sends upward: a summary on page one, every outcome with all its
evidence, figures at their published precision, and a PDF that is the HTML printed and
tagged for accessibility. One judged review of the sample data is reported once for the
whole module, as rendering a PDF takes a second or two."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser

import jsonschema
import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from bot.base.wording import category_line
from bot.demo.play import DEMO_TEAM
from bot.shared.reports import FORMATS, render
from bot.shared.reports.as_csv import as_csv
from bot.shared.reports.as_html import STYLE, as_html
from bot.shared.reports.as_json import SCHEMA_PATH
from bot.shared.reports.markdown import markdown as markdown_of
from bot.shared.reports.report import build_report
from bot.shared.reports.words import category_cells
from reviews import judgement, outcomes, teams
from reviews.evidence.model import CategoryCount
from reviews.judgement import NewNeed, Rated
from storage.models import Rating, Review
from storage.periods import parse_quarter
from tests.helpers.reader import given_away
from tests.helpers.teams import sample_store

FACILITATOR, ANN, BEN = "UFATIMA", "UANN", "UBEN"
SATISFIED = (
    "Overall, how satisfied or dissatisfied are you with the care and support services you receive?"
)
OUTCOMES = [
    (
        ANN,
        "Older people stay living in their own homes",
        ["ASCOF 2B(1)", "LOCAL WAITDAYS"],  # ASCOF 3A, key, is left unlinked, as in the demo
        {"survey_question": [SATISFIED], "view_theme": ["reablement"]},
    ),
    (
        BEN,
        "People get an assessment without a long wait",
        ["LOCAL ASSESS28"],
        # Beside the team's own counts, the total for these two would tell a count below 5,
        # so it is withheld (secondary suppression).
        {"complaint_category": ["delays", "assessment decision"], "view_theme": ["waiting times"]},
    ),
]
NEED = "Why do waits for occupational therapy stay above target?"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    factory, ids = sample_store(tmp_path_factory.mktemp("reports"), FACILITATOR)
    with factory.unit_of_work() as session:
        team, _ = teams.setup_team(session, "C1", DEMO_TEAM, FACILITATOR)
        # Its figures are its council's, so ranked among councils.
        teams.update_team(session, DEMO_TEAM, council_figures=True)
        review, _ = outcomes.start_review(session, team, parse_quarter("2026/27 Q2"), FACILITATOR)
        proposed = [
            outcomes.propose(session, review, text, user, f"1.{i}")[0]
            for i, (user, text, _, _) in enumerate(OUTCOMES)
        ]
        decisions = [
            outcomes.Decision(text, [p.id], [ids[c] for c in codes], links)
            for p, (_, text, codes, links) in zip(proposed, OUTCOMES, strict=True)
        ]
        agreed = outcomes.agree(
            session, review, FACILITATOR, decisions, {p.id for p in proposed}
        ).agreed
        rated = [
            Rated(agreed[0].id, Rating.SOME_PROGRESS, "More people stay at home."),
            Rated(agreed[1].id, Rating.NOT_ENOUGH_PROGRESS, "Waits miss their target."),
            Rated(None, Rating.SOME_PROGRESS, "Home, yes; waiting, no."),
        ]
        need = NewNeed(NEED, ANN, date(2026, 12, 31), agreed[1].id)
        judgement.record_judgement(session, review, FACILITATOR, rated, [need], {})
        review_id = review.id
    with factory() as session:
        made = build_report(session, session.get(Review, review_id), date(2026, 11, 26))
    factory.engine.dispose()
    return made


@pytest.fixture(scope="module")
def files(report) -> dict[str, bytes]:
    """The report in every format, each rendered once for the module."""
    return {fmt: render(report, fmt) for fmt in FORMATS}


@pytest.fixture(scope="module")
def html(files) -> str:
    return files["html"].decode()


@pytest.fixture(scope="module")
def markdown(files) -> str:
    return files["md"].decode()


@pytest.fixture(scope="module")
def pdf(files) -> PdfReader:
    return PdfReader(io.BytesIO(files["pdf"]))


@pytest.fixture(scope="module")
def pages(pdf) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text()) for page in pdf.pages]


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images: list[dict] = []
        self.headings: list[str] = []
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))
        elif re.fullmatch(r"h[1-4]", tag):
            self._heading = []

    def handle_data(self, data):
        if self._heading is not None:
            self._heading.append(data)

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-4]", tag) and self._heading is not None:
            self.headings.append(re.sub(r"\s+", " ", "".join(self._heading)).strip())
            self._heading = None


def tags(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    return parser


def structure(node) -> list:
    """Every element of the PDF's structure tree under `node`."""
    node = node.get_object()
    found = [node]
    kids = node.get("/K")
    kids = kids.get_object() if isinstance(kids, IndirectObject) else kids
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if isinstance(kid, IndirectObject) else kid
        if hasattr(kid, "get") and "/S" in kid:
            found += structure(kid)
    return found


def test_every_page_of_the_pdf_says_which_page_of_how_many(pages):
    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "QPR 2026/27 Q2: Older People's Services" in text


def test_the_pdf_is_tagged_with_its_language_and_title(pdf):
    root = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root.get("/Lang") == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert pdf.metadata.title == "QPR 2026/27 Q2: Older People's Services"


def test_every_figure_in_the_pdf_has_alternative_text(pdf, html):
    elements = structure(pdf.trailer["/Root"]["/StructTreeRoot"])
    figures = [e for e in elements if e.get("/S") == "/Figure"]
    assert len(figures) >= len(tags(html).images) > 0
    assert [f for f in figures if not str(f.get("/Alt", "")).strip()] == []
    kinds = {str(e.get("/S")) for e in elements}
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/L", "/LI"} <= kinds


def test_every_image_in_the_html_has_alternative_text(html):
    images = tags(html).images
    charts = [i for i in images if i["src"].startswith("data:image/png")]
    icons = [i for i in images if i["src"].startswith("data:image/svg+xml")]
    # The linked indicators' charts, and the key ASCOF 3A's that no outcome is linked to.
    assert len(charts) == 4 and len(icons) > 10
    assert all(i.get("alt", "").strip() for i in images)
    assert any(i["alt"].startswith("Chart of ASCOF 2B(1)") for i in charts)
    assert any(
        i["alt"].startswith("Chart of ASCOF 3A") and "England's figures" in i["alt"] for i in charts
    )
    assert {
        "special cause variation of an improving nature where the measure is significantly higher",
        "hit and miss: may pass or fail the target by chance",
    } <= {i["alt"] for i in icons}


def test_the_html_page_carries_everything_and_fetches_nothing(html):
    body = html.split("<body>", 1)[1]
    assert "<script" not in html and "http" not in body
    assert '<html lang="en-GB">' in html and "<title>QPR 2026/27 Q2" in html
    assert "@media screen" in html and "max-width: 100%" in html  # a phone narrows it


def test_the_first_page_holds_the_summary_and_its_table(pages, report):
    first = pages[0]
    assert "Judgements at a glance" in first and "Key and linked indicators" in first
    assert "Not enough progress" in first and "Overall" in first
    for row in report.summary_rows:
        assert row.indicator.code in first
    assert "2nd best of 4 comparable councils (2024/25; 3 of them within its margin" in first
    assert "Outcome 1:" not in first  # the outcomes start overleaf


def test_no_page_ends_on_a_heading(pages, html):
    headings = [h for h in tags(html).headings if len(h) > 12]
    for text in pages[:-1]:
        body = re.sub(r"QPR 2026/27 Q2: Older People's Services|Page \d+ of \d+", "", text)
        for heading in headings:
            assert not body.rstrip().endswith(heading), heading


def test_each_outcome_shows_all_its_evidence(pages, html, report):
    text = " ".join(pages)
    for fmt, shown in (("pdf", text), ("html", re.sub(r"\s+", " ", html.replace("&#x27;", "'")))):
        assert "Proposed by UANN." in shown
        assert "61% positive, Adult Social Care Survey 2025/26 (95% interval 54-67%" in shown
        assert "Complaints about assessment decision, delays" in shown
        assert "received in 2026/27 Q2: withheld (the quarter before: withheld" in shown
        # The outcome's rows are the team's, the same cells in both sections' tables.
        row = (
            "delays 5 8 fewer than 5 fewer than 5"
            if fmt == "pdf"
            else 'data-label="Category">delays</td><td data-label="Received">5</td>'
        )
        assert shown.count(row) == 2, row
        assert "withheld: a count kept back so that" in shown  # the marker explained
        assert "median 47 days to close" in shown
        assert "received 16 in 2026/27 Q2 (the quarter before 21" in shown  # the whole team
        assert (
            "\u201cA phone call while we waited would have helped.\u201d (comment, waiting" in shown
        )
        assert "The exercises from the reablement team" not in shown  # under fewer than 5
        assert (
            "rank 2 of 4 comparable councils (2nd quartile; 3 of them within its margin of "
            "error), +1.6 points against their average" in shown
        )
        assert "Why do waits for occupational therapy stay above target?" in shown
    assert "Survey findings no outcome is linked to" in text  # the rest of the survey
    assert "ASCOF 2D: no figure for Feb 2025" not in text  # notes only for indicators shown


def test_json_keeps_its_schema_and_publishes_figures_at_their_precision(files):
    made = json.loads(files["json"])
    jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text())).validate(made)
    home = made["outcomes"][0]["evidence"]
    summary = {row["code"]: row for row in made["summary"]}
    placement = summary["ASCOF 3A"]["placement"]
    assert placement["peer_average"] == 59.2 and placement["gap_to_average"] == 1.6
    assert summary["ASCOF 3A"]["age_days"] == 240
    assert home["surveys"][0]["percent"] == 60.7 and home["surveys"][0]["ci_low"] == 53.8
    assert home["views"]["total"] == "fewer than 5" and home["views"]["quotes"] == []
    waiting = made["outcomes"][1]["evidence"]
    assert waiting["views"]["quotes"][0] == {
        "month": "2026-09",
        "kind": "comment",
        "theme": "waiting times",
        "text": "A phone call while we waited would have helped.",
    }
    complaints = waiting["complaints"]
    assert complaints["received"] == "withheld" and complaints["previous_quarter"] == "withheld"
    assert complaints["categories"][-1] == {
        "category": "delays",
        "count": 5,
        "previous_quarter": 8,
        "same_quarter_last_year": "fewer than 5",
        "open_at_period_end": "fewer than 5",
    }
    assert "movement" not in json.dumps(made)
    assert summary["ASCOF 2B(1)"]["variation"] == "special_cause_improvement"
    assert summary["ASCOF 2B(1)"]["variation_side"] == "high"
    assert summary["LOCAL WAITDAYS"]["outcomes"] == [1]
    numbers = re.findall(r'": (-?\d+\.\d+)', json.dumps(made))
    assert numbers and all(len(n.split(".")[1]) <= 3 for n in numbers)


def fields(node) -> list[dict]:
    """Every property's schema in a JSON schema, however deep."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties":
                found += value.values()
            elif key == "additionalProperties" and isinstance(value, dict):
                found.append(value)
            found += fields(value)
    elif isinstance(node, list):
        for value in node:
            found += fields(value)
    return found


def test_json_schema_takes_withheld_wherever_it_takes_fewer_than_5():
    schema = json.loads(SCHEMA_PATH.read_text())
    takes_fewer = 0
    for field in fields(schema):
        check = jsonschema.Draft202012Validator({**field, "$defs": schema["$defs"]})
        if check.is_valid("fewer than 5"):
            takes_fewer += 1
            assert check.is_valid("withheld"), field
    assert takes_fewer >= 10
    count = jsonschema.Draft202012Validator({"$ref": "#/$defs/count", "$defs": schema["$defs"]})
    assert not count.is_valid("a few") and not count.is_valid(-1)  # the markers, no other words


def test_markdown_and_csv_carry_the_summary_and_the_evidence(markdown, files):
    text = markdown
    assert "| **ASCOF 2B(1)** Older people" in text
    assert "special cause variation of an improving nature where the measure is" in text
    assert "#### Complaints about assessment decision, delays" in text
    assert "received in 2026/27 Q2: withheld" in text
    assert "> \u201cA phone call while we waited" in text
    rows = list(csv.DictReader(io.StringIO(files["csv"].decode())))
    sections = [r["section"] for r in rows]
    assert sections[:4] == ["outcome", "outcome", "overall", "need"]
    assert {"indicator", "survey", "complaints", "views", "quote"} <= set(sections)
    waits = next(r for r in rows if r["code"] == "LOCAL WAITDAYS")
    assert (waits["value"], waits["target"], waits["number"]) == ("31.5", "28.0", "1")
    assert waits["age_days"] == "57"
    assert next(r for r in rows if r["section"] == "complaints")["value"] == "withheld"


def test_the_summary_gives_each_latest_figure_its_period_and_age(html, markdown, pages):
    assert '60.7%<span class="small">2025/26</span><span class="small">240 days old</span>' in html
    assert "| 60.7% (2025/26, 240 days old; base 201) |" in markdown
    assert "2025/26 240 days old" in pages[0]


def test_key_indicators_no_outcome_is_linked_to_are_shown_with_their_charts(html, markdown):
    team = html.split("<h2>The team as a whole</h2>", 1)[1].split("</section>", 1)[0]
    assert "<h3>Other key indicators</h3>" in team
    assert "<h4>ASCOF 3A Overall satisfaction of people who use services" in team
    charts = [i for i in tags(team).images if i["src"].startswith("data:image/png")]
    assert [i["alt"].split(":")[0] for i in charts] == ["Chart of ASCOF 3A"]
    other = markdown.split("### Other key indicators", 1)[1].split("\n### ", 1)[0]
    assert "- **ASCOF 3A Overall satisfaction" in other
    assert "60.7% (2025/26, 240 days old; base 201)" in other


def test_places_among_peers_say_which_indicator_they_are_for(html, markdown):
    place = "2024/25: 60.8%, rank 2 of 4 comparable councils"
    title = "ASCOF 3A Overall satisfaction of people who use services with their care and support"
    assert f"<li><strong>{title}</strong>: {place}" in html
    assert f"- **{title}**: {place}" in markdown


def test_an_indicator_of_the_council_s_published_figures_says_so_wherever_it_is_titled(report):
    published = [
        replace(e, from_area="E06000001") if e.code == "ASCOF 3A" else e
        for e in report.evidence.indicators
    ]
    changed = replace(report, evidence=replace(report.evidence, indicators=published))
    label = "Overall satisfaction of people who use services with their care and support (the "
    label += "council's published figures)"
    page = as_html(changed).replace("&#x27;", "'")
    assert f'<span class="code">ASCOF 3A</span> {label}' in page  # the summary
    assert f"<h4>ASCOF 3A {label}</h4>" in page  # other key indicators
    assert f"<strong>ASCOF 3A {label}</strong>" in page  # places among peers
    text = markdown_of(changed)
    assert f"| **ASCOF 3A** {label}" in text and f"- **ASCOF 3A {label}**" in text
    assert (
        next(r for r in csv.DictReader(io.StringIO(as_csv(changed))) if r["code"] == "ASCOF 3A")[
            "text"
        ]
        == label
    )


@pytest.mark.parametrize("room_mm", [238, 242, 246, 252, 258])
def test_a_heading_near_the_foot_of_a_page_stays_with_its_table(room_mm):
    from weasyprint import HTML

    rows = "".join(f"<tr><td>Need {i}</td><td>Ann</td></tr>" for i in range(3))
    page = (
        f'<html lang="en"><head><style>{STYLE}</style></head><body><main>'
        f'<div style="height: {room_mm}mm"></div><h2>Information needs</h2>'
        f"<table><thead><tr><th>What</th><th>Owner</th></tr></thead><tbody>{rows}</tbody>"
        "</table></main></body></html>"
    )
    pdf = PdfReader(io.BytesIO(HTML(string=page).write_pdf()))
    with_heading = [p for p in pdf.pages if "Information needs" in p.extract_text()]
    assert len(with_heading) == 1 and "Need 0" in with_heading[0].extract_text()


COMPLAINT_COLUMNS = {
    "received": "count",
    "previous_quarter": "previous_quarter",
    "same_quarter_last_year": "same_quarter_last_year",
    "open_at_period_end": "open_at_period_end",
}


def test_no_suppressed_count_can_be_worked_out_across_the_reports_sections_and_formats(
    files, markdown
):
    """Everything the report publishes about complaints and views, from every section,
    put together as a reader would: no hidden count comes out as one value."""
    made = json.loads(files["json"])
    team = made["whole_team"]
    sections = [o["evidence"] for o in made["outcomes"]]
    for column, field in COMPLAINT_COLUMNS.items():
        cells = {k["category"]: k[field] for k in team["complaints"]["categories"]}
        parts = []
        for found in sections:
            if found["complaints"] is None:
                continue
            rows = found["complaints"]["categories"]
            assert all(r[field] == cells.get(r["category"], 0) for r in rows)
            parts.append(({r["category"] for r in rows}, found["complaints"][column]))
        assert given_away(cells, team["complaints"][column], parts, 60) == []
    themes = team["views"]["by_theme"]
    parts = [
        (set(found["views"]["by_theme"]), found["views"]["total"])
        for found in sections
        if found["views"] is not None
    ]
    assert given_away(themes, team["views"]["total"], parts, 40) == []
    assert given_away(team["views"]["by_kind"], team["views"]["total"], [], 40) == []
    # Every other format says the same of each category as the JSON does.
    csv_text = files["csv"].decode()
    for k in team["complaints"]["categories"]:
        row = CategoryCount(k["category"], *(k[f] for f in COMPLAINT_COLUMNS.values()))
        assert "| " + " | ".join(category_cells(row)) + " |" in markdown
        assert category_line(row) in csv_text
