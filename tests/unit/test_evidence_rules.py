"""Surveys, suppression, polarity, SPC readings and freshness: the rules the evidence
summary follows."""

from __future__ import annotations

import csv
from datetime import date

import pandas as pd
import pytest

from bot.shared.charts import indicator_chart
from reviews.evidence.comparators import rank_among
from reviews.evidence.contract import _indicator as _indicator_json
from reviews.evidence.indicators import indicator_evidence, meets_target
from reviews.evidence.model import Figure, suppress
from reviews.evidence.surveys import difference_interval, survey_findings, wilson_interval
from storage.models import Indicator
from storage.periods import parse_quarter
from tests.conftest import REAL


@pytest.mark.parametrize(
    "positive,base,low,high",
    [
        # Newcombe RG (1998), "Two-sided confidence intervals for the single proportion",
        # Statistics in Medicine 17:857-872, Table II, method 3 (Wilson score interval).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        (29, 29, 0.8830, 1.0),
    ],
)
def test_wilson_intervals_match_published_values(positive, base, low, high):
    assert wilson_interval(positive, base) == pytest.approx((low, high), abs=5e-5)


def _survey(rows):
    return survey_findings(
        [
            ("Adult Social Care Survey", wave, "Satisfied?", response, n, pos)
            for wave, response, n, pos in rows
        ]
    )


def test_a_survey_change_is_called_only_when_its_interval_leaves_out_zero():
    clear = _survey(
        [
            ("2024/25", "yes", 100, True),
            ("2024/25", "no", 100, False),
            ("2025/26", "yes", 160, True),
            ("2025/26", "no", 40, False),
        ]
    )[0]
    assert (clear.percent, clear.change, clear.previous_percent) == (80.0, "up", 50.0)
    assert clear.ci_low == pytest.approx(73.9, abs=0.1) and clear.base == 200
    noise = _survey(
        [
            ("2024/25", "yes", 100, True),
            ("2024/25", "no", 100, False),
            ("2025/26", "yes", 110, True),
            ("2025/26", "no", 90, False),
        ]
    )[0]
    assert noise.change == "no clear change"


def test_a_small_base_is_cautioned_and_a_tiny_one_suppressed():
    small = _survey([("2025/26", "yes", 12, True), ("2025/26", "no", 8, False)])[0]
    assert small.small_base and small.percent == 60.0 and small.change is None
    tiny = _survey([("2025/26", "yes", 3, True)])[0]
    assert (tiny.base, tiny.positive, tiny.percent) == ("fewer than 5", "fewer than 5", None)


def test_counts_below_five_are_suppressed_everywhere():
    assert [suppress(n) for n in (0, 1, 4, 5, 120)] == [0, "fewer than 5", "fewer than 5", 5, 120]


@pytest.mark.parametrize(
    "polarity,value,target,meets",
    [
        ("higher", 66, 65, True),
        ("higher", 64, 65, False),
        ("lower", 540, 560, True),
        ("lower", 600, 560, False),
        ("neutral", 5, 4, None),
    ],
)
def test_targets_respect_polarity(polarity, value, target, meets):
    assert meets_target(value, target, polarity) is meets


def _indicator(**kw) -> Indicator:
    return Indicator(
        id=1,
        code="X",
        title="X",
        unit=kw.pop("unit", "percent"),
        polarity=kw.pop("polarity", "higher"),
        **kw,
    )


def _series(points: list[tuple[str, float]]) -> list[Figure]:
    return [Figure(v, date.fromisoformat(d)) for d, v in points]


def test_a_missing_month_is_named():
    ends = pd.date_range("2024-04-30", "2026-09-30", freq="ME")
    points = [
        (d.date().isoformat(), 50.0 + i % 4)
        for i, d in enumerate(ends)
        if d != pd.Timestamp("2025-02-28")
    ]
    e = indicator_evidence(_indicator(), _series(points), date(2026, 11, 26))
    assert e.missing_periods == [date(2025, 2, 28)]
    assert e.frequency == "monthly" and e.spc is not None


def _monthly(first: str, last: str, value: float = 50.0) -> list[Figure]:
    return [Figure(value, d.date()) for d in pd.date_range(first, last, freq="ME")]


def test_a_monthly_figure_is_late_once_the_next_is_overdue_and_says_since_when():
    e = indicator_evidence(
        _indicator(lag_days=30), _monthly("2023-04-30", "2026-03-31"), date(2026, 11, 26)
    )
    assert e.out_of_date and e.age_days == 240
    assert (e.freshness.status, e.freshness.next_period_end, e.freshness.next_expected) == (
        "late",
        date(2026, 4, 30),
        date(2026, 5, 30),
    )


