"""The reports as a council must publish them (WCAG 2.2 AA): read as a screen reader or a
reader who does not see colour would read them. Every icon in a table has its reading in
words beside it; every table has a caption; every chart has its figures in a table and
says in words how they moved; in the PDFs, the running footer is pagination, never loose
content, and every link says where it goes.

One judged review of the sample data, and the paper of every team for its quarter, are
made once for the module; the PDFs are read back with pypdf (their structure) and
pypdfium2 (the marked content on each page, as assistive technology meets it)."""

from __future__ import annotations

import ctypes
import html as html_lib
import io
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject
from sqlmodel import select

from bot.demo.play import DEMO_TEAM
from bot.shared.chart_words import ALT_TEXT_LIMIT, chart_alt_text
from bot.shared.reports import render, render_teams
from bot.shared.reports.report import build_report
from bot.shared.reports.teams import TeamsReport
from reviews import judgement, outcomes, teams
from reviews.evidence import build_evidence
from reviews.judgement import NewNeed, Rated
from reviews.overview import overview
from storage.models import Rating, Review, Team
from storage.periods import parse_quarter
from tests.helpers.teams import sample_store

QUARTER = parse_quarter("2026/27 Q2")
AS_OF = date(2026, 11, 26)
FACILITATOR, ANN = "UFATIMA", "UANN"
# What a table may say beside an icon: a reading in Making Data Count's words, or why
# there is none.
READING = re.compile(
    r"common cause|(improvement|concern|neutral) \((high|low)\)|no SPC(: .+)?"
    r"|consistently (passes|fails)|hit and miss|no target to assure against|no assurance.*"
)


@dataclass(frozen=True)
class Made:
    team: dict[str, bytes]  # the review's report, by format
    teams: dict[str, bytes]  # every team's paper, by format
    charted: dict[str, int]  # each chart's indicator code: how many periods it spans
    alt_texts: list[str]  # every chart of every team's indicators, described
    team_names: list[str]  # the teams of the every-team paper


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Made:
    factory, ids = sample_store(tmp_path_factory.mktemp("a11y"), FACILITATOR)
    with factory.unit_of_work() as session:
        team, _ = teams.setup_team(session, "C1", DEMO_TEAM, FACILITATOR)
        review, _ = outcomes.start_review(session, team, QUARTER, FACILITATOR)
        text = "People get an assessment without a long wait"
        proposed, _ = outcomes.propose(session, review, text, ANN, "1.0")
        links = {"complaint_category": ["delays"], "view_theme": ["waiting times"]}
        codes = ["ASCOF 2B(1)", "LOCAL WAITDAYS", "LOCAL ASSESS28"]
        decision = outcomes.Decision(text, [proposed.id], [ids[c] for c in codes], links)
        (agreed,) = outcomes.agree(session, review, FACILITATOR, [decision], {proposed.id}).agreed
        rated = [
            Rated(agreed.id, Rating.NOT_ENOUGH_PROGRESS, "Waits miss their target."),
            Rated(None, Rating.SOME_PROGRESS, "Waiting, no."),
        ]
        need = NewNeed("Who waits longest?", ANN, date(2026, 12, 31), agreed.id)
        judgement.record_judgement(session, review, FACILITATOR, rated, [need], {})
        review_id = review.id
    with factory() as session:
        report = build_report(session, session.get(Review, review_id), AS_OF)
        paper = TeamsReport(overview(session, QUARTER, AS_OF, 4))
        indicators = [
            e
            for name in session.exec(select(Team.name)).all()
            for e in build_evidence(session, name, QUARTER, AS_OF).indicators
        ]
    factory.engine.dispose()
    return Made(
        team={fmt: render(report, fmt) for fmt in ("md", "html", "pdf")},
        teams={fmt: render_teams(paper, fmt) for fmt in ("md", "html", "pdf")},
        charted={
            code: len(report.indicators[code].series) + len(report.indicators[code].missing_periods)
            for code in report.charts
        },
        alt_texts=[chart_alt_text(e) for e in indicators if not e.small_numbers],
        team_names=[t.team for t in paper.teams],
    )


def papers(made: Made, fmt: str) -> list[tuple[bytes, bytes]]:
    """Each paper in `fmt`, beside its HTML (which says what the reader should meet)."""
    return [(made.team["html"], made.team[fmt]), (made.teams["html"], made.teams[fmt])]


# The HTML as a reader meets it.


@dataclass
class Cell:
    icons: int = 0
    text: list[str] = field(default_factory=list)

    @property
    def words(self) -> str:
        return " ".join("".join(self.text).split())


@dataclass
class Table:
    caption: str = ""
    cells: list[Cell] = field(default_factory=list)
    rows: int = 0  # in its body


