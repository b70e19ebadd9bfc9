"""Counts of 1 to 4 are never shown, nor left to be worked out: not from a total beside the
counts shown, not from the difference between an outcome's counts and the team's or another
outcome's, not from quotes under a count.

The property tests play the reader who wants a suppressed count: they take everything
published for a quarter (the team's table and every outcome's part of it) and try every
value each hidden count could have; a count that can take only one value was given away."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from reviews.evidence.complaints import COLUMNS, complaint_part, complaint_summary
from reviews.evidence.disclosure import SUPPRESSED, WITHHELD, five_or_more, protect_column
from reviews.evidence.views import view_part, view_summary
from storage.periods import parse_quarter
from tests.helpers.reader import given_away

Q2, Q1, LAST_YEAR = (parse_quarter(q) for q in ("2026/27 Q2", "2026/27 Q1", "2025/26 Q2"))
CATEGORIES = ("delays", "charging", "communication", "staff attitude", "care quality")


def rows(**counts: int) -> list[tuple]:
    """Complaints received in Q2, still open, so many of each category."""
    day = Q2.start + timedelta(days=10)
    return [(day, category, "open", None) for category, n in counts.items() for _ in range(n)]


def shown(summary) -> dict[str, int | str]:
    return {c.category: c.count for c in summary.categories}


def test_a_total_beside_the_other_categories_does_not_tell_a_suppressed_one():
    summary = complaint_summary(rows(delays=5, charging=3), Q2, Q1, LAST_YEAR, 20)
    assert summary.received == 8
    # 8 less the delays' 5 would tell charging's 3: the delays are withheld too.
    assert shown(summary) == {"delays": WITHHELD, "charging": SUPPRESSED}


def test_where_nothing_else_can_be_withheld_the_total_is():
    # 6, of which at least 5 delays, would tell charging's 1 however it is written.
    summary = complaint_summary(rows(delays=5, charging=1), Q2, Q1, LAST_YEAR, 20)
    assert summary.received == WITHHELD
    assert shown(summary) == {"delays": WITHHELD, "charging": SUPPRESSED}


def test_two_small_categories_that_add_up_to_five_or_more_need_nothing_more():
    summary = complaint_summary(rows(delays=9, charging=3, food=4), Q2, Q1, LAST_YEAR, 20)
    assert shown(summary) == {"delays": 9, "food": SUPPRESSED, "charging": SUPPRESSED}


def test_every_category_is_listed_so_the_counts_add_up_to_the_total():
    summary = complaint_summary(
        rows(delays=9, charging=6, food=7, staff=5, noise=8, parking=5), Q2, Q1, LAST_YEAR, 20
    )
    assert sum(shown(summary).values()) == summary.received == 40


def test_an_outcomes_counts_are_the_teams_and_its_total_only_where_they_are_all_shown():
    complaints = rows(delays=5, charging=3)
    whole = complaint_summary(complaints, Q2, Q1, LAST_YEAR, 20)
    part = complaint_part(whole, complaints, ["delays", "charging"], Q1, LAST_YEAR)
    assert shown(part) == {"delays": WITHHELD, "charging": SUPPRESSED}
    assert part.received == WITHHELD
    complaints = rows(delays=5, charging=5)
    whole = complaint_summary(complaints, Q2, Q1, LAST_YEAR, 20)
    part = complaint_part(whole, complaints, ["delays", "charging"], Q1, LAST_YEAR)
    assert part.received == 10 and shown(part) == {"delays": 5, "charging": 5}


def test_the_same_quarter_is_protected_alike_in_every_review_that_shows_it():
    """This quarter's "the quarter before" is last quarter's "received": one column, one
    protection, or the two reports together would tell it."""
    q1_day = Q1.start + timedelta(days=3)
    complaints = [
        (q1_day, c, "open", None) for c, n in (("delays", 6), ("food", 2)) for _ in range(n)
    ]
    this = complaint_summary(complaints, Q2, Q1, LAST_YEAR, 20)
    last = complaint_summary(complaints, Q1, parse_quarter("2025/26 Q4"), LAST_YEAR, 20)
    assert {k.category: k.previous_quarter for k in this.categories} == shown(last)


def test_nothing_is_withheld_when_no_count_is_small():
    summary = complaint_summary(rows(delays=7, charging=6), Q2, Q1, LAST_YEAR, 20)
    assert summary.received == 13 and WITHHELD not in shown(summary).values()


def test_a_quote_shows_only_under_counts_that_are_shown_and_by_its_month():
    views = [(date(2026, 8, 24), "comment", "waiting times", "Too long a wait.")] * 2
    views += [(date(2026, 8, d), "compliment", "social worker", "Kind.") for d in range(3, 9)]
    views += [(date(2026, 9, d), "suggestion", "meals", "Hot meals.") for d in range(3, 8)]
    summary = view_summary(views, Q2)
    assert summary.by_theme["waiting times"] == SUPPRESSED
    assert {q.theme for q in summary.quotes} == {"social worker"}
    assert all(q.month == date(2026, 8, 1) for q in summary.quotes)
    waiting = view_part(summary, views, ["waiting times"])
    assert waiting.total == SUPPRESSED and waiting.quotes == []


# --- the reader who tries every value --------------------------------------------------------


counts = st.lists(st.integers(0, 8), min_size=1, max_size=4)
subsets = st.lists(st.sets(st.integers(0, 3), min_size=1), max_size=3)


@settings(max_examples=150, deadline=None)
@given(counts, counts, counts, subsets)
def test_no_suppressed_complaint_count_can_be_worked_out_from_all_that_is_published(
    now, before, open_now, links
):
    day = {"received": Q2.start, "previous_quarter": Q1.start}
    complaints = []
    for column, found in (("received", now), ("previous_quarter", before)):
        for category, n in zip(CATEGORIES, found, strict=False):
            complaints += [
                (
                    day[column] + timedelta(days=2),
                    category,
                    "not upheld",
                    day[column] + timedelta(days=5),
                )
            ] * n
    for category, n in zip(CATEGORIES, open_now, strict=False):
        complaints += [(Q2.start + timedelta(days=1), category, "open", None)] * n
    whole = complaint_summary(complaints, Q2, Q1, LAST_YEAR, 20)
    parts = [
        complaint_part(whole, complaints, [CATEGORIES[i] for i in sorted(link)], Q1, LAST_YEAR)
        for link in links
    ]
    for column in COLUMNS:
        field = "count" if column == "received" else column
        cells = {k.category: getattr(k, field) for k in whole.categories}
        published = [({k.category for k in p.categories}, getattr(p, column)) for p in parts]
        # Every part's cells are the team's, as the reader would check first.
        for p in parts:
            assert all(getattr(k, field) == cells.get(k.category, 0) for k in p.categories)
        truth = sum(1 for c in complaints if c[1] in cells)
        assert given_away(cells, getattr(whole, column), published, truth + 5) == []


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(0, 8), min_size=3, max_size=3),
    st.lists(st.integers(0, 6), min_size=1, max_size=3),
    subsets,
)
def test_no_suppressed_view_count_can_be_worked_out_by_kind_by_theme_or_by_outcome(
    by_kind, themes, links
):
    """Kinds and themes count the same views two ways: each column, and the total they
    share, must hold on its own and beside the other."""
    total = sum(by_kind)
    spread = list(themes) + [0] * 3
    # Themes as given, the rest of the views under one more theme, so both add up alike.
    theme_counts = {f"theme {i}": n for i, n in enumerate(spread[: len(themes)])}
    theme_counts["theme rest"] = max(0, total - sum(theme_counts.values()))
    kinds = [
        k
        for k, n in zip(("compliment", "comment", "suggestion"), by_kind, strict=True)
        for _ in range(n)
    ]
    themes_each = [t for t, n in theme_counts.items() for _ in range(n)]
    size = min(len(kinds), len(themes_each))
    views = [(date(2026, 8, 3), kinds[i], themes_each[i], "words") for i in range(size)]
    summary = view_summary(views, Q2)
    names = list(summary.by_theme)
    parts = [
        view_part(summary, views, [names[i] for i in link if i < len(names)]) for link in links
    ]
    for column in (summary.by_kind, summary.by_theme):
        published = (
            [(set(p.by_theme), p.total) for p in parts] if column is summary.by_theme else []
        )
        other = summary.by_theme if column is summary.by_kind else summary.by_kind
        # Where the other column shows every count, it tells the total even if kept back.
        total_known = summary.total
        if all(isinstance(n, int) for n in other.values()):
            total_known = sum(other.values())
        assert given_away(dict(column), total_known, published, size + 5) == []
    assert all(
        five_or_more(summary.by_theme[q.theme]) and five_or_more(summary.by_kind[q.kind])
        for q in summary.quotes
    )


def test_a_column_under_a_total_below_five_hides_every_count():
    cells, total = protect_column({"delays": 2, "food": 1}, 3)
    assert total == SUPPRESSED and set(cells.values()) == {SUPPRESSED}