def test_a_monthly_figure_within_its_publication_lag_is_current():
    e = indicator_evidence(
        _indicator(lag_days=30), _monthly("2023-04-30", "2026-06-30"), date(2026, 8, 15)
    )
    assert e.freshness.status == "current" and e.freshness.next_expected == date(2026, 8, 30)
    assert not e.out_of_date and e.notes == []


def test_an_annual_figure_published_on_time_is_current_however_old():
    # ASCOF 2024/25 (to March 2025) came out in December 2025; 2025/26 is not due until
    # December 2026, so in November 2026 the 2024/25 figure is still the newest there is.
    points = _series([(f"{y}-03-31", 60.0 + y % 3) for y in range(2015, 2026)])
    e = indicator_evidence(_indicator(frequency="annual", lag_days=250), points, date(2026, 11, 26))
    assert e.age_days == 605 and e.freshness.status == "current"
    assert e.freshness.next_expected == date(2026, 12, 6)
    late = indicator_evidence(
        _indicator(frequency="annual", lag_days=250), points, date(2026, 12, 7)
    )
    assert late.freshness.status == "late"


def test_too_few_points_get_no_spc_and_say_how_many_of_how_many():
    # Trafford's ASCOF 3A, 2014/15 to 2019/20: six annual points, the last 84.8.
    points = [
        ("2015-03-31", 63.8),
        ("2016-03-31", 56.7),
        ("2017-03-31", 61.0),
        ("2018-03-31", 62.9),
        ("2019-03-31", 66.6),
        ("2020-03-31", 84.8),
    ]
    e = indicator_evidence(_indicator(target=65.0), _series(points), date(2020, 6, 1))
    assert e.spc is None and e.assurance is None and e.variation is None
    assert (e.no_spc_reason, e.spc_note) == ("too_few_points", "too few points: 6 of 12")
    assert e.reading == "no SPC: too few points: 6 of 12"
    # The year before is a figure for context, with no word of better or worse.
    assert e.year_before.against.value == 66.6
    assert not hasattr(e.year_before, "reading")


def test_a_missing_year_is_a_gap_in_an_annual_series():
    # Trafford published no ASCOF 3A for 2020/21 (the survey was not run in the pandemic).
    points = [
        ("2019-03-31", 66.6),
        ("2020-03-31", 84.8),
        ("2022-03-31", 62.3),
        ("2023-03-31", 62.5),
    ]
    e = indicator_evidence(_indicator(), _series(points), date(2023, 12, 1))
    assert e.frequency == "annual" and e.missing_periods == [date(2021, 3, 31)]


@pytest.mark.parametrize(
    "basis,reason,words",
    [
        ("rolling_12_months", "rolling_series", "no SPC: a rolling 12-month series"),
        ("year_to_date", "cumulative_series", "no SPC: a year-to-date series"),
    ],
)
def test_rolling_and_year_to_date_series_never_get_spc_rules(basis, reason, words):
    # Thirty points of a steady climb: SPC would call a trend on any point-in-time series.
    points = [
        Figure(500.0 + 3 * i, f.period_end)
        for i, f in enumerate(_monthly("2024-04-30", "2026-09-30"))
    ]
    e = indicator_evidence(_indicator(basis=basis), points, date(2026, 11, 1))
    assert (e.spc, e.variation, e.no_spc_reason, e.reading) == (None, None, reason, words)
    data = _indicator_json(e)
    assert (data["basis"], data["no_spc_reason"], data["variation"]) == (basis, reason, None)
    assert len(data["series"]) == 30


def test_a_step_up_reads_as_special_cause_improvement_high_when_higher_is_better():
    points = [
        Figure(75.0 + (10.0 if i >= 15 else 0.0) + (i % 3) * 0.5, f.period_end)
        for i, f in enumerate(_monthly("2024-04-30", "2026-09-30"))
    ]
    up = indicator_evidence(_indicator(target=70.0), points, date(2026, 11, 1))
    assert (up.variation, up.variation_side) == ("special_cause_improvement", "high")
    assert up.reading.startswith(
        "special cause variation of an improving nature where the measure is significantly higher"
    )
    # The step is a sustained shift, so limits drawn over both sides of it assure nothing.
    assert up.assurance is None and up.assurance_why_not == "stale_limits"
    assert up.change_from is not None and up.reading.endswith(
        "the limits predate a sustained change"
    )
    down = indicator_evidence(_indicator(polarity="lower"), points, date(2026, 11, 1))
    assert (down.variation, down.variation_side) == ("special_cause_concern", "high")
    steady = indicator_evidence(
        _indicator(), _monthly("2024-04-30", "2026-09-30"), date(2026, 11, 1)
    )
    assert (steady.variation, steady.variation_side, steady.reading) == (
        "common_cause",
        None,
        "common cause variation",
    )


