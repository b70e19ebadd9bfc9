"""What the evidence says, as plain values. Rendering (Block Kit, text, JSON) is done
elsewhere from these objects; every figure carries the period it describes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from reviews.evidence.disclosure import SUPPRESSED, WITHHELD, Cell, share, suppress
from reviews.evidence.freshness import LATE, Freshness
from reviews.evidence.spc import SpcChart
from storage.periods import Period, month_end_after

__all__ = ["SUPPRESSED", "WITHHELD", "share", "suppress"]


def decimals_of(values: Iterable[float | None]) -> int:
    """The decimal places a series is published to (at most 3): the fewest that write each
    of its values exactly, so 7.0 beside 7.4 is "7.0" and 0.389 keeps its three places."""
    places = 0
    for value in values:
        if value is None:
            continue
        while places < 3 and abs(round(value, places) - value) > 1e-9 * max(1, abs(value)):
            places += 1
    return places


RATE_BASE = re.compile(r"\bper ([\d,]+)")


def unit_words(unit: str, title: str, label: str | None = None) -> str:
    """What an indicator's figures count, written after them: "%", "days", its own words
    ("out of 12"), a rate's base from its title ("per 100,000"), or "" where none is known."""
    if unit == "percent":
        return "%"
    if label:
        return label
    if unit == "days":
        return "days"
    if unit == "rate":
        base = RATE_BASE.search(title)
        return f"per {base.group(1)}" if base else "rate"
    return ""


def difference_unit(unit: str, words: str) -> str:
    """What a difference between two figures is in: percentage points for a percentage,
    else the figures' own unit."""
    return "percentage points" if unit == "percent" else words or unit


def period_words(frequency: str, period_end: date) -> str:
    """The period a figure describes: a month, a quarter's months, or a year (a financial
    year when it ends in March, as English councils count them)."""
    if frequency == "annual":
        if period_end.month == 3:
            return f"{period_end.year - 1}/{period_end.year % 100:02d}"
        if period_end.month == 12:
            return f"{period_end.year}"
        return f"year to {period_end:%b %Y}"
    if frequency == "quarterly":
        start = month_end_after(period_end, -2)
        return f"{start:%b}-{period_end:%b %Y}"
    return f"{period_end:%b %Y}"


@dataclass(frozen=True)
class Figure:
    value: float
    period_end: date
    # For a percentage, the people it is of and how many of them, where the values file
    # gives them: its base, its interval, and whether it may be shown at all.
    numerator: float | None = None
    denominator: float | None = None

    @property
    def base(self) -> int | None:
        return None if self.denominator is None else int(self.denominator)

    @property
    def part(self) -> int | None:
        """The numerator, or the count the percentage and its base imply."""
        if self.denominator is None:
            return None
        if self.numerator is not None:
            return int(self.numerator)
        return round(self.value * self.denominator / 100)

    @property
    def discloses(self) -> bool:
        """Whether the percentage with its base would tell a count of 1 to 4 (of those it
        counts, or of the rest)."""
        return self.denominator is not None and share(self.part or 0, self.base or 0) is None


@dataclass(frozen=True)
class Change:
    """An earlier figure beside the latest, for context: two points say nothing of better
    or worse, so no reading goes with it (see `IndicatorEvidence.variation`)."""

    against: Figure
    difference: float


# Why there is no SPC chart, as the contract names it.
TOO_FEW_POINTS = "too_few_points"
SMALL_BASE = "small_base"
ROLLING_SERIES = "rolling_series"
CUMULATIVE_SERIES = "cumulative_series"


