"""A chart in words, for whoever cannot see it: what is plotted over which periods, how
the figures moved (first and latest, highest and lowest, a shift or trend and when it
began), the reading, the target, England and the peers (`chart_alt_text`, the alt text of
every chart in Slack and the reports); and a point's SPC reading in a few words. Nothing
here draws, so a front end can say a chart without loading matplotlib."""

from __future__ import annotations

from datetime import date

from bot.base.wording import limits_text, plural, title_text, value_text
from bot.shared import icons
from reviews.evidence import spc
from reviews.evidence.model import IndicatorEvidence, period_words
from reviews.evidence.vocabulary import variation_short

# The flag's variation, as the icons and the vocabulary name it.
VARIATIONS = {
    spc.COMMON_CAUSE: "common_cause",
    spc.IMPROVEMENT: "special_cause_improvement",
    spc.CONCERN: "special_cause_concern",
    spc.NEUTRAL: "special_cause_neutral",
}
FLAG_WORDS = {
    spc.COMMON_CAUSE: "common cause",
    spc.IMPROVEMENT: "improvement",
    spc.CONCERN: "concern",
    spc.NEUTRAL: "special cause",
}
AXIS_WORDS = {"score": "score", "count": "number", "rate": "rate"}
FIGURE_WORDS = {
    "monthly": "monthly figure",
    "quarterly": "quarterly figure",
    "annual": "yearly figure",
}


def axis_words(evidence: IndicatorEvidence) -> str:
    """The y axis's label: the unit ("%", "days", "per 100,000") or what is counted."""
    return evidence.unit_words or AXIS_WORDS.get(evidence.unit, evidence.unit)