def test_two_points_are_context_never_a_verdict():
    points = [("2026-04-30", 50.0), ("2026-05-31", 60.0), ("2026-06-30", 55.0)]
    e = indicator_evidence(_indicator(), _series(points), date(2026, 8, 1))
    data = _indicator_json(e)
    assert data["previous_quarter"] is None or "reading" not in data["previous_quarter"]
    for word in ("improved", "worse", "better"):
        assert word not in e.reading and word not in str(data)


def _area_values(name: str, period: str) -> dict[str, float]:
    with (REAL / name).open() as handle:
        return {
            r["area_name"]: float(r["value"])
            for r in csv.DictReader(handle)
            if r["period"] == period and r["value"] != "NA" and r["area_name"] != "England"
        }


@pytest.mark.parametrize(
    "file,period,polarity,rank",
    [
        # Trafford's 84.8% satisfied in 2019/20 is the highest of its 16 nearest neighbours.
        ("trafford_nn_ascof3a_satisfaction_2014-15_to_2024-25.csv", "2019/20", "higher", 1),
        # Its 52.3% in 2023/24 is the lowest.
        ("trafford_nn_ascof3a_satisfaction_2014-15_to_2024-25.csv", "2023/24", "higher", 16),
        # Its 961.6 admissions per 100,000 in 2019/20 are the most, and fewer is better.
        ("trafford_nn_ascof2a2_admissions65_2014-15_to_2023-24.csv", "2019/20", "lower", 16),
    ],
)
def test_the_real_nearest_neighbour_files_rank_trafford_correctly(file, period, polarity, rank):
    values = _area_values(file, period)
    trafford = values.pop("Trafford")
    assert rank_among(trafford, list(values.values()), polarity) == (
        rank,
        16,
        1 if rank == 1 else 4,
    )


@pytest.mark.parametrize(
    "x2,n2,x1,n1,low,high",
    [
        # Newcombe RG (1998), "Interval estimation for the difference between independent
        # proportions", Statistics in Medicine 17:873-890, Table II, method 10.
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
    ],
)
def test_the_interval_for_a_difference_matches_published_values(x2, n2, x1, n1, low, high):
    assert difference_interval(x2, n2, x1, n1) == pytest.approx((low, high), abs=5e-5)


def test_a_percentage_that_would_give_away_a_small_count_is_withheld():
    finding = _survey([("2025/26", "yes", 36, True), ("2025/26", "no", 4, False)])[0]
    assert (finding.percent, finding.ci_low, finding.positive, finding.base) == (
        None,
        None,
        "withheld",
        40,
    )


def test_survey_waves_after_the_review_quarter_are_left_out():
    rows = [
        ("S", "2024/25", "Q", "yes", 60, True),
        ("S", "2024/25", "Q", "no", 40, False),
        ("S", "2026/27", "Q", "yes", 90, True),
        ("S", "2026/27", "Q", "no", 10, False),
    ]
    (finding,) = survey_findings(rows, until=date(2025, 12, 31))
    assert (finding.wave, finding.percent) == ("2024/25", 60.0)


def test_a_small_count_series_shows_no_count_below_five_anywhere():
    ends = pd.date_range("2024-04-30", periods=24, freq="ME")
    points = [(d.date().isoformat(), [2.0, 3.0, 4.0][i % 3]) for i, d in enumerate(ends)]
    e = indicator_evidence(_indicator(unit="count"), _series(points), date(2026, 8, 1))
    data = _indicator_json(e)
    shown = [
        data["latest"]["value"],
        data["previous_quarter"]["value"],
        data["previous_quarter"]["difference"],
        data["year_before"]["value"],
    ]
    shown += [p["value"] for p in data["spc"]["points"]] + [f["value"] for f in data["series"]]
    assert set(shown) == {"fewer than 5", None}
    assert indicator_chart(e) is None and e.small_numbers


