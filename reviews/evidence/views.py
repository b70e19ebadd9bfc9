"""User views in the period: compliments, comments and suggestions, and a few in full."""

from __future__ import annotations

from collections import Counter

from reviews.evidence.model import Quote, ViewSummary, suppress
from storage.periods import Period

QUOTES = 3
QUOTE_LENGTH = 200


def view_summary(rows: list[tuple], period: Period) -> ViewSummary:
    """`rows` are (received, kind, theme, text), newest first."""
    kinds = Counter(str(kind) for _, kind, _, _ in rows)
    themes = Counter(theme for _, _, theme, _ in rows)
    quotes = [
        Quote(received, str(kind), theme, text)
        for received, kind, theme, text in rows
        if len(text) <= QUOTE_LENGTH
    ][:QUOTES]
    return ViewSummary(
        period=period,
        by_kind={k: suppress(kinds.get(k, 0)) for k in ("compliment", "comment", "suggestion")},
        by_theme={t: suppress(n) for t, n in sorted(themes.items(), key=lambda kv: -kv[1])},
        quotes=quotes,
    )
