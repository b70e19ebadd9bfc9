"""Invariants of the XmR chart that hold for any series."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from reviews.evidence.spc import LIMIT, NEAR_LIMIT, xmr

DATES = [date(2015 + m // 12, m % 12 + 1, 28) for m in range(60)]
series = st.lists(st.floats(-1e4, 1e4, allow_nan=False), min_size=12, max_size=60)
direction = st.sampled_from([1, -1, 0])


def chart(values, d=1):
    return xmr(DATES[: len(values)], values, d)


def clear_of_boundaries(values, c) -> bool:
    """No point sits (to rounding) on a limit or a near-limit line, where a shift of
    floating-point error could tip a rule either way."""
    spread = c.upper - c.centre
    lines = [
        c.centre,
        c.lower,
        c.upper,
        c.centre + NEAR_LIMIT / LIMIT * spread,
        c.centre - NEAR_LIMIT / LIMIT * spread,
    ]
    return all(abs(v - line) > 1e-6 * (1 + abs(v)) for v in values for line in lines)


@given(series, direction)
def test_limits_are_symmetric_about_the_centre(values, d):
    c = chart(values, d)
    assert c.upper - c.centre == pytest.approx(c.centre - c.lower, abs=1e-6)


# Whole numbers keep the differences between points exact under a shift, as a trend
# between two values a hair apart could otherwise vanish in rounding.
whole_series = st.lists(st.integers(-10_000, 10_000).map(float), min_size=12, max_size=60)


@given(whole_series, st.integers(-1000, 1000), direction)
def test_shifting_every_value_shifts_centre_and_limits_alike(values, shift, d):
    before, after = chart(values, d), chart([v + shift for v in values], d)
    assert after.centre == pytest.approx(before.centre + shift, abs=1e-6)
    assert after.lower == pytest.approx(before.lower + shift, abs=1e-6)
    assert after.upper == pytest.approx(before.upper + shift, abs=1e-6)
    assume(clear_of_boundaries(values, before))
    assume(clear_of_boundaries([v + shift for v in values], after))
    assert [p.flag for p in after.points] == [p.flag for p in before.points]


@given(st.floats(-1e4, 1e4, allow_nan=False), st.integers(12, 60), direction)
def test_a_constant_series_never_signals(value, n, d):
    c = chart([value] * n, d)
    assert {p.flag for p in c.points} == {"common_cause"}


@given(series)
def test_turning_polarity_round_swaps_improvement_and_concern(values):
    up, down = chart(values, 1), chart(values, -1)
    swap = {"improvement": "concern", "concern": "improvement", "common_cause": "common_cause"}
    assert [swap[p.flag] for p in up.points] == [p.flag for p in down.points]