@dataclass(frozen=True)
class IndicatorEvidence:
    code: str
    title: str
    unit: str
    polarity: str
    key: bool
    tags: list[str]
    target: float | None
    latest: Figure
    age_days: int
    meets_target: bool | None  # None where the figure's uncertainty cannot tell
    previous_quarter: Change | None
    year_before: Change | None
    series: list[Figure]
    basis: str  # point, rolling_12_months, year_to_date
    frequency: str  # monthly, quarterly, annual, irregular (declared, else inferred)
    spc: SpcChart | None
    # Making Data Count's reading of the latest point: common_cause,
    # special_cause_improvement, special_cause_concern or special_cause_neutral; None
    # without a chart, when `no_spc_reason` says why.
    variation: str | None
    variation_side: str | None  # high or low, for special cause
    assurance: str | None  # consistent_pass, consistent_fail, inconsistent
    no_spc_reason: str | None
    spc_note: str | None  # the reason in words, e.g. "too few points: 8 of 12"
    reading: str  # the variation and assurance in words, or why there is no chart
    freshness: Freshness
    missing_periods: list[date]
    caveats: str | None
    source: str | None
    notes: list[str] = field(default_factory=list)
    # The team's place among its peers, shown wherever the indicator is.
    placement: Placement | None = None
    # Why there is no assurance (see `vocabulary.NO_ASSURANCE`); None where there is one.
    assurance_why_not: str | None = None
    # Where the sustained shift or trend the latest point belongs to began: the limits
    # predate it, so no assurance is read from them.
    change_from: date | None = None
    # The unit in the indicator's own words ("out of 12"), where its file gives them.
    unit_label: str | None = None
    # Why the limits start afresh where the chart's `recalculated_from` says they do.
    recalculation_reason: str | None = None
    # The latest figure's base, where known, and its 95% interval (percent only).
    base: int | None = None
    interval: tuple[float, float] | None = None
    # met, missed, within_margin (the target lies within the figure's 95% interval),
    # small_base (too few people for a verdict), or None with no target to judge by.
    target_status: str | None = None
    # Set when the figures are the council's published ones (comparator rows for the
    # team's area code), as the team has none of its own for this indicator.
    from_area: str | None = None
    # England's figure and the peers' average for the team's own periods, oldest first.
    benchmarks: list[Benchmark] = field(default_factory=list)

    @property
    def out_of_date(self) -> bool:
        """A newer figure should have been published by now."""
        return self.freshness.status == LATE

    def shown(self, value: float | None) -> float | str | None:
        """A figure as it may be shown: a count of 1 to 4 is "fewer than 5"; the latest
        percentage, whose base is shown, is "withheld" where with it it would tell a count
        of 1 to 4."""
        if value is not None and self.unit == "count" and 0 < value < 5:
            return SUPPRESSED
        if value is not None and self.latest.discloses and value == self.latest.value:
            # Its base is shown beside it (earlier figures are shown without theirs).
            return WITHHELD
        return value

    @property
    def decimals(self) -> int:
        """The precision every figure of this indicator is shown to, JSON included: its
        series' and its target's, so that a target of 80.5 is never shown as 80."""
        return decimals_of([*(f.value for f in self.series), self.target])

    @property
    def unit_words(self) -> str:
        """What its figures count, for an axis or beside a figure: "%", "days", the
        indicator's own words ("out of 12", "cases per social worker"), "per 100,000" (a
        rate's base, from its title), or "" for a score or a count with none."""
        if self.unit == "percent":
            return "%"
        if self.unit == "days":
            return "days"
        return unit_words(self.unit, self.title, self.unit_label)

    def rounded(self, value: float | None) -> float | None:
        """A value at the indicator's precision: no float noise in any output."""
        return None if value is None else round(value, self.decimals)

    def limit(self, value: float, places: int = 1) -> float:
        """A centre line or limit, `places` more decimals than the figures: a limit of 4.6
        must not read as 5 beside a figure of 5 that lies beyond it."""
        return round(value, self.decimals + places)

    @property
    def shown_interval(self) -> list[float] | None:
        """The latest figure's 95% interval to one place, where its base is known and the
        figure may be shown."""
        if self.interval is None or self.latest.discloses:
            return None
        return [round(self.interval[0], 1), round(self.interval[1], 1)]

    @property
    def small_base(self) -> bool:
        return self.target_status == "small_base" or self.no_spc_reason == SMALL_BASE

    @property
    def small_numbers(self) -> bool:
        """Whether any figure in the series is a count too small to show."""
        return any(isinstance(self.shown(f.value), str) for f in self.series)


@dataclass(frozen=True)
class SurveyFinding:
    survey: str
    wave: str
    question: str
    positive: int | str
    base: int | str
    percent: float | None
    ci_low: float | None
    ci_high: float | None
    previous_wave: str | None
    previous_percent: float | None
    change: str | None  # up, down, no clear change; None with no earlier wave
    small_base: bool