def _listed(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


# Slack's limit for an image's alt text; a screen reader's user hears it whole, so it says
# what the chart shows and no more.
ALT_TEXT_LIMIT = 1000


def point_words(point: spc.SpcPoint) -> str:
    """A point's SPC reading in a few words, as the icons name it, with the rules it broke:
    "common cause", "improvement (high): outside limits, shift"."""
    words = variation_short(VARIATIONS[point.flag], point.side)
    return f"{words}: {', '.join(point.rules)}" if point.rules else words


def _cut(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "\u2026"


def _periods(e: IndicatorEvidence, ends: list[date]) -> str:
    """The periods a figure was seen in: the latest, and how many earlier."""
    latest = period_words(e.frequency, ends[-1])
    if len(ends) == 1:
        return latest
    if len(ends) == 2:
        return f"{period_words(e.frequency, ends[0])} and {latest}"
    return f"{latest} and {len(ends) - 1} earlier periods"


def _extreme(e: IndicatorEvidence, value: float) -> str:
    ends = [f.period_end for f in e.series if f.value == value]
    return f"{value_text(e, value)} ({_periods(e, ends)})"


def _figures_sentence(e: IndicatorEvidence) -> str:
    first, latest = e.series[0], e.latest
    values = [f.value for f in e.series]

    def at(value: float, end: date) -> str:
        return f"{value_text(e, value)} ({period_words(e.frequency, end)})"

    return (
        f"First {at(first.value, first.period_end)}, latest {at(latest.value, latest.period_end)}; "
        f"highest {_extreme(e, max(values))}, lowest {_extreme(e, min(values))}."
    )


def _runs(chart: spc.SpcChart) -> list[list[spc.SpcPoint]]:
    """The shifts and trends SPC found: each run of consecutive points in one, on one
    side."""
    runs: list[list[spc.SpcPoint]] = []
    joined = False  # whether the point before was in a run
    for point in chart.points:
        sustained = bool({spc.SHIFT, spc.TREND} & set(point.rules))
        if sustained and joined and runs[-1][-1].side == point.side:
            runs[-1].append(point)
        elif sustained:
            runs.append([point])
        joined = sustained
    return runs


RUN_WORDS = {
    (spc.SHIFT, "high"): "points in a row above the mean",
    (spc.SHIFT, "low"): "points in a row below the mean",
    (spc.TREND, "high"): "points in a row, each higher than the one before",
    (spc.TREND, "low"): "points in a row, each lower than the one before",
}


def _run_sentence(e: IndicatorEvidence) -> str | None:
    """The latest shift or trend, how long it is, what it means and when it began."""
    if e.spc is None:
        return None
    runs = _runs(e.spc)
    if not runs:
        return None
    run = runs[-1]
    kinds = [k for k in (spc.SHIFT, spc.TREND) if all(k in p.rules for p in run)]
    side = run[-1].side or "high"
    if kinds:
        what = f"A {kinds[0]}: {len(run)} {RUN_WORDS[kinds[0], side]}"
    else:
        what = f"A shift and a trend: {len(run)} points in a row, {side}"
    meaning = FLAG_WORDS[run[-1].flag]
    start = period_words(e.frequency, run[0].period_end)
    if run[-1] is e.spc.points[-1]:
        when = f"since {start}"
    else:
        when = f"from {start} to {period_words(e.frequency, run[-1].period_end)}"
    return f"{what} ({meaning}), {when}."


def _signals_sentence(e: IndicatorEvidence) -> str | None:
    """How many points SPC marks as special cause, of each kind."""
    if e.spc is None:
        return None
    counts = {
        flag: sum(p.flag == flag for p in e.spc.points)
        for flag in (spc.IMPROVEMENT, spc.CONCERN, spc.NEUTRAL)
    }
    found = [f"{n} {FLAG_WORDS[flag]}" for flag, n in counts.items() if n]
    if not found:
        return "No point shows special cause variation."
    return f"Special cause points: {_listed(found)}."


def _benchmarks_sentence(e: IndicatorEvidence) -> str | None:
    """England's latest figure and the peers' average, each with its period."""
    parts = []
    england = [b for b in e.benchmarks if b.england is not None]
    if england:
        b = england[-1]
        parts.append(
            f"England: {value_text(e, b.england)} ({period_words(e.frequency, b.period_end)})"
        )
    peers = [b for b in e.benchmarks if b.peer_average is not None]
    if peers:
        b = peers[-1]
        parts.append(
            f"the average of {b.peers} {b.peer_group}: "
            f"{value_text(e, b.peer_average)} ({period_words(e.frequency, b.period_end)})"
        )
    if not parts:
        return None
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def chart_alt_text(evidence: IndicatorEvidence) -> str:
    """The chart in words, for screen readers and Slack's alt text: what is plotted over
    which periods; the first, latest, highest and lowest figures with their periods; the
    reading; the latest shift or trend and when it began; the target, the mean and limits,
    England and the peers. At most `ALT_TEXT_LIMIT` characters: where all of it would not
    fit, the least needed sentences are left out. A series with counts below 5 is not
    drawn, and its figures are not said either."""
    e = evidence
    title = _cut(f"{e.code}: {title_text(e)}", 300)
    if e.small_numbers:
        return f"No chart of {title}: its figures include counts below 5, which are not shown."
    first, last = e.series[0].period_end, e.latest.period_end
    drawn = ["their mean and process limits"] if e.spc is not None else []
    if e.target is not None:
        drawn.append(f"the target of {value_text(e, e.target)}")
    if any(b.england is not None for b in e.benchmarks):
        drawn.append("England's figures")
    if any(b.peer_average is not None for b in e.benchmarks):
        drawn.append(f"the average of its {e.benchmarks[-1].peer_group}")
    figures = plural(len(e.series), FIGURE_WORDS.get(e.frequency, "figure"))
    unit = f" ({axis_words(e)})" if axis_words(e) else ""
    span = f"from {period_words(e.frequency, first)} to {period_words(e.frequency, last)}"
    if e.variation is None:
        reading = f"No SPC reading: {e.spc_note or 'no chart'}."
    else:
        words = icons.variation_words(e.variation, e.variation_side)
        if e.target is not None:
            words += f"; {icons.assurance_words(e.assurance, e.assurance_why_not)}"
        reading = words[0].upper() + words[1:] + "."
    limits = limits_text(e)
    recalculated = None
    if e.spc is not None and e.spc.recalculated_from is not None:
        when = period_words(e.frequency, e.spc.recalculated_from)
        why = f": {_cut(e.recalculation_reason, 150)}" if e.recalculation_reason else ""
        recalculated = f"The limits are recalculated from {when}{why}."
    missing = None
    if e.missing_periods:
        gaps = [period_words(e.frequency, d) for d in e.missing_periods]
        more = len(gaps) - 4
        gaps = gaps[:4] + ([f"{more} more"] if more > 0 else [])
        missing = f"No figure for {_listed(gaps)}."
    # In reading order, each with its rank: the lower, the more it is needed.
    sentences = [
        (0, f"Chart of {title}."),
        (0, f"{figures}{unit} {span}" + (f", with {_listed(drawn)}." if drawn else ".")),
        (0, _figures_sentence(e)),
        (0, reading),
        (1, _run_sentence(e)),
        (4, _signals_sentence(e)),
        (3, limits[0].upper() + limits[1:] + "." if limits else None),
        (2, _benchmarks_sentence(e)),
        (5, recalculated),
        (6, missing),
    ]
    return _fit([(rank, text) for rank, text in sentences if text])


def _fit(sentences: list[tuple[int, str]]) -> str:
    """The sentences in their order, leaving out the least needed until they fit."""
    kept = list(sentences)
    while len(" ".join(text for _, text in kept)) > ALT_TEXT_LIMIT and len(kept) > 1:
        kept.remove(max(kept, key=lambda s: s[0]))
    return _cut(" ".join(text for _, text in kept), ALT_TEXT_LIMIT)
