"""Which evidence bears on which outcome. An outcome holds what the facilitator linked
(indicators, complaint categories, view themes, survey questions) and whatever shares one of
its tags; matching words are offered as suggestions with their reason, never linked on their
own.

Words match by their stems, and by the groups of social-care words that mean the same thing
in `synonyms.toml` (wait, delay, waiting times; carer, break, respite; ...). A stem shared
outside a group counts only when it is five letters or more and not a common word, so "long"
in "without a long wait" links nothing to "long-term support"."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reviews.evidence.model import (
    ComplaintSummary,
    IndicatorEvidence,
    OutcomeEvidence,
    Suggestion,
    SurveyFinding,
    ViewSummary,
)

INDICATOR = "indicator"
COMPLAINT_CATEGORY = "complaint_category"
VIEW_THEME = "view_theme"
SURVEY_QUESTION = "survey_question"

_COMMON = """
a an and are as at be by for from has have in into is it its of on or our over that the
their them they this to was we were who will with within without people person service
services support supported care whom more less feel can get gets got good well long short
term time times year years month months last older young younger adult adults child
children number proportion percentage rate total average overall per population aged
social worker able want wants need needs stay stays living live lives other about above
after again against always among around because before being below better between both
could during every first having might never often should since still their there these
those through under until using where which while whose would really right making
"""
COMMON = frozenset(_COMMON.split())
MIN_STEM = 5
SUFFIXES = ("ing", "ed", "es", "s", "er", "ers", "ment", "ments")


@dataclass(frozen=True)
class Candidate:
    kind: str
    key: str
    text: str  # the words it is known by: an indicator's title, a theme, a question
    tags: tuple[str, ...] = ()


def stems(word: str) -> set[str]:
    """The word and what is left of it without a common ending ("waiting" -> "wait")."""
    found = {word}
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            found.add(word[: -len(suffix)])
    return found


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower().replace("-", ""))


@cache
def synonym_groups() -> dict[str, frozenset[str]]:
    data = tomllib.loads((Path(__file__).parent / "synonyms.toml").read_text())
    return {
        name: frozenset(
            s
            for word in words
            for token in _tokens(word)
            if token not in COMMON
            for s in stems(token)
        )
        for name, words in data["groups"].items()
    }


def _meanings(text: str) -> dict[str, str]:
    """What the text is about, {group or stem: the word of the text that says it}."""
    found: dict[str, str] = {}
    groups = synonym_groups()
    for token in _tokens(text):
        if token in COMMON:
            continue
        token_stems = stems(token)
        for name, members in groups.items():
            if token_stems & members:
                found.setdefault(f"group:{name}", token)
        for stem in token_stems:
            if len(stem) >= MIN_STEM and stem not in COMMON:
                found.setdefault(f"stem:{stem}", token)
    return found


def match_reason(statement: str, tags: Iterable[str], candidate: Candidate) -> str | None:
    """Why the candidate bears on the statement, or None."""
    tag_set = {t.lower() for t in tags}
    shared = tag_set & {t.lower() for t in candidate.tags}
    if candidate.kind != INDICATOR and candidate.key.lower() in tag_set:
        shared.add(candidate.key.lower())
    if shared:
        return f"tagged \u201c{sorted(shared)[0]}\u201d"
    said = _meanings(statement)
    about = _meanings(" ".join([candidate.text, *candidate.tags]))
    for meaning, word in said.items():
        if meaning in about:
            return f"matches \u201c{word}\u201d in the statement"
    return None


def suggest(statement: str, tags: Iterable[str], candidates: list[Candidate]) -> list[Suggestion]:
    tags = list(tags)
    found = []
    for candidate in candidates:
        reason = match_reason(statement, tags, candidate)
        if reason:
            found.append(Suggestion(candidate.kind, candidate.key, reason))
    return found


def indicator_candidates(indicators: Iterable) -> list[Candidate]:
    """Candidates from indicator rows or their evidence: anything with code, title, tags."""
    return [Candidate(INDICATOR, i.code, i.title, tuple(i.tags or ())) for i in indicators]


def named_candidates(names: dict[str, list[str]]) -> list[Candidate]:
    """Candidates from {kind: [category, theme or question, ...]}."""
    return [Candidate(kind, name, name) for kind, found in names.items() for name in found]


def outcome_evidence(
    outcome_id: int | None,
    text: str,
    tags: list[str],
    links: dict[str, list[str]],
    indicators: list[IndicatorEvidence],
    surveys: list[SurveyFinding],
    names: dict[str, list[str]],
    complaints_of: Callable[[list[str]], ComplaintSummary] | None = None,
    views_of: Callable[[list[str]], ViewSummary] | None = None,
) -> OutcomeEvidence:
    """`links` holds what the facilitator linked, {kind: [key, ...]} (indicator codes for
    indicators); `names` every complaint category, view theme and survey question the team
    has. `complaints_of(categories)` and `views_of(themes)` summarise those for the quarter."""
    tag_set = {t.lower() for t in tags}

    def chosen(kind: str, keys: list[str], matches_tag: Callable[[str], bool]) -> list[str]:
        linked = set(links.get(kind, []))
        return [k for k in keys if k in linked or matches_tag(k)]

    codes = chosen(
        INDICATOR,
        [i.code for i in indicators],
        lambda code: bool(
            tag_set & {t.lower() for i in indicators if i.code == code for t in i.tags}
        ),
    )
    categories = chosen(
        COMPLAINT_CATEGORY, names.get(COMPLAINT_CATEGORY, []), lambda c: c.lower() in tag_set
    )
    themes = chosen(VIEW_THEME, names.get(VIEW_THEME, []), lambda t: t.lower() in tag_set)
    questions = chosen(SURVEY_QUESTION, names.get(SURVEY_QUESTION, []), lambda q: False)
    linked = (
        {(INDICATOR, c) for c in codes}
        | {(COMPLAINT_CATEGORY, c) for c in categories}
        | {(VIEW_THEME, t) for t in themes}
        | {(SURVEY_QUESTION, q) for q in questions}
    )
    candidates = indicator_candidates(indicators) + named_candidates(names)
    suggestions = [s for s in suggest(text, tags, candidates) if (s.kind, s.key) not in linked]
    complaints: ComplaintSummary | None = (
        complaints_of(categories) if categories and complaints_of else None
    )
    views: ViewSummary | None = views_of(themes) if themes and views_of else None
    return OutcomeEvidence(
        outcome_id=outcome_id,
        text=text,
        indicator_codes=codes,
        complaint_categories=categories,
        view_themes=themes,
        survey_questions=questions,
        suggested_codes=[s.key for s in suggestions if s.kind == INDICATOR],
        suggested_questions=[s.key for s in suggestions if s.kind == SURVEY_QUESTION],
        suggestions=suggestions,
        complaints=complaints,
        views=views,
        surveys=[s for s in surveys if s.question in questions],
    )