def test_complaint_figures_count_only_what_they_describe():
    from reviews.evidence.complaints import complaint_summary

    q = parse_quarter("2026/27 Q2")
    before = parse_quarter("2026/27 Q1")
    year = parse_quarter("2025/26 Q2")
    rows = [(date(2026, 7, 1 + i), "delays", "upheld", date(2026, 7, 11 + i)) for i in range(6)]
    rows += [(date(2026, 7, 2), "delays", "withdrawn", date(2026, 9, 28))]  # never answered
    rows += [(date(2026, 8, 2), "charging", "not upheld", None)]  # decided, date not given
    rows += [
        (date(2026, 4, 3 + i), "staff attitude", "upheld", date(2026, 4, 20)) for i in range(6)
    ]  # all last quarter, none this quarter
    summary = complaint_summary(rows, q, before, year, response_days=20)
    assert summary.received == 8 and summary.decided == 6
    assert summary.median_days_to_close == 10.0  # the withdrawn one is not counted
    assert summary.open_at_period_end == 0
    assert summary.upheld_percent == 100.0  # 6 of 6 upheld: nothing small to give away
    staff = next(c for c in summary.categories if c.category == "staff attitude")
    assert (staff.count, staff.previous_quarter, staff.open_at_period_end) == (0, 6, 0)


def test_a_monthly_figure_is_never_ranked_against_a_year():
    from reviews.evidence.comparators import placement

    series = [
        (d.date().isoformat(), 40.0 + i % 5)
        for i, d in enumerate(pd.date_range("2023-04-30", "2025-03-31", freq="ME"))
    ]
    e = indicator_evidence(_indicator(), _series(series), date(2025, 6, 1))
    peers = [
        (f"E0600000{i}", f"Area {i}", "2024/25", date(2024, 4, 1), date(2025, 3, 31), 50.0 + i)
        for i in range(5)
    ]
    assert placement(e, peers, own_figures=True) is None
    month = [
        (c, n, "2025-03-31", date(2025, 3, 31), date(2025, 3, 31), v) for c, n, _, _, _, v in peers
    ]
    assert placement(e, month, own_figures=True).of == 6
    # A team's own figure is no council's: without its say-so it is not ranked at all.
    assert placement(e, month) is None


def test_a_category_says_its_counts_and_no_direction_between_two_quarters():
    from reviews.evidence.complaints import complaint_summary

    q = parse_quarter("2026/27 Q2")
    rows = [(date(2026, 4, 2), "care quality", "upheld", date(2026, 4, 20))] * 3
    summary = complaint_summary(
        rows, q, parse_quarter("2026/27 Q1"), parse_quarter("2025/26 Q2"), response_days=20
    )
    (care,) = summary.categories
    assert (care.count, care.previous_quarter, care.same_quarter_last_year) == (
        0,
        "fewer than 5",
        0,
    )
    assert not hasattr(care, "movement")


def test_a_place_among_peers_is_told_in_the_indicators_own_unit():
    from bot.base.wording import placement_line
    from reviews.evidence.model import Placement

    assert placement_line(
        Placement(
            "ASCOF 1J",
            "2022/23",
            0.381,
            139,
            150,
            4,
            0.4012,
            0.381 - 0.4012,
            0.409,
            peer_group="English councils",
        )
    ) == (
        "2022/23: 0.381, rank 139 of 150 English councils (4th quartile: the worst quarter), "
        "-0.0202 against their average 0.401; England 0.409"
    )
    assert placement_line(
        Placement("ASCOF 3A", "2024/25", 60.8, 2, 4, 2, 59.23, 1.57, 65.1, "percent")
    ).startswith(
        "2024/25: 60.8%, rank 2 of 4 nearest neighbours (2nd quartile), +1.6 points against "
        "their average 59.2%"
    )


def test_a_quarters_figure_is_labelled_by_its_three_months():
    from reviews.evidence.model import period_words

    ends = [date(2025, 3, 31), date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31)]
    assert [period_words("quarterly", d) for d in ends] == [
        "Jan-Mar 2025",
        "Apr-Jun 2025",
        "Jul-Sep 2025",
        "Oct-Dec 2025",
    ]
    assert period_words("annual", date(2025, 3, 31)) == "2024/25"


def test_a_figure_is_not_late_when_a_newer_one_is_loaded_after_the_quarter_asked():
    series = _monthly("2023-04-30", "2026-06-30")
    e = indicator_evidence(
        _indicator(lag_days=30), series, date(2026, 11, 26), newest=date(2026, 10, 31)
    )
    assert e.freshness.status == "current" and e.latest.period_end == date(2026, 6, 30)


def test_the_peer_group_is_named_by_its_size():
    from reviews.evidence.comparators import peer_group

    assert [peer_group(n) for n in (16, 152, 10)] == [
        "nearest neighbours",
        "English councils",
        "comparable councils",
    ]


