"""Figures, targets and places among peers in words, the same in Slack, the terminal and
the reports: a value is written in its indicator's unit and precision wherever it appears."""

from __future__ import annotations

from urllib.parse import quote

from reviews.evidence.model import (
    SUPPRESSED,
    WITHHELD,
    CategoryCount,
    ComplaintSummary,
    Figure,
    IndicatorEvidence,
    Placement,
    Quote,
    ViewSummary,
    period_words,
)

# What a person is told when something failed that they could not have caused.
SOMETHING_WENT_WRONG = "Sorry, something went wrong and nothing was changed. Please try again."


ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th"}


def quartile_text(p: Placement) -> str:
    """Which quarter of the councils the team is in, saying which end is better."""
    ends = ("highest", "lowest") if p.polarity == "neutral" else ("best", "worst")
    end = {1: f": the {ends[0]} quarter", 4: f": the {ends[1]} quarter"}.get(p.quartile, "")
    return f"{ORDINALS[p.quartile]} quartile{end}"


def ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def rank_text(p: Placement) -> str:
    """The team's place in a few words, saying which end is better: "2nd best of 4
    comparable councils (2024/25)"."""
    end = "highest" if p.polarity == "neutral" else "best"
    place = end if p.rank == 1 else f"{ordinal(p.rank)} {end}"
    if p.council:
        return f"{council_text(p)}: {place} of {p.of} {p.peer_group}"
    return f"{place} of {p.of} {p.peer_group} ({p.period_label}{margin_text(p)})"


def council_text(p: Placement) -> str:
    """The council's own figure, when it is that and not the team's that is placed."""
    value = format_value(p.team_value, p.unit, p.decimals, p.unit_words)
    return f"the council's figure {value} ({p.council}, {p.period_label})"


def margin_text(p: Placement) -> str:
    """Where the team's figure has an interval, how many peers lie within it."""
    if not p.within_margin:
        return ""
    return f"; {p.within_margin} of them within its margin of error"


def peers_text(p: Placement) -> str:
    """The team's place in a few words, for the line of an indicator wherever it appears."""
    if p.council:
        return f"{council_text(p)}, rank {p.rank} of {p.of} {p.peer_group} ({quartile_text(p)})"
    return (
        f"rank {p.rank} of {p.of} {p.peer_group} in {p.period_label} ({quartile_text(p)}"
        f"{margin_text(p)})"
    )


def placement_line(p: Placement) -> str:
    """A team's place among its peers in full, in the indicator's own unit and precision."""

    def shown(value: float) -> str:
        return format_value(value, p.unit, p.decimals, p.unit_words)

    england = f"; England {shown(p.england)}" if p.england is not None else ""
    # A difference in the figures' own unit: percentage points, days, per 100,000.
    gap = format_value(abs(p.gap_to_average), p.unit, p.decimals, p.unit_words).rstrip("%")
    sign = "+" if p.gap_to_average >= 0 else "-"
    points = " points" if p.unit == "percent" else ""
    whose = f"{p.council}, the council's figure, " if p.council else ""
    return (
        f"{p.period_label}: {whose}{shown(p.team_value)}, rank {p.rank} of {p.of} "
        f"{p.peer_group} ({quartile_text(p)}{margin_text(p)}), {sign}{gap}{points} against "
        "their average "
        f"{shown(p.peer_average)}{england}"
    )


def unit_name(e: IndicatorEvidence) -> str:
    """What an indicator's figures count, in words, for a column of its own: "percent",
    "days", "per 100,000", "score", "count"."""
    if e.unit == "percent":
        return "percent"
    return e.unit_words if e.unit in ("rate", "days") else e.unit


def title_text(e: IndicatorEvidence) -> str:
    """An indicator's title, saying so when its figures are the council's published ones."""
    return f"{e.title} (the council's published figures)" if e.from_area else e.title


def format_value(
    value: float | str | None, unit: str, decimals: int | None = None, words: str = ""
) -> str:
    """A value in its unit: to `decimals` places where the indicator's precision is known,
    with what it counts after it ("31.5 days", "569.1 per 100,000")."""
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if decimals is not None:
        text = f"{value:,.{decimals}f}"
    elif unit == "percent":
        text = f"{value:.1f}"
    elif abs(value) >= 1000:
        text = f"{value:,.0f}"
    else:
        text = f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}".removesuffix(".0")
    if unit == "percent":
        return text + "%"
    return f"{text} {words}" if words and words != "%" else text


def value_text(e: IndicatorEvidence, value: float | None) -> str:
    """A figure of an indicator as it may be shown: its precision, its unit, small counts
    suppressed."""
    return format_value(e.shown(value), e.unit, e.decimals, e.unit_words)


def figure_text(e: IndicatorEvidence, figure: Figure) -> str:
    """A figure of an indicator with its period, small counts suppressed."""
    shown = value_text(e, figure.value)
    return f"{shown} ({period_words(e.frequency, figure.period_end)})"


def latest_text(e: IndicatorEvidence) -> str:
    """The latest figure with its period and its age, "late" where a newer one is overdue
    (the data notes say when it was expected), and its base."""
    shown = value_text(e, e.latest.value)
    period = period_words(e.frequency, e.latest.period_end)
    age = f"{plural(e.age_days, 'day')} old" + (", late" if e.out_of_date else "")
    base = base_text(e)
    return f"{shown} ({period}, {age}{f'; {base}' if base else ''})"