class Tables(HTMLParser):
    """Each table's caption and cells, the words in a cell apart from its icons' alt text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[Table] = []
        self._cell: Cell | None = None
        self._caption: list[str] | None = None
        self._body = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(Table())
        elif tag == "caption":
            self._caption = []
        elif tag == "tbody":
            self._body = True
        elif tag == "tr" and self._body:
            self.tables[-1].rows += 1
        elif tag in ("td", "th") and self.tables:
            self._cell = Cell()
        elif tag == "img" and self._cell is not None and "icon" in dict(attrs).get("class", ""):
            self._cell.icons += 1

    def handle_data(self, data):
        if self._caption is not None:
            self._caption.append(data)
        elif self._cell is not None:
            self._cell.text.append(data)

    def handle_endtag(self, tag):
        if tag == "caption" and self._caption is not None:
            self.tables[-1].caption = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1].cells.append(self._cell)
            self._cell = None
        elif tag == "tbody":
            self._body = False


def tables_of(page: bytes) -> list[Table]:
    parser = Tables()
    parser.feed(page.decode())
    return parser.tables


# The PDF as assistive technology meets it: its structure tree (pypdf) and the marked
# content on each page (pdfium), joined by their marked-content ids.


def _marks(obj) -> list[tuple[str, int | None]]:
    """The marked content a page object is in: each tag and its MCID, where it has one."""
    found = []
    for i in range(pdfium_c.FPDFPageObj_CountMarks(obj.raw)):
        mark = pdfium_c.FPDFPageObj_GetMark(obj.raw, i)
        length = ctypes.c_ulong()
        pdfium_c.FPDFPageObjMark_GetName(mark, None, 0, ctypes.byref(length))
        name = (ctypes.c_ushort * (length.value // 2 + 1))()
        pdfium_c.FPDFPageObjMark_GetName(mark, name, length.value, ctypes.byref(length))
        mcid = ctypes.c_int()
        has_id = pdfium_c.FPDFPageObjMark_GetParamIntValue(mark, b"MCID", ctypes.byref(mcid))
        found.append(
            (bytes(name).decode("utf-16-le").split("\0")[0], mcid.value if has_id else None)
        )
    return found


def _text(obj, textpage) -> str:
    size = pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
    buffer = (ctypes.c_ushort * size)()
    pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, buffer, size)
    return bytes(buffer).decode("utf-16-le").split("\0")[0]


@dataclass
class Marked:
    content: dict[tuple[int, int], str]  # text by (page, MCID)
    artifacts: dict[int, str]  # each page's text marked as an artifact


def marked_text(data: bytes) -> Marked:
    document = pdfium.PdfDocument(data)
    content: dict[tuple[int, int], str] = {}
    artifacts: dict[int, str] = {}
    for number in range(len(document)):
        page = document[number]
        textpage = page.get_textpage()
        for obj in page.get_objects():
            if obj.type != pdfium_c.FPDF_PAGEOBJ_TEXT:
                continue
            marks = _marks(obj)
            text = _text(obj, textpage)
            if any(name == "Artifact" for name, _ in marks):
                artifacts[number] = f"{artifacts.get(number, '')} {text}"
            for _, mcid in marks:
                if mcid is not None:
                    content[number, mcid] = f"{content.get((number, mcid), '')} {text}"
    return Marked(content, {n: " ".join(t.split()) for n, t in artifacts.items()})


@dataclass
class Element:
    kind: str
    page: int | None
    mcids: list[tuple[int, int]]
    kids: list[Element]

    def all(self) -> list[Element]:
        return [self, *(e for kid in self.kids for e in kid.all())]

    def text(self, marked: Marked) -> str:
        """Its words, as read aloud: what is inside it, icons' letters apart."""
        if self.kind == "/Figure":
            return ""
        own = [marked.content.get(m, "") for m in self.mcids]
        words = own + [kid.text(marked) for kid in self.kids]
        return " ".join(" ".join(words).split())


