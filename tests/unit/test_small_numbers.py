"""Counts of 1 to 4 are never shown, nor left to be worked out: a total beside the counts
shown must not tell a suppressed one."""

from __future__ import annotations

from datetime import timedelta

from reviews.evidence.complaints import complaint_summary
from reviews.evidence.model import SUPPRESSED, WITHHELD
from storage.periods import parse_quarter

Q2, Q1, LAST_YEAR = (parse_quarter(q) for q in ("2026/27 Q2", "2026/27 Q1", "2025/26 Q2"))


def rows(**counts: int) -> list[tuple]:
    """Complaints received in Q2, still open, so many of each category."""
    day = Q2.start + timedelta(days=10)
    return [(day, category, "open", None) for category, n in counts.items() for _ in range(n)]


def shown(summary) -> dict[str, int | str]:
    return {c.category: c.count for c in summary.top_categories}


def test_a_total_beside_the_other_categories_does_not_tell_a_suppressed_one():
    summary = complaint_summary(rows(delays=5, charging=3), Q2, Q1, LAST_YEAR, 20)
    assert summary.received == 8
    # 8 less the delays' 5 would tell charging's 3: the delays are withheld too.
    assert shown(summary) == {"delays": WITHHELD, "charging": SUPPRESSED}


def test_two_small_categories_that_add_up_to_five_or_more_need_nothing_more():
    summary = complaint_summary(rows(delays=9, charging=3, food=4), Q2, Q1, LAST_YEAR, 20)
    assert shown(summary) == {"delays": 9, "food": SUPPRESSED, "charging": SUPPRESSED}


def test_an_outcomes_total_is_withheld_where_the_teams_counts_would_tell_a_small_one():
    # The team's own summary shows delays 5; an outcome's total of 8 for delays and
    # charging would tell charging's 3.
    part = complaint_summary(rows(delays=5, charging=3), Q2, Q1, LAST_YEAR, 20, True)
    assert part.received == WITHHELD
    whole = complaint_summary(rows(delays=5, charging=5), Q2, Q1, LAST_YEAR, 20, True)
    assert whole.received == 10 and shown(whole) == {"charging": 5, "delays": 5}


def test_nothing_is_withheld_when_no_count_is_small():
    summary = complaint_summary(rows(delays=7, charging=6), Q2, Q1, LAST_YEAR, 20, True)
    assert summary.received == 13 and WITHHELD not in shown(summary).values()
