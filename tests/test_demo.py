"""`qpr demo` plays a whole review through the real app and writes its report in every
format: the files hold what the review decided, and the JSON keeps to its schema."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import jsonschema
from pypdf import PdfReader

from bot.base.config import Settings
from bot.demo.play import FOUND, NEEDS, STATEMENTS, WORDS_AIM, run_demo
from bot.shared.reports.as_json import SCHEMA_PATH

STEM = "qpr-older-people-s-services-2026-27-q2"


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_demo_plays_a_whole_review_and_writes_every_report(tmp_path, capsys):
    folder = tmp_path / "demo"
    assert run_demo(folder, Settings(), today=date(2026, 11, 26)) == 0
    out = capsys.readouterr().out
    # The thread reads at a glance: the demo counts the bot's words in it, and says so.
    words = int(re.search(r"The bot posted ([\d,]+) words in the review's thread", out)[1])
    assert 300 < words < WORDS_AIM == 800
    assert "@Fatima (facilitator)" not in out  # a person's name is their name, not their role
    for line in (
        "Fatima (facilitator):\n    /qpr setup Older People's Services",
        "== QPR 2026/27 Q2: Older People's Services ==",
        "qpr bot reacts :memo: to the reply",
        "[a form opens: Agree outcomes",
        "For the meeting: what works, for whom, in what circumstances",
        "[9 charts attached: ASCOF 2B(1), LOCAL WAITDAYS",
        "[Record the judgement] [Change what is linked]",
        "[a form opens: Outcome 3]",
        "== Record of the QPR 2026/27 Q2: Older People's Services ==",
        "App Home of Ann:",
    ):
        assert line in out or flat(line) in flat(out), line
    # Ann says what she found; the next quarter's kick-off brings it back to the team.
    next_kickoff = flat(out[out.index("== QPR 2026/27 Q3: Older People's Services ==") :])
    assert "What we found out since last time" in next_kickoff
    assert f"We found: {flat(FOUND)}" in next_kickoff
    assert "Still open from last time • Ask carers what a good break looks like" in next_kickoff
    files = {p.suffix: p for p in folder.glob(f"{STEM}.*")}
    assert set(files) == {".md", ".html", ".pdf", ".csv", ".json"}
    assert all(p.stat().st_size > 500 for p in files.values())

    report = json.loads(files[".json"].read_text())
    jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text())).validate(report)
    assert [o["text"] for o in report["outcomes"]] == [text for _, text in STATEMENTS]
    assert [n["text"] for n in report["needs"]] == [text for _, text in NEEDS]
    assert report["status"] == "judged" and report["overall"]["rating"] == "some progress"
    assert report["outcomes"][0]["evidence"]["indicators"][0]["period_end"]
    # The waiting outcome carries the delays complaints and the waiting-times views, found
    # by its words; "long" links nothing, so long-term support reviews stay out.
    waiting = report["outcomes"][2]["evidence"]
    assert "delays" in waiting["complaint_categories"]
    assert waiting["view_themes"] == ["waiting times"]
    for outcome in report["outcomes"]:
        assert "LOCAL REVIEW12" not in [i["code"] for i in outcome["evidence"]["indicators"]]
    assert report["people"]["UANN"] == "Ann"  # names asked of Slack when the record was posted
    assert waiting["complaints"]["received"] and waiting["views"]["quotes"]
    assert "ASCOF 3A" in [row["code"] for row in report["summary"]]

    pdf = PdfReader(files[".pdf"])
    text = flat(" ".join(page.extract_text() for page in pdf.pages))
    for _, statement in STATEMENTS:
        assert statement in text
    for _, need in NEEDS:
        assert need in text
    assert "Cannot judge yet" in text and "Not enough progress" in text
    assert "Proposed by Ann; supported by" in text
    # What a committee reads: the summary first, then every kind of evidence, numbered pages.
    first = flat(pdf.pages[0].extract_text())
    assert "Key and linked indicators" in first and "ASCOF 2B(1)" in first
    # A place among peers: the council's, as the team is one service of it.
    assert "the council's figure 58.1% (Trafford, 2024/25): 2nd best of 3 comparable" in first
    assert "Complaints about assessment decision, delays" in text
    # A quote, by its month: 5 or more views on waiting times came in.
    assert "“A phone call while we waited would have helped.” (comment, waiting times, Sep" in text
    assert "positive, Adult Social Care Survey 2025/26 (95% interval" in text  # a survey finding
    for number, page in enumerate(pdf.pages, start=1):
        assert f"Page {number} of {len(pdf.pages)}" in flat(page.extract_text())
    assert "/StructTreeRoot" in pdf.trailer["/Root"]  # tagged for screen readers

    rows = list(csv.DictReader(io.StringIO(files[".csv"].read_text())))
    sections = [r["section"] for r in rows]
    assert sections[:6] == ["outcome"] * 3 + ["overall", "need", "need"]
    assert {"indicator", "complaints", "views", "quote"} <= set(sections)
    assert rows[1]["rating"] == "cannot judge yet" and rows[4]["owner"] == "Ann"
    assert "; " in rows[0]["indicators"]  # codes hold spaces: separated by semicolons

    page = files[".html"].read_text()
    assert page.count("data:image/png;base64,") >= 3  # charts travel inside the page
    assert page.count("data:image/svg+xml;base64,") >= 10  # and so do the icons
    assert "<script" not in page and "http" not in page.split("<body>")[1]
    assert "### 1. Older people stay living in their own homes" in files[".md"].read_text()

    # Five who took part answered the two questions under the record: shown, small counts
    # kept back, and the share agreeing only where it tells no count below 5.
    assert "Thank you: your answer is kept without your name" in out
    pulse = flat(files[".md"].read_text().split("## Was it worth it?")[1].split("## About")[0])
    assert "difference to the people we serve? 100% agree or strongly agree (of 5)" in pulse
    assert "strongly agree fewer than 5, agree fewer than 5" in pulse
    assert "Was it worth the time it took? share not shown" in pulse
    assert "<caption>Answers to question 1, on the scale</caption>" in page

    # The head of service is made a manager and posts every team's overview. The team whose
    # schedule, set today, puts the quarter's meeting in October is not late: it never had
    # that meeting to hold. Nor is the one under way, with no meeting.
    across = flat(out[out.index("Across the teams") :])
    assert "The bot's operator (in a terminal): qpr managers add UHANA" in across
    overview = across[across.index("== QPR 2026/27 Q2: every team ==") :]
    assert "3 teams, 1 judged, none late" in overview and "(!)" not in overview
    assert "Children in Need Review: agreeing outcome statements; no meeting set" in overview
    assert "Carers get a break and feel supported: cannot judge yet" in overview
    paper = json.loads((folder / "qpr-every-team-2026-27-q2.json").read_text())
    assert [t["team"] for t in paper["teams"] if t["late"]] == []
    every = PdfReader(folder / "qpr-every-team-2026-27-q2.pdf")
    assert "/StructTreeRoot" in every.trailer["/Root"]
    assert "none late" in flat(every.pages[0].extract_text())
    # The paper for the meeting across teams gives each key indicator's target, assurance
    # and place among peers, in every format.
    pages = flat(" ".join(page.extract_text() for page in every.pages))
    assert "Target" in pages and "Assurance" in pages and "Among peers" in pages
    assert "the council's figure 58.1% (Trafford, 2024/25)" in pages
    markdown = (folder / "qpr-every-team-2026-27-q2.md").read_text()
    assert "| Key indicator | Latest | Target | Variation | Assurance | Among peers |" in markdown
    assert "no assurance without SPC" in markdown
    rows = list(csv.DictReader(io.StringIO((folder / "qpr-every-team-2026-27-q2.csv").read_text())))
    waits = next(r for r in rows if r["code"] == "LOCAL WAITDAYS")
    assert (waits["target"], waits["target_status"], waits["unit"]) == ("28.0", "missed", "days")
    keyed = {i["code"]: i for t in paper["teams"] for i in t["key_indicators"]}
    assert keyed["ASCOF 3A"]["placement"]["council"] == "Trafford"
