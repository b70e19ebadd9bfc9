"""Survey findings: the share answering positively, with its 95% Wilson interval."""

from __future__ import annotations

import math

import pandas as pd

from reviews.evidence.model import SurveyFinding, suppress

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


def _finding(survey, question, waves: pd.DataFrame) -> SurveyFinding:
    latest = waves.iloc[-1]
    base, positive = int(latest["base"]), int(latest["positive"])
    percent = ci_low = ci_high = None
    if base >= 5:
        low, high = wilson_interval(positive, base)
        percent, ci_low, ci_high = 100 * positive / base, 100 * low, 100 * high
    change = previous_wave = previous_percent = None
    if len(waves) > 1:
        before = waves.iloc[-2]
        previous_wave = str(before["wave"])
        if before["base"] >= 5 and percent is not None:
            previous_percent = float(100 * before["positive"] / before["base"])
            low, high = wilson_interval(int(before["positive"]), int(before["base"]))
            # Called a change only when the two intervals do not overlap.
            if ci_low > 100 * high:
                change = "up"
            elif ci_high < 100 * low:
                change = "down"
            else:
                change = "no clear change"
    return SurveyFinding(
        survey=survey,
        wave=str(latest["wave"]),
        question=question,
        positive=suppress(positive),
        base=suppress(base),
        percent=percent,
        ci_low=ci_low,
        ci_high=ci_high,
        previous_wave=previous_wave,
        previous_percent=previous_percent,
        change=change,
        small_base=base < SMALL_BASE,
    )


def survey_findings(results: list[tuple]) -> list[SurveyFinding]:
    """One finding a question, from its latest wave, compared with the wave before."""
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
        _finding(survey, question, waves.reset_index(drop=True))
        for (survey, question), waves in per_wave.groupby(["survey", "question"], sort=True)
    ]