@dataclass(frozen=True)
class CategoryCount:
    """One category's row of the team's complaints table, as protected: the same cells
    wherever the category is shown."""

    category: str
    count: Cell  # received in the quarter
    previous_quarter: Cell
    same_quarter_last_year: Cell
    open_at_period_end: Cell


@dataclass(frozen=True)
class ComplaintSummary:
    """The quarter's complaints: the team's, or a part of them (some categories), whose
    cells are the team's and whose totals are shown only where they tell nothing more.

    "Open" means one thing: received on or before the last day of the quarter and not
    closed by then, whenever it was received."""

    period: Period
    received: Cell
    previous_quarter: Cell
    same_quarter_last_year: Cell
    decided: Cell | None  # None for a part: the team's own is the one shown
    upheld_percent: float | None  # upheld or partly upheld, of those decided in the period
    median_days_to_close: float | None
    closed_within_target_percent: float | None
    response_target_days: int
    categories: list[CategoryCount]
    open_at_period_end: Cell
    part: bool = False


@dataclass(frozen=True)
class Quote:
    month: date  # the first of the month it was received in: a day would say too much
    kind: str
    theme: str
    text: str


@dataclass(frozen=True)
class ViewSummary:
    """The quarter's compliments, comments and suggestions: counts by kind (the team's
    only) and by theme, as protected, and a few in full."""

    period: Period
    total: Cell
    by_kind: dict[str, Cell]
    by_theme: dict[str, Cell]
    quotes: list[Quote]
    part: bool = False


@dataclass(frozen=True)
class Placement:
    """The team's figure among its peers for one period (never mixing years)."""

    code: str
    period_label: str
    team_value: float
    rank: int  # 1 is best by the indicator's polarity
    of: int
    quartile: int  # 1 is the best quarter
    peer_average: float
    gap_to_average: float
    england: float | None
    unit: str = "score"
    polarity: str = "higher"
    # Which councils the team is placed among: "nearest neighbours" (a comparator group of
    # a few councils) or "English councils" (a national file of them all).
    peer_group: str = "nearest neighbours"
    decimals: int | None = None  # the indicator's precision, where known
    unit_words: str = ""
    # Where the team's figure has a base: how many of the peers' figures lie within its 95%
    # interval, so that a rank among them says no more than the data can.
    within_margin: int | None = None
    # Set when the figure placed is the council's published one, not the team's: its name.
    council: str | None = None


@dataclass(frozen=True)
class Benchmark:
    """England's figure and the average of the team's peers for one of the team's periods,
    from comparator rows covering exactly that period; either may be missing."""

    period_end: date
    england: float | None
    peer_average: float | None
    peers: int = 0  # how many councils the average is of
    peer_group: str = "nearest neighbours"


@dataclass(frozen=True)
class Suggestion:
    """Evidence whose words match an outcome's: offered with its reason, never linked."""

    kind: str  # indicator, complaint_category, view_theme, survey_question
    key: str  # the indicator's code, or the category, theme or question itself
    reason: str  # e.g. matches "wait" in the statement


@dataclass(frozen=True)
class OutcomeEvidence:
    outcome_id: int | None
    text: str
    indicator_codes: list[str]
    complaint_categories: list[str]
    view_themes: list[str]
    survey_questions: list[str] = field(default_factory=list)
    # Indicators and survey questions whose words match the outcome's: offered, not linked.
    suggested_codes: list[str] = field(default_factory=list)
    suggested_questions: list[str] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    # The linked complaints and views, summarised for the quarter; the linked findings.
    complaints: ComplaintSummary | None = None
    views: ViewSummary | None = None
    surveys: list[SurveyFinding] = field(default_factory=list)

    @property
    def is_gap(self) -> bool:
        return not (
            self.indicator_codes
            or self.complaint_categories
            or self.view_themes
            or self.survey_questions
        )


@dataclass(frozen=True)
class Evidence:
    team: str
    period: Period
    as_of: date
    indicators: list[IndicatorEvidence]
    surveys: list[SurveyFinding]
    complaints: ComplaintSummary
    views: ViewSummary
    comparators: list[Placement]
    outcomes: list[OutcomeEvidence]

    @property
    def gaps(self) -> list[OutcomeEvidence]:
        return [o for o in self.outcomes if o.is_gap]