def test_a_council_file_giving_a_quarter_and_the_year_to_one_date_keeps_one_span():
    from reviews.evidence.build import one_span_each

    rows = [
        (1, date(2024, 3, 31), 60.0, date(2023, 4, 1)),
        (1, date(2025, 3, 31), 61.0, date(2024, 4, 1)),
        (1, date(2025, 3, 31), 58.0, date(2025, 1, 1)),
    ]
    assert one_span_each(rows) == rows[:2]


def _annual(*figures: tuple[float, int, int]) -> list[Figure]:
    """(percent, numerator, denominator) for years ending March 2023 on."""
    return [
        Figure(value, date(2023 + i, 3, 31), part, base)
        for i, (value, part, base) in enumerate(figures)
    ]


def test_a_target_within_the_figures_margin_of_error_is_neither_met_nor_missed():
    from bot.base.wording import latest_text, target_text

    # 122 of 201 is 60.7%, 95% interval 53.8 to 67.2: a target of 65.0 lies inside it.
    e = indicator_evidence(
        _indicator(target=65.0, frequency="annual"),
        _annual((60.8, 125, 206), (60.7, 122, 201)),
        date(2026, 11, 26),
    )
    assert e.meets_target is None and e.target_status == "within_margin"
    assert e.interval == pytest.approx((53.8, 67.2), abs=0.05)
    assert target_text(e) == "within the margin of error of target 65.0%"
    assert latest_text(e).endswith("; base 201)")
    assert _indicator_json(e)["target_status"] == "within_margin"
    # Without a base, no interval, and the verdict is the figure's.
    bare = indicator_evidence(
        _indicator(target=65.0, frequency="annual"),
        [Figure(60.8, date(2024, 3, 31)), Figure(60.7, date(2025, 3, 31))],
        date(2026, 11, 26),
    )
    assert bare.meets_target is False and target_text(bare) == "misses target 65.0%"


def test_a_percentage_of_a_few_people_gets_no_chart_verdict_or_rank_and_keeps_its_counts_back():
    from bot.base.wording import latest_text, target_text
    from reviews.evidence.comparators import placement

    months = [
        Figure(66.7, d.date(), 4, 6) for d in pd.date_range("2025-10-31", "2026-09-30", freq="ME")
    ]
    e = indicator_evidence(_indicator(target=82.0), months, date(2026, 12, 6))
    assert e.spc is None and e.no_spc_reason == "small_base"
    assert (
        e.meets_target is None and target_text(e) == "target 82.0%: no verdict from so few people"
    )
    # 66.7% of 6 would tell 4 people, and 2.
    assert latest_text(e).startswith("withheld (Sep 2026, 67 days old, late; fewer than 5 of 6)")
    assert _indicator_json(e)["latest"]["value"] == "withheld"
    assert indicator_chart(e) is None
    peers = [("E06000001", "Area", "2026-09-30", date(2026, 9, 30), date(2026, 9, 30), 70.0)]
    assert placement(e, peers, own_figures=True) is None


def test_centre_and_limits_are_shown_a_place_finer_than_the_figures_and_kept_two_finer():
    from bot.base.wording import limits_text

    values = [50, 53, 49, 51, 55, 48, 52, 50, 54, 49, 51, 53, 50, 52]
    points = [
        Figure(float(v), f.period_end)
        for v, f in zip(values, _monthly("2025-08-31", "2026-09-30"), strict=True)
    ]
    e = indicator_evidence(_indicator(), points, date(2026, 11, 1))
    assert e.decimals == 0
    upper = e.spc.upper
    assert f"process limits {e.spc.lower:.1f}% to {upper:.1f}%" in limits_text(e)
    data = _indicator_json(e)["spc"]
    assert data["upper"] == round(upper, 2) and data["upper"] != round(upper)


def test_every_surface_says_why_there_is_no_assurance_the_same_way():
    from bot.shared.reports.words import assurance_alt

    rolling = indicator_evidence(
        _indicator(target=560.0, polarity="lower", basis="rolling_12_months", unit="rate"),
        _monthly("2024-04-30", "2026-09-30", 570.0),
        date(2026, 11, 1),
    )
    untargeted = indicator_evidence(
        _indicator(), _monthly("2024-04-30", "2026-09-30"), date(2026, 11, 1)
    )
    for e, words in (
        (rolling, "no assurance without SPC"),
        (untargeted, "no target to assure against"),
    ):
        assert assurance_alt(e) == words
        assert _indicator_json(e)["assurance_words"] == words