def structure(reader: PdfReader) -> Element:
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}

    def walk(node, page: int | None) -> Element:
        node = node.get_object()
        if "/Pg" in node:
            page = pages.get(node.raw_get("/Pg").idnum, page)
        kids = node.get("/K", [])
        kids = kids.get_object() if isinstance(kids, IndirectObject) else kids
        element = Element(str(node.get("/S", "/StructTreeRoot")), page, [], [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, int) and page is not None:
                element.mcids.append((page, kid))
                continue
            kid = kid.get_object() if isinstance(kid, IndirectObject) else kid
            if hasattr(kid, "get") and "/S" in kid:
                element.kids.append(walk(kid, page))
        return element

    return walk(reader.trailer["/Root"]["/StructTreeRoot"], None)


def loose_content(reader: PdfReader) -> int:
    """How many pieces of marked content the parent tree ties to elements outside the
    structure tree: content a screen reader never reaches."""
    reachable = set()
    waiting = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while waiting:
        kids = waiting.pop().get_object().get("/K", [])
        kids = kids.get_object() if isinstance(kids, IndirectObject) else kids
        for kid in kids if isinstance(kids, list) else [kids]:
            fresh = isinstance(kid, IndirectObject) and kid.idnum not in reachable
            if fresh and "/S" in kid.get_object():
                reachable.add(kid.idnum)
                waiting.append(kid)
    nums = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"].get_object()["/Nums"]
    loose = 0
    for parents in nums[1::2]:
        parents = parents.get_object()
        if isinstance(parents, list):
            loose += sum(
                1 for p in parents if isinstance(p, IndirectObject) and p.idnum not in reachable
            )
    return loose


# Words beside every icon.


def test_every_icon_in_a_table_of_either_html_paper_has_its_reading_in_words_beside_it(made):
    for _, page in papers(made, "html"):
        cells = [c for t in tables_of(page) for c in t.cells if c.icons]
        assert len(cells) >= 8  # two a summary row
        assert [c.words for c in cells if not READING.fullmatch(c.words)] == []


def _markdown_tables(text: str) -> list[list[dict[str, str]]]:
    tables, lines = [], text.splitlines()
    for i, line in enumerate(lines[:-1]):
        if line.startswith("| ") and lines[i + 1].startswith("| ---"):
            head = [h.strip() for h in line.strip("|").split(" | ")]
            rows = []
            for row in lines[i + 2 :]:
                if not row.startswith("| "):
                    break
                cells = [c.strip().replace("\\", "") for c in row.strip().strip("|").split(" | ")]
                rows.append(dict(zip(head, cells, strict=True)))
            tables.append(rows)
    return tables


def test_markdown_says_each_reading_in_the_words_the_html_puts_beside_its_icon(made):
    for page, text in papers(made, "md"):
        said = [
            row[column]
            for table in _markdown_tables(text.decode())
            for row in table
            for column in ("Variation", "Assurance")
            if column in row
        ]
        assert [w for w in said if not READING.fullmatch(w)] == []
        beside_icons = [
            html_lib.unescape(c.words) for t in tables_of(page) for c in t.cells if c.icons
        ]
        assert said == beside_icons and len(said) >= 8


def test_every_icon_in_a_table_of_either_pdf_has_its_reading_in_words_beside_it(made):
    for page, data in papers(made, "pdf"):
        marked = marked_text(data)
        cells = [
            e
            for e in structure(PdfReader(io.BytesIO(data))).all()
            if e.kind == "/TD" and any(k.kind == "/Figure" for k in e.all())
        ]
        said = [c.text(marked) for c in cells]
        assert [w for w in said if not READING.fullmatch(w)] == []
        beside_icons = [
            html_lib.unescape(c.words) for t in tables_of(page) for c in t.cells if c.icons
        ]
        assert said == beside_icons and len(said) >= 8


# Captions.


def test_every_table_in_either_html_paper_has_a_caption(made):
    for _, page in papers(made, "html"):
        tables = tables_of(page)
        assert len(tables) >= 4
        assert [t for t in tables if not t.caption] == []
        assert page.decode().count("<table") == len(tables)


def test_every_table_in_either_markdown_paper_has_a_caption_line_before_it(made):
    for _, text in papers(made, "md"):
        lines = text.decode().splitlines()
        heads = [
            i
            for i, line in enumerate(lines[:-1])
            if line.startswith("| ") and lines[i + 1].startswith("| ---")
        ]
        assert len(heads) >= 3
        assert [lines[i] for i in heads if not lines[i - 2].startswith("Table: ")] == []


def test_every_table_in_either_pdf_carries_its_caption(made):
    for page, data in papers(made, "pdf"):
        marked = marked_text(data)
        elements = structure(PdfReader(io.BytesIO(data))).all()
        captions = {e.text(marked) for e in elements if e.kind == "/Caption"}
        wanted = {html_lib.unescape(t.caption) for t in tables_of(page)}
        assert len(wanted) >= 4 and wanted <= captions, wanted - captions


# Charts: their figures in a table, and in words.


def test_every_chart_has_its_figures_in_a_captioned_table_under_it(made):
    page = made.team["html"].decode()
    tables = tables_of(made.team["html"])
    assert len(made.charted) >= 3
    for code, periods in made.charted.items():
        chart = page.index(f'alt="Chart of {html_lib.escape(code)}:')
        under = page.index(f"<caption>Figures of {html_lib.escape(code)} ", chart)
        assert page.count("<img", chart, under) == 0  # no other chart between them
        (table,) = [t for t in tables if t.caption.startswith(f"Figures of {code} ")]
        assert table.rows == periods  # a row a period, a missing one included
        assert [c.words for c in table.cells[:2]] == ["Period", "Figure"]
    assert any("SPC reading" in [c.words for c in t.cells[:5]] for t in tables)
    pdf = marked_text(made.team["pdf"])
    elements = structure(PdfReader(io.BytesIO(made.team["pdf"]))).all()
    captions = [e.text(pdf) for e in elements if e.kind == "/Caption"]
    for code in made.charted:
        assert any(c.startswith(f"Figures of {code} ") for c in captions), code


def test_every_chart_is_described_with_its_first_latest_highest_and_lowest_figures(made):
    page = made.team["html"].decode()
    alts = [html_lib.unescape(a) for a in re.findall(r'alt="(Chart of [^"]*)"', page)]
    assert len(alts) == len(made.charted)
    for alt in alts:
        for word in ("First ", "latest ", "highest ", "lowest "):
            assert word in alt, (word, alt)
    assert any("A shift: " in a and "since" in a for a in alts)  # ASCOF 2B(1)'s rise


def test_no_sample_chart_is_described_in_more_than_slack_takes(made):
    assert len(made.alt_texts) >= 10
    longest = max(made.alt_texts, key=len)
    assert 300 < len(longest) <= ALT_TEXT_LIMIT == 1000, longest


# The PDFs' running footer, and their links.


@pytest.mark.parametrize("paper", ["team", "teams"])
def test_the_pdfs_running_footer_is_marked_as_pagination_not_content(made, paper):
    data = getattr(made, paper)["pdf"]
    reader = PdfReader(io.BytesIO(data))
    marked = marked_text(data)
    pages = len(reader.pages)
    assert pages >= 2
    for number in range(pages):
        footer = marked.artifacts.get(number, "")
        assert f"Page {number + 1} of {pages}" in footer and "QPR 2026/27 Q2:" in footer
        content = " ".join(t for (n, _), t in marked.content.items() if n == number)
        assert f"Page {number + 1} of" not in content
    assert loose_content(reader) == 0


def test_the_every_team_pdfs_links_say_which_teams_section_they_go_to(made):
    reader = PdfReader(io.BytesIO(made.teams["pdf"]))
    links = [
        a.get_object()
        for page in reader.pages
        for a in page.get("/Annots", [])
        if a.get_object().get("/Subtype") == "/Link"
    ]
    names = made.team_names
    assert len(links) >= len(names) >= 3
    for link in links:
        described = str(link["/Contents"])
        assert any(described.startswith(f"{team}:") for team in names), described
        assert not re.search(r"team-\d", described)
    # And each team is linked to.
    assert {str(link["/Contents"]).split(":")[0] for link in links} == set(names)


# axe-core, where a browser and axe's script are on the machine.


def _axe_script() -> Path | None:
    places = [
        Path("/usr/share"),
        Path("/usr/lib/node_modules"),
        Path("/usr/local/lib/node_modules"),
    ]
    places += [Path(p) for p in sys.path if p.endswith("site-packages")]
    places.append(Path.cwd() / "node_modules")
    for place in places:
        if place.is_dir():
            found = next(iter(sorted(place.glob("**/axe-core/axe.min.js"))), None)
            found = found or next(iter(sorted(place.glob("**/axe.min.js"))), None)
            if found:
                return found
    return None


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _axe(page: bytes, script: Path, width: int, folder: Path) -> list[dict]:
    """axe-core's violations of WCAG 2.x A and AA on the page, at a window `width` px wide."""
    run = (
        "<script>" + script.read_text() + "</script><script>"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', "
        "'wcag21a', 'wcag21aa', 'wcag22aa']}}).then(r => {"
        "const pre = document.createElement('pre'); pre.id = 'axe-result';"
        "pre.textContent = JSON.stringify(r.violations.map("
        "v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))})));"
        "document.body.appendChild(pre); });</script>"
    )
    file = folder / f"page-{width}.html"
    file.write_text(page.decode().replace("</body>", run + "</body>"))
    dom = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--window-size={width},1200",
            "--virtual-time-budget=30000",
            "--dump-dom",
            file.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    ).stdout
    result = re.search(r'<pre id="axe-result">(.*?)</pre>', dom, re.S)
    assert result, "axe-core did not finish"
    return json.loads(html_lib.unescape(result[1]))


AXE = _axe_script()
MISSING = [
    what for what, found in (("Chromium", CHROMIUM), ("axe-core's axe.min.js", AXE)) if not found
]


@pytest.mark.skipif(
    bool(MISSING),
    reason=f"{' and '.join(MISSING)} not on this machine: axe-core runs only where both are "
    "installed, as nothing is fetched for a test",
)
@pytest.mark.parametrize("width", [1280, 320])
def test_axe_core_finds_no_violation_in_either_html_paper(made, width, tmp_path):
    assert AXE is not None
    for _, page in papers(made, "html"):
        assert _axe(page, AXE, width, tmp_path) == []
