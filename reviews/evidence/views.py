"""User views in the period: compliments, comments and suggestions, and a few in full.

The team's views are counted twice, each a protected column beside their total: by kind and
by theme. An outcome's views are some themes' rows of the team's table. A quote is shown
only where its theme and its kind are each known to count 5 or more (three quotes under
"fewer than 5" would say how many there were), and dated by its month: a day beside a
person's own words can tell who wrote them."""

from __future__ import annotations

from collections import Counter

from reviews.evidence.disclosure import five_or_more, part_total, protect_columns
from reviews.evidence.model import Quote, ViewSummary
from storage.periods import Period

KINDS = ("compliment", "comment", "suggestion")
QUOTES = 3
QUOTE_LENGTH = 200


def _quotes(rows: list[tuple], themes: dict, kinds: dict) -> list[Quote]:
    return [
        Quote(received.replace(day=1), str(kind), theme, text)
        for received, kind, theme, text in rows
        if text  # words past their keeping are emptied; the view still counts
        and len(text) <= QUOTE_LENGTH
        and five_or_more(themes.get(theme))
        and five_or_more(kinds.get(str(kind)))
    ][:QUOTES]


def view_summary(rows: list[tuple], period: Period) -> ViewSummary:
    """`rows` are (received, kind, theme, text), newest first."""
    kind_counts = Counter(str(kind) for _, kind, _, _ in rows)
    theme_counts = Counter(theme for _, _, theme, _ in rows)
    ordered = dict(sorted(theme_counts.items(), key=lambda kv: (-kv[1], kv[0])))
    (by_kind, by_theme), total = protect_columns(
        [{k: kind_counts.get(k, 0) for k in KINDS}, ordered], len(rows)
    )
    return ViewSummary(
        period=period,
        total=total,
        by_kind=by_kind,
        by_theme=by_theme,
        quotes=_quotes(rows, by_theme, by_kind),
    )


def view_part(whole: ViewSummary, rows: list[tuple], themes: list[str]) -> ViewSummary:
    """Some themes of the team's views: their counts as the team's table has them, a total
    only where each is shown, and quotes under the same rule as the team's."""
    by_theme = {t: whole.by_theme.get(t, 0) for t in themes}
    return ViewSummary(
        period=whole.period,
        total=part_total(by_theme.values()),
        by_kind={},
        by_theme=by_theme,
        quotes=_quotes([r for r in rows if r[2] in themes], by_theme, whole.by_kind),
        part=True,
    )
