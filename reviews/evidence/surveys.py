"""Survey findings: the share answering positively, with its 95% Wilson interval."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from reviews.evidence.model import SurveyFinding, share, suppress
from storage.periods import PeriodError, parse_period

WITHHELD = "withheld"

Z95 = 1.959963984540054
# Bases under 30 make even a Wilson interval wide; the finding is shown with a caution.
SMALL_BASE = 30


def wilson_interval(positive: int, base: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a proportion, as fractions 0 to 1."""
    if base <= 0:
        raise ValueError("a proportion needs a base of at least 1")
    p = positive / base
    denominator = 1 + z * z / base
    centre = (p + z * z / (2 * base)) / denominator
    half = z * math.sqrt(p * (1 - p) / base + z * z / (4 * base * base)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def _percent_and_interval(positive: int, base: int) -> tuple[float, float, float] | None:
    percent = share(positive, base)
    if percent is None:
        return None
    low, high = wilson_interval(positive, base)
    return percent, 100 * low, 100 * high


def _finding(survey: str, question: str, waves: pd.DataFrame) -> SurveyFinding:
    latest = waves.iloc[-1]
    base, positive = int(latest["base"]), int(latest["positive"])
    found = _percent_and_interval(positive, base)
    percent, ci_low, ci_high = found if found else (None, None, None)
    change = previous_wave = previous_percent = None
    if len(waves) > 1:
        before = waves.iloc[-2]
        previous_wave = str(before["wave"])
        earlier = _percent_and_interval(int(before["positive"]), int(before["base"]))
        if earlier and found:
            previous_percent = earlier[0]
            change = _change(positive, base, int(before["positive"]), int(before["base"]))
    return SurveyFinding(
        survey=survey,
        wave=str(latest["wave"]),
        question=question,
        # Where the rest of the base is under 5, the positive count would give it away.
        positive=suppress(positive) if found or 0 < positive < 5 else WITHHELD,
        base=suppress(base),
        percent=percent,
        ci_low=ci_low,
        ci_high=ci_high,
        previous_wave=previous_wave,
        previous_percent=previous_percent,
        change=change,
        small_base=base < SMALL_BASE,
    )


def difference_interval(x2: int, n2: int, x1: int, n1: int) -> tuple[float, float]:
    """95% interval for p2 - p1 from the two Wilson intervals: Newcombe's method 10
    (Newcombe RG, Statistics in Medicine 1998; 17:873-890)."""
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson_interval(x1, n1)
    l2, u2 = wilson_interval(x2, n2)
    d = p2 - p1
    return (
        d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2),
        d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2),
    )


def _change(x2: int, n2: int, x1: int, n1: int) -> str:
    """A change is called only when the interval for the difference leaves out zero."""
    low, high = difference_interval(x2, n2, x1, n1)
    if low > 0:
        return "up"
    if high < 0:
        return "down"
    return "no clear change"


def wave_ends(wave: str, fy_start_month: int) -> date | None:
    """When a wave labelled as a year or quarter ends; None for any other label."""
    try:
        return parse_period(wave, fy_start_month).end
    except PeriodError:
        return None


def survey_findings(
    results: list[tuple], until: date | None = None, fy_start_month: int = 4
) -> list[SurveyFinding]:
    """One finding a question, from its latest wave, compared with the wave before. Waves
    labelled by a year that ends after `until` are left out: a review of an earlier quarter
    sees the surveys it had."""
    if until is not None:
        results = [
            r for r in results if (end := wave_ends(r[1], fy_start_month)) is None or end <= until
        ]
    if not results:
        return []
    frame = pd.DataFrame(
        results, columns=["survey", "wave", "question", "response", "count", "positive"]
    )
    frame["positive_count"] = frame["count"].where(frame["positive"], 0)
    per_wave = (
        frame.groupby(["survey", "question", "wave"], sort=True)
        .agg(base=("count", "sum"), positive=("positive_count", "sum"))
        .reset_index()
    )
    return [
        _finding(str(survey), str(question), waves.reset_index(drop=True))
        for (survey, question), waves in per_wave.groupby(["survey", "question"], sort=True)
    ]
