"""The evidence summary as Slack messages: every figure posted, each message within Slack's
limits (blocks per message, characters per section), each figure with its period."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from sqlmodel import select

from bot.slack.blocks.evidence import detail_view, evidence_messages
from bot.slack.blocks.messages import with_files
from reviews.evidence import build_evidence
from storage.imports import import_file
from storage.models import OutcomeStatement, OutcomeStatus, Review, ReviewStage, Team
from storage.periods import parse_quarter
from tests.helpers.files import write

# From the platform facts: 50 blocks a message, 3000 characters a section's text, and
# msg_blocks_too_long seen from about 12,000 characters of blocks.
MAX_BLOCKS, MAX_SECTION, MAX_PAYLOAD = 50, 3000, 12_000
Q2 = parse_quarter("2026/27 Q2")


def month_ends(n: int) -> list[date]:
    found, day = [], date(2026, 9, 30)
    for _ in range(n):
        found.append(day)
        day = day.replace(day=1) - timedelta(days=1)
    return found[::-1]


def forty_indicators_and_eight_outcomes(factory, tmp_path) -> None:
    tags = ["home", "safety", "carers", "information", "choice", "work", "health", "money"]
    indicators = "code,title,unit,polarity,target,tags,key\n" + "".join(
        f"IND {i:02d},A long indicator title about outcome area {tags[i % 8]} number {i} "
        f"measured monthly,percent,higher,60,{tags[i % 8]},{'yes' if i < 6 else 'no'}\n"
        for i in range(40)
    )
    import_file(factory, "indicators", write(tmp_path, "i.csv", indicators))
    values = "team,indicator,period_end,value\n" + "".join(
        f"Big Team,IND {i:02d},{d},{50 + (i + n) % 17}\n"
        for i in range(40)
        for n, d in enumerate(month_ends(30))
    )
    import_file(factory, "values", write(tmp_path, "v.csv", values))
    with factory.unit_of_work() as session:
        team = session.exec(select(Team)).one()
        review = Review(
            team_id=team.id,
            period_label=Q2.label,
            period_start=Q2.start,
            period_end=Q2.end,
            stage=ReviewStage.EVIDENCE,
        )
        session.add(review)
        session.flush()
        for n, tag in enumerate(tags):
            session.add(
                OutcomeStatement(
                    review_id=review.id,
                    status=OutcomeStatus.AGREED,
                    text=f"Outcome {n} about {tag} " + "words " * 30,
                    tags=[tag],
                )
            )


def test_forty_indicators_and_eight_outcomes_post_every_figure_within_slacks_limits(
    factory, tmp_path
):
    forty_indicators_and_eight_outcomes(factory, tmp_path)
    with factory() as session:
        evidence = build_evidence(session, "Big Team", Q2, date(2026, 11, 26))
    messages = evidence_messages(evidence, review_id=1)
    for message in messages:
        assert len(message.blocks) <= MAX_BLOCKS
        assert len(json.dumps(message.blocks)) < MAX_PAYLOAD
        for block in message.blocks:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= MAX_SECTION
    posted = "\n".join(json.dumps(m.blocks) for m in messages)
    linked = {code for o in evidence.outcomes for code in o.indicator_codes}
    shown = {e.code for e in evidence.indicators if e.key} | linked
    assert len(shown) == 40
    for code in shown:
        assert posted.count(f"*{code}*") == 1  # each in full once, however many outcomes
    for n in range(8):
        assert f"*{n + 1}. Outcome {n} about" in posted
    # The last message carries the charts: as a file share it shows only sections and
    # buttons, its heading and dates kept as sections, within the same limits.
    attached = with_files(messages[-1].blocks)
    assert attached is not None and len(attached) == len(messages[-1].blocks)
    assert {b["type"] for b in attached} <= {"section", "actions"}
    assert len(json.dumps(attached)) < MAX_PAYLOAD
    assert "Evidence at a glance" in json.dumps(with_files(messages[0].blocks))
    in_full = [b["accessory"]["value"] for m in messages for b in m.blocks if "accessory" in b]
    ids = [o.outcome_id for o in evidence.outcomes]
    assert in_full == [f"1:{i}" for i in ids] + ["1:0"]

    # The rest is one click away, each form within Slack's limits.
    for which in [0, *ids]:
        view = detail_view(evidence, which)
        assert len(view["blocks"]) <= 100 and len(view["title"]["text"]) <= 24
        assert all(
            len(b["text"]["text"]) <= MAX_SECTION for b in view["blocks"] if b["type"] == "section"
        )
    everything = json.dumps(detail_view(evidence, 0)["blocks"])
    for i in range(40):
        assert f"*IND {i:02d}*" in everything  # no indicator dropped


def test_every_posted_figure_carries_its_period(factory, tmp_path):
    forty_indicators_and_eight_outcomes(factory, tmp_path)
    with factory() as session:
        evidence = build_evidence(session, "Big Team", Q2, date(2026, 11, 26))
    lines = [
        line
        for m in evidence_messages(evidence)
        for block in m.blocks
        if block["type"] == "section"
        for line in block["text"]["text"].split("\n")
        if "*IND" in line and "(above)" not in line
    ]
    assert len(lines) >= 40
    for line in lines:
        figures = re.findall(r"\d+(?:\.\d+)?%", line)
        periods = re.findall(
            r"\((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}(?:, \d+ days? old)?\)",
            line,
        )
        # The latest value and the quarter before's each come with their month; the target
        # is a standing figure, not a measurement.
        assert len(periods) >= len(figures) - 1 >= 1, line
