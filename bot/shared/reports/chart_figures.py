"""The figures behind a chart, as a table to go with it: a reader who cannot see the chart,
or wants the numbers, has every period's figure, its SPC reading where SPC is drawn, and
England's and the peers' figures where the chart has them. Only charts that are drawn get
one, and a chart is never drawn from counts below 5, so no figure here is held back."""

from __future__ import annotations

from datetime import date

from bot.base.wording import format_value, title_text, value_text
from bot.shared.chart_words import axis_words, point_words
from reviews.evidence.model import IndicatorEvidence, period_words

NO_FIGURE = "no figure"


def figures_head(e: IndicatorEvidence) -> list[str]:
    head = ["Period", "Figure"]
    if e.spc is not None:
        head.append("SPC reading")
    if any(b.england is not None for b in e.benchmarks):
        head.append("England")
    if any(b.peer_average is not None for b in e.benchmarks):
        head.append("Peers' average")
    return head


def figures_rows(e: IndicatorEvidence) -> list[list[str]]:
    """A row a period, oldest first, a period with no figure included as such."""
    found = {f.period_end: f for f in e.series}
    points = {p.period_end: p for p in e.spc.points} if e.spc is not None else {}
    benchmarks = {b.period_end: b for b in e.benchmarks}
    england = any(b.england is not None for b in e.benchmarks)
    peers = any(b.peer_average is not None for b in e.benchmarks)
    rows = []
    for end in sorted([*found, *e.missing_periods]):
        figure = found.get(end)
        row = [period_words(e.frequency, end), value_text(e, figure.value) if figure else NO_FIGURE]
        if e.spc is not None:
            row.append(point_words(points[end]) if end in points else "")
        b = benchmarks.get(end)
        if england:
            row.append(_benchmark(e, b.england if b else None))
        if peers:
            row.append(_benchmark(e, b.peer_average if b else None))
        rows.append(row)
    return rows


def _benchmark(e: IndicatorEvidence, value: float | None) -> str:
    return "" if value is None else value_text(e, value)


def figures_caption(e: IndicatorEvidence) -> str:
    """What the table holds, and the mean and limits each point was read against."""
    first, last = e.series[0].period_end, e.latest.period_end
    unit = axis_words(e)
    caption = (
        f"Figures of {e.code} {title_text(e)}{f' ({unit})' if unit else ''}, "
        f"{period_words(e.frequency, first)} to {period_words(e.frequency, last)}"
    )
    if e.spc is None:
        return caption + f"; no SPC reading ({e.spc_note or 'no chart'})."
    return caption + f", with each point's SPC reading: {limits_words(e)}."


def limits_words(e: IndicatorEvidence) -> str:
    """The mean and process limits of each set of points, and from when, where the limits
    were recalculated."""
    assert e.spc is not None
    places = e.decimals + 1

    def shown(value: float) -> str:
        return format_value(e.limit(value), e.unit, places, e.unit_words)

    sets: list[tuple[date, tuple[float, float, float]]] = []
    for p in e.spc.points:
        limits = (p.centre, p.lower, p.upper)
        if not sets or sets[-1][1] != limits:
            sets.append((p.period_end, limits))
    said = [
        f"mean {shown(centre)}, process limits {shown(lower)} to {shown(upper)}"
        for _, (centre, lower, upper) in sets
    ]
    if len(sets) == 1:
        return said[0]
    return "; ".join(
        f"from {period_words(e.frequency, start)} {words}"
        for (start, _), words in zip(sets, said, strict=True)
    )
