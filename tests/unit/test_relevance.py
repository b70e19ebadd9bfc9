"""Suggestions of what bears on an outcome: by word stems and social-care synonyms, each with
its reason, and never from one short common word."""

from __future__ import annotations

import csv

from reviews.evidence.relevance import (
    COMPLAINT_CATEGORY,
    SURVEY_QUESTION,
    VIEW_THEME,
    Candidate,
    indicator_candidates,
    named_candidates,
    suggest,
    synonym_groups,
)
from storage.models import Indicator
from tests.conftest import SAMPLE


def sample_candidates() -> list[Candidate]:
    with (SAMPLE / "indicators.csv").open() as handle:
        indicators = [
            Indicator(
                code=r["code"],
                title=r["title"],
                tags=r["tags"].split(";"),
                unit="percent",
                polarity="higher",
            )
            for r in csv.DictReader(handle)
        ]
    names = {
        COMPLAINT_CATEGORY: ["delays", "charging", "communication", "assessment decision"],
        VIEW_THEME: ["waiting times", "respite", "information", "social worker"],
        SURVEY_QUESTION: ["How satisfied or dissatisfied are you with the services you receive?"],
    }
    return indicator_candidates(indicators) + named_candidates(names)


def reasons(statement: str, tags=()) -> dict[str, str]:
    return {s.key: s.reason for s in suggest(statement, tags, sample_candidates())}


def test_a_wait_finds_the_delays_complaints_and_the_waiting_times_views():
    found = reasons("People get an assessment without a long wait")
    assert found["delays"] == "matches \u201cwait\u201d in the statement"
    assert found["waiting times"] == "matches \u201cwait\u201d in the statement"
    assert found["LOCAL WAITDAYS"] == "matches \u201cassessment\u201d in the statement"
    assert "LOCAL ASSESS28" in found and "assessment decision" in found


def test_one_short_common_word_links_nothing():
    # "long" is in the statement and in "long-term support": that is no reason.
    found = reasons("People get an assessment without a long wait")
    assert "LOCAL REVIEW12" not in found
    assert all("long" not in reason for reason in found.values())
    assert reasons("For as long as they want to") == {}


def test_a_break_is_respite_for_carers():
    assert reasons("Families get a break now and then")["respite"] == (
        "matches \u201cbreak\u201d in the statement"
    )
    found = reasons("Carers get a break and feel supported")
    assert found["ASCOF 1D"] == "matches \u201ccarers\u201d in the statement"
    assert "respite" in found


def test_a_shared_tag_is_its_own_reason():
    found = reasons("Something else entirely", tags=["reablement"])
    assert found["ASCOF 2B(1)"] == "tagged \u201creablement\u201d"


def test_every_synonym_group_holds_words_not_one_letter_stems():
    groups = synonym_groups()
    assert {"waiting", "carers", "home"} <= set(groups)
    assert all(len(stem) >= 3 for members in groups.values() for stem in members)
    assert "delay" in groups["waiting"] and "respite" in groups["carers"]
