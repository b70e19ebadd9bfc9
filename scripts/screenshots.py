"""The pictures in docs/, made from the demo so that they show what the code does today:
the evidence at a glance as Slack shows it, one indicator's chart, and the first two pages
of the PDF report.

    make screenshots
"""

from __future__ import annotations

import contextlib
import html
import io
import re
import sys
import tempfile
from datetime import date
from pathlib import Path

import pypdfium2
from PIL import ImageOps
from sqlmodel import select
from weasyprint import HTML

from bot.base.config import Settings
from bot.demo.play import run_demo
from bot.shared.charts import indicator_chart
from bot.slack.blocks.evidence import evidence_messages
from reviews.evidence import build_evidence
from storage.db import SessionFactory, make_engine
from storage.models import Review, Team
from storage.periods import Period

DOCS = Path(__file__).resolve().parent.parent / "docs"
TODAY = date(2026, 11, 30)  # the pictures do not change with the day they are made
CHART = "ASCOF 2B(1)"
# Slack's own colours for the emoji the messages use, drawn as plain circles.
EMOJI = {
    ":large_blue_circle:": "#2b7bd6",
    ":large_orange_circle:": "#f4900c",
    ":white_circle:": "#c9c9c9",
    ":large_purple_circle:": "#7a3fb5",
    ":heavy_minus_sign:": None,
    ":grey_question:": None,
}
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
@page {{ size: 150mm {height}mm; margin: 5mm; }}
body {{ font: 9.5pt/1.45 "DejaVu Sans", sans-serif; color: #1d1c1d; }}
.who {{ font-weight: bold; }} .when {{ color: #616061; font-size: 8pt; }}
h3 {{ font-size: 11pt; margin: 4pt 0; }} p {{ margin: 3pt 0; }}
.context {{ color: #616061; font-size: 8pt; }}
.dot {{ display: inline-block; width: 8pt; height: 8pt; border-radius: 4pt;
        vertical-align: -1pt; border: .5pt solid #999; }}
code {{ font-family: "DejaVu Sans Mono"; color: #c01343; background: #f3f3f3;
        padding: 0 1.5pt; border-radius: 2pt; }}
.button {{ display: inline-block; border: .75pt solid #bbb; border-radius: 3pt;
           padding: 1pt 6pt; margin: 3pt 3pt 0 0; font-weight: bold; font-size: 8.5pt; }}
.beside {{ float: right; margin: 0 0 2pt 6pt; }}
.primary {{ background: #007a5a; color: white; border-color: #007a5a; }}
</style></head><body><p><span class="who">qpr bot</span> <span class="when">APP</span></p>
{body}</body></html>"""


def mrkdwn(text: str) -> str:
    """Enough of Slack's mrkdwn for the picture: bold, italics, code, emoji, bullets."""
    text = html.escape(html.unescape(text), quote=False)
    text = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"<b>\1</b>", text)
    text = re.sub(r"(?<![\w_])_([^_\n]+)_(?![\w_])", r"<i>\1</i>", text)
    text = re.sub(r"`([^`\n]+)`", r"<code>\1</code>", text)
    for code, colour in EMOJI.items():
        dot = f'<span class="dot" style="background:{colour}"></span>' if colour else "&ndash;"
        text = text.replace(code, dot)
    return text.replace("\n", "<br>")


def block_html(block: dict) -> str:
    kind = block["type"]
    if kind == "header":
        return f"<h3>{html.escape(block['text']['text'])}</h3>"
    if kind == "section":
        accessory = block.get("accessory")
        beside = (
            f'<span class="button beside">{html.escape(accessory["text"]["text"])}</span>'
            if accessory and accessory.get("type") == "button"
            else ""
        )
        return f"<p>{beside}{mrkdwn(block['text']['text'])}</p>"
    if kind == "context":
        return f'<p class="context">{" ".join(mrkdwn(e["text"]) for e in block["elements"])}</p>'
    if kind == "actions":
        parts = []
        for e in block["elements"]:
            label = (e.get("text") or e.get("placeholder"))["text"]
            label += " \u25be" if e["type"].endswith("select") else ""
            style = " primary" if e.get("style") == "primary" else ""
            parts.append(f'<span class="button{style}">{html.escape(label)}</span>')
        return "<p>" + "".join(parts) + "</p>"
    return ""


def png_pages(pdf: bytes, pages: int, scale: float = 2.0, trim: bool = False) -> list[bytes]:
    document = pypdfium2.PdfDocument(pdf)
    found = []
    for index in range(min(pages, len(document))):
        image = document[index].render(scale=scale).to_pil().convert("RGB")
        if trim:  # down to the last line of the message, and a margin
            ink = ImageOps.invert(image).getbbox()
            image = image.crop((0, 0, image.width, min(image.height, ink[3] + 40)))
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        found.append(buffer.getvalue())
    return found


def glance_picture(blocks: list[dict]) -> bytes:
    body = "\n".join(block_html(b) for b in blocks)
    # One page taller than any message, cut to the message: the picture is one piece.
    page = PAGE.format(title="Evidence at a glance", body=body, height=1000)
    return png_pages(HTML(string=page).write_pdf(), 1, trim=True)[0]


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        with contextlib.redirect_stdout(io.StringIO()):
            run_demo(Path(folder), Settings(), today=TODAY)
        engine = make_engine(f"sqlite:///{folder}/demo.sqlite3")
        with SessionFactory(engine)() as session:
            # The demo's judged review: the first of the team's, as its reports are.
            review = session.exec(
                select(Review).where(Review.closed_at.is_not(None)).order_by(Review.period_end)
            ).first()
            team = session.get(Team, review.team_id)
            period = Period(review.period_start, review.period_end, review.period_label)
            evidence = build_evidence(session, team.name, period, TODAY)
        engine.dispose()
        blocks = [b for m in evidence_messages(evidence, review.id) for b in m.blocks]
        pdf = next(Path(folder).glob("qpr-older-people-*.pdf")).read_bytes()
    DOCS.mkdir(exist_ok=True)
    written = {
        "evidence-at-a-glance.png": glance_picture(blocks),
        "chart.png": indicator_chart(next(e for e in evidence.indicators if e.code == CHART)),
    }
    for n, page in enumerate(png_pages(pdf, 2), start=1):
        written[f"report-page-{n}.png"] = page
    for name, content in written.items():
        (DOCS / name).write_bytes(content)
        print(f"docs/{name}: {len(content):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
