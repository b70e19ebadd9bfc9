"""XmR limits and special-cause rules, against answers worked by hand and the cases in
NHSRplotthedots' own tests (nhs-r-community/NHSRplotthedots, tests/testthat/)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from reviews.evidence.spc import _shift, _trend, _two_of_three, assurance, xmr


def months(n: int) -> list[date]:
    return [date(2020 + (m // 12), m % 12 + 1, 1) for m in range(n)]


def flags(values, direction=1, **kw):
    return [p.flag for p in xmr(months(len(values)), values, direction, **kw).points]


def test_moving_range_outliers_are_screened_before_the_limits_are_set():
    # Worked by hand: mean 145/12; moving ranges eleven, two of them 20 (into and out of
    # the 30); mean 48/11 = 4.36; 3.267 x 4.36 = 14.26 screens out both 20s, leaving
    # mR-bar = 1, so the limits are the mean +/- 2.66.
    values = [10, 11, 10, 11, 10, 11, 10, 30, 10, 11, 10, 11]
    chart = xmr(months(12), values, direction=1)
    assert chart.centre == pytest.approx(145 / 12)
    assert chart.lower == pytest.approx(145 / 12 - 2.66)
    assert chart.upper == pytest.approx(145 / 12 + 2.66)
    points = chart.points
    assert points[7].rules == ("outside limits",)
    assert points[7].flag == "improvement"  # above the mean, higher is better
    # The first seven points are all below the mean: a shift, and a concern.
    assert [p.flag for p in points[:7]] == ["concern"] * 7
    assert all("shift" in p.rules for p in points[:7])
    # 10, 11, 10 after the spike: two of three beyond two thirds of the way to the lower
    # limit (|10 - 12.08| = 2.08 > 1.77), all on one side.
    assert [p.rules for p in points[8:11]] == [
        ("two of three near a limit",),
        (),
        ("two of three near a limit",),
    ]


def test_the_same_series_where_lower_is_better_reads_the_other_way():
    values = [10, 11, 10, 11, 10, 11, 10, 30, 10, 11, 10, 11]
    assert flags(values, direction=-1)[7] == "concern"
    assert flags(values, direction=-1)[:7] == ["improvement"] * 7
    assert set(flags(values, direction=0)) == {"neutral", "common_cause"}


def test_two_points_near_opposite_limits_are_not_a_signal():
    # NHSRplotthedots, test-ptd_spc_standard.R: "it only reports special cause for 2 of 3
    # points close to limits when they are on the same side of the mean".
    values = [1, -1] * 8
    values[14], values[15] = 5.5, -5.5
    chart = xmr(months(16), values, direction=1)
    assert [p.flag for p in chart.points[-2:]] == ["common_cause", "common_cause"]
    # By hand: mean 0; the 11 range is screened out, mR-bar = 32.5/14; limits 0 +/- 6.175.
    assert (chart.lower, chart.upper) == pytest.approx((-6.175, 6.175))


@pytest.mark.parametrize(
    "side,expected",
    [
        # NHSRplotthedots, test-ptd_calculate_point_type.R, ptd_seven_point_one_side_mean and
        # ptd_part_of_seven_trend: a run of 7 or more on one side, and every point in it.
        ([1] * 6, [False] * 6),
        ([1] * 6 + [-1], [False] * 7),
        ([1] * 8 + [-1], [True] * 8 + [False]),
        ([-1] * 8 + [1], [True] * 8 + [False]),
        ([-1] + [1] * 8 + [-1], [False] + [True] * 8 + [False]),
        ([1, 1, 1, 0, 1, 1, 1, 1], [False] * 8),  # a point on the centre line breaks a run
    ],
)
def test_rule_2_shift(side, expected):
    assert _shift(np.array(side)).tolist() == expected


@pytest.mark.parametrize(
    "values,expected",
    [
        # NHSRplotthedots, test-ptd_calculate_point_type.R, ptd_seven_point_trend.
        (list(range(1, 7)), [False] * 6),
        ([1, 2, 3, 3, 4, 5, 6], [False] * 7),  # an equal pair breaks a trend
        (list(range(1, 8)), [True] * 7),
        ([2, *range(1, 8), 3], [False] + [True] * 7 + [False]),
        (list(range(7, 0, -1)), [True] * 7),
        ([2, *range(7, 0, -1), 3], [False] + [True] * 7 + [False]),
    ],
)
def test_rule_3_trend(values, expected):
    assert (_trend(np.array(values, dtype=float)) != 0).tolist() == expected


def test_a_trend_reads_by_the_way_it_runs_not_the_side_it_is_on():
    # Seven rising points that start well below the centre line. NHSRplotthedots reads a
    # trend by its direction (since 0.2.2, issue #167), after the outside-limits rule: the
    # first three are below the lower limit and read by their side; the other four, inside
    # the limits, read by the trend, though two of them are below the centre line.
    values = [10, 11, 12] * 4 + [0, 2, 4, 6, 8, 10, 12, 11, 12, 10, 11]
    rising = slice(12, 19)
    chart = xmr(months(23), values, 1)
    assert all("trend" in p.rules for p in chart.points[rising])
    assert [p.value < chart.centre for p in chart.points[rising]] == [True] * 5 + [False] * 2
    assert flags(values, 1)[rising] == ["concern"] * 3 + ["improvement"] * 4
    assert flags(values, -1)[rising] == ["improvement"] * 3 + ["concern"] * 4


@pytest.mark.parametrize(
    "near,expected",
    [
        # NHSRplotthedots, test-ptd_calculate_point_type.R, ptd_part_of_two_in_three, with
        # every point on the same side of the mean.
        ([1, 0, 1], [1, 0, 1]),
        ([0, 1, 1], [0, 1, 1]),
        ([0, 0, 1, 0, 1, 0, 0], [0, 0, 1, 0, 1, 0, 0]),
        ([0, 0, 1, 1, 0, 0, 0], [0, 0, 1, 1, 0, 0, 0]),
        ([1, 0, 0, 1], [0, 0, 0, 0]),
        ([1, 0, 0, 1, 1], [0, 0, 0, 1, 1]),
    ],
)
def test_rule_4_two_of_three_near_a_limit(near, expected):
    side = np.ones(len(near), dtype=int)
    assert _two_of_three(np.array(near, dtype=bool), side).astype(int).tolist() == expected


def test_two_of_three_needs_all_three_on_one_side():
    near = np.array([True, False, True])
    assert not _two_of_three(near, np.array([1, -1, 1])).any()


@pytest.mark.parametrize(
    "lower,upper,direction,expected",
    [
        # NHSRplotthedots, test-ptd_calculate_assurance_type.R, target 4.
        (1, 3, 1, "consistent_fail"),
        (5, 7, 1, "consistent_pass"),
        (1, 5, 1, "inconsistent"),
        (1, 3, -1, "consistent_pass"),
        (5, 7, -1, "consistent_fail"),
        (1, 5, -1, "inconsistent"),
        (1, 3, 0, None),
    ],
)
def test_assurance_against_a_target(lower, upper, direction, expected):
    assert assurance(4, lower, upper, direction) == expected


def test_no_target_no_assurance():
    assert assurance(None, 1, 3, 1) is None


def test_fewer_than_twelve_points_give_no_chart():
    assert xmr(months(11), list(range(11)), 1) is None
    assert xmr(months(12), list(range(12)), 1) is not None


def test_a_recalculation_point_starts_new_limits_once_twelve_points_follow_it():
    values = [70.0 + (i % 3) for i in range(24)] + [85.0 + (i % 3) for i in range(12)]
    dates = months(36)
    chart = xmr(dates, values, 1, recalculate_from=dates[24])
    assert chart.recalculated_from == dates[24]
    assert chart.centre == pytest.approx(86.0)
    assert chart.points[0].centre == pytest.approx(71.0)
    assert {p.flag for p in chart.points[24:]} == {"common_cause"}
    # Without it, the step reads as a run above the old mean: an improvement.
    assert flags(values)[-1] == "improvement"
    # Too few points after the change: the whole series keeps one set of limits.
    assert xmr(dates, values, 1, recalculate_from=dates[30]).recalculated_from is None


def test_a_recalculation_after_a_short_stretch_still_starts_new_limits():
    values = [70.0, 71.0, 72.0] * 2 + [85.0 + (i % 3) for i in range(20)]
    dates = months(26)
    chart = xmr(dates, values, 1, recalculate_from=dates[6])
    assert chart.recalculated_from == dates[6]
    assert chart.centre == pytest.approx(85.95, abs=0.01)
    # Six points before the change get their own limits but claim no signal.
    assert [p.flag for p in chart.points[:6]] == ["common_cause"] * 6
    assert {p.flag for p in chart.points[6:]} == {"common_cause"}