def limits_text(e: IndicatorEvidence) -> str | None:
    """The chart's centre line and process limits, a place finer than the figures."""
    if e.spc is None:
        return None
    places = e.decimals + 1

    def shown(value: float) -> str:
        return format_value(e.limit(value), e.unit, places, e.unit_words)

    return (
        f"mean {shown(e.spc.centre)}, process limits {shown(e.spc.lower)} to {shown(e.spc.upper)}"
    )


def context_text(e: IndicatorEvidence) -> list[str]:
    """The quarter before and the year before, as figures for context: two points are not
    a verdict, so no better or worse goes with them."""
    parts = [f"among peers: {peers_text(e.placement)}"] if e.placement else []
    if e.previous_quarter:
        parts.append(f"the quarter before {figure_text(e, e.previous_quarter.against)}")
    if e.year_before:
        parts.append(f"a year before {figure_text(e, e.year_before.against)}")
    return parts


def view_counts(v: ViewSummary) -> str:
    """How many compliments, comments and suggestions there were in the quarter: by kind
    for the team, by theme for some themes of it (an outcome's), or that there were none."""
    if v.total == 0:
        return f"none in {v.period.label}"
    if v.part:
        if len(v.by_theme) == 1:
            return plural(v.total, "view")
        themes = "; ".join(counted(theme, n) for theme, n in v.by_theme.items())
        return themes if v.total == WITHHELD else f"{plural(v.total, 'view')} ({themes})"
    kinds = ", ".join(plural(n, k) for k, n in v.by_kind.items())
    return f"{plural(v.total, 'view')}: {kinds}"


def quote_text(q: Quote) -> str:
    """A person's words with their kind, theme and month (never the day)."""
    return f"\u201c{q.text}\u201d ({q.kind}, {q.theme}, {q.month:%b %Y})"


def plural(count: int | str, word: str, many: str | None = None) -> str:
    """`1 day`, `2 days`, `fewer than 5 complaints`, `complaints: withheld`."""
    one = count == 1
    words = word if one else (many or word + "s")
    return f"{words}: {WITHHELD}" if count == WITHHELD else f"{count} {words}"


def target_text(e: IndicatorEvidence) -> str | None:
    """The target and what the latest figure says of it, no more than its uncertainty
    allows."""
    if e.target is None:
        return None
    target = value_text(e, e.target)
    if e.target_status == "within_margin":
        return f"within the margin of error of target {target}"
    if e.target_status == "small_base":
        return f"target {target}: no verdict from so few people"
    verdict = {"met": "meets", "missed": "misses"}.get(e.target_status or "")
    return f"{verdict} target {target}" if verdict else f"target {target}"


def base_text(e: IndicatorEvidence) -> str | None:
    """The people a percentage is of: "base 201", or where the share is kept back, how many
    of how many as far as may be said ("fewer than 5 of 6")."""
    figure = e.latest
    if figure.base is None or e.unit != "percent":
        return None
    if not figure.discloses:
        return f"base {figure.base}"
    part = figure.part or 0
    if 0 < part < 5:
        return f"{SUPPRESSED} of {figure.base}"
    return f"all but {SUPPRESSED} of {figure.base}"


WITHHELD_NOTE = (
    "withheld: a count kept back so that, with the counts and totals shown, no count below 5 "
    "can be worked out"
)


def counted(words: str, n: int | str) -> str:
    """A count after its words ("the quarter before 8"), or that it is withheld ("the
    quarter before: withheld"), which would not read as a number does."""
    return f"{words}: {n}" if n == WITHHELD else f"{words} {n}"


def open_words(c: ComplaintSummary) -> str:
    """What "open" counts, said wherever the count is."""
    return (
        f"open at the end of the quarter (received by {c.period.end:%d %b %Y}, whenever, "
        "and not yet closed)"
    )


def complaint_lines(c: ComplaintSummary) -> list[str]:
    """The quarter's complaints in a few plain lines (mrkdwn-safe: no user text)."""
    received = (
        f"received in {c.period.label}: {WITHHELD}"
        if c.received == WITHHELD
        else f"received {c.received} in {c.period.label}"
    )
    still_open = (
        f"{open_words(c)}: {WITHHELD}"
        if c.open_at_period_end == WITHHELD
        else f"{c.open_at_period_end} {open_words(c)}"
    )
    lines = [
        f"{received} ({counted('the quarter before', c.previous_quarter)}, "
        f"{counted('the same quarter last year', c.same_quarter_last_year)})",
        still_open,
    ]
    if c.upheld_percent is not None:
        lines.append(
            f"{c.upheld_percent:.0f}% of the {c.decided} decided in the quarter were upheld or "
            "partly upheld"
        )
    elif c.decided not in (None, 0):
        lines.append(
            f"decided in the quarter: {c.decided}; the share upheld is withheld (fewer than 5 "
            "one way or the other)"
        )
    if c.median_days_to_close is not None:
        within = (
            f"; {c.closed_within_target_percent:.0f}% within {c.response_target_days} days"
            if c.closed_within_target_percent is not None
            else f"; the share within {c.response_target_days} days is withheld (fewer than 5 "
            "closed within it, or outside it)"
        )
        lines.append(f"median {c.median_days_to_close:g} days to close{within}")
    return lines


def category_line(k: CategoryCount) -> str:
    """One category's row of the complaints table, every column of it."""
    return (
        f"{counted(k.category, k.count)} "
        f"({counted('the quarter before', k.previous_quarter)}, "
        f"{counted('the same quarter last year', k.same_quarter_last_year)}; "
        f"{counted('open at the end', k.open_at_period_end)})"
    )


def safe_url(url: str) -> str:
    """A link someone gave, with what would end it early in Markdown, HTML or Slack's
    <url|text> (angle brackets, bars, quotes, spaces) percent-encoded."""
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")
