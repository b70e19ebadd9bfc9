"""Which evidence bears on which outcome: explicit links and shared tags; matching words
are offered as suggestions only, never linked on their own."""

from __future__ import annotations

import re

from reviews.evidence.model import IndicatorEvidence, OutcomeEvidence, SurveyFinding

_STOP_WORDS = """
a an and are as at be by for from has have in into is it its of on or our over that the
their them they this to was we were who will with within people person service services
support supported care whom more less feel can
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


def words(text: str) -> set[str]:
    found = set()
    for word in re.findall(r"[a-z]+", text.lower()):
        if len(word) > 2 and word not in STOP_WORDS:
            found.add(word[:-1] if word.endswith("s") and len(word) > 4 else word)
    return found


def outcome_evidence(
    outcome_id: int | None,
    text: str,
    tags: list[str],
    linked_codes: set[str],
    indicators: list[IndicatorEvidence],
    surveys: list[SurveyFinding],
    complaint_categories: list[str],
    view_themes: list[str],
) -> OutcomeEvidence:
    tag_set = {t.lower() for t in tags}
    tag_words = set().union(*(words(t) for t in tag_set)) if tag_set else set()
    codes = [
        i.code
        for i in indicators
        if i.code in linked_codes or tag_set & {t.lower() for t in i.tags}
    ]
    text_words = words(text)
    suggested = [
        i.code
        for i in indicators
        if i.code not in codes
        and text_words & (words(i.title) | set().union(*map(words, i.tags or [""])))
    ]
    return OutcomeEvidence(
        outcome_id=outcome_id,
        text=text,
        indicator_codes=codes,
        suggested_questions=[
            s.question for s in surveys if (tag_words | text_words) & words(s.question)
        ],
        complaint_categories=[c for c in complaint_categories if c.lower() in tag_set],
        view_themes=[t for t in view_themes if t.lower() in tag_set],
        suggested_codes=suggested,
    )
