"""Charts and icons in Making Data Count's style: readable on a phone, honest about scale
and gaps, labelled, never telling kinds of point apart by colour alone, in colours that
stand out from white, and described in words for screen readers."""

from __future__ import annotations

import io
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from types import SimpleNamespace

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.image import imread
from matplotlib.text import Text

from bot.shared.chart_words import ALT_TEXT_LIMIT, chart_alt_text
from bot.shared.charts import (
    indicator_chart,
    indicator_figure,
    overview_chart,
    overview_figure,
    phone_px,
    y_limits,
)
from bot.shared.icons import (
    CHART_KEY,
    Letter,
    assurance_icon,
    assurance_shapes,
    assurance_words,
    variation_icon,
    variation_shapes,
    variation_words,
)
from reviews.evidence.comparators import benchmarks
from reviews.evidence.indicators import indicator_evidence
from reviews.evidence.model import Benchmark, Figure
from storage.models import Indicator
from storage.periods import parse_quarter

AS_OF = date(2026, 11, 30)
LONG_TITLE = (
    "Older people (65 and over) still at home 91 days after discharge from hospital into reablement"
)


def _indicator(**kw) -> Indicator:
    return Indicator(
        id=1,
        code=kw.pop("code", "ASCOF 2B(1)"),
        title=kw.pop("title", LONG_TITLE),
        unit=kw.pop("unit", "percent"),
        polarity=kw.pop("polarity", "higher"),
        **kw,
    )


def _monthly(values: list[float], first: str = "2023-04-30") -> list[Figure]:
    ends = pd.date_range(first, periods=len(values), freq="ME")
    return [Figure(v, d.date()) for d, v in zip(ends, values, strict=True)]


def _annual(values: list[float], first_year: int = 2023) -> list[Figure]:
    return [Figure(v, date(first_year + i, 3, 31)) for i, v in enumerate(values)]


def improving(**kw):
    """42 months of a percentage that rises clearly in its last eight, with a target."""
    values = [76.3 + (i * 7) % 5 for i in range(34)] + [86.3 + i % 2 for i in range(8)]
    return indicator_evidence(_indicator(target=82.0, **kw), _monthly(values), AS_OF)


def carers_quality_of_life():
    # ASCOF 1D is a score out of 12; 7.0 to 7.4 is a small change.
    return indicator_evidence(
        _indicator(code="ASCOF 1D", title="Carer-reported quality of life", unit="score"),
        _annual([7.1, 7.1, 7.0, 7.4]),
        AS_OF,
    )


def _drawn(figure):
    FigureCanvasAgg(figure).draw()
    return figure


def _main_axes(figure):
    return next(ax for ax in figure.axes if ax.get_gid() is None)


def _line(figure, gid: str):
    return next(line for line in _main_axes(figure).get_lines() if line.get_gid() == gid)


def _tick_labels(figure) -> list[str]:
    return [t.get_text() for t in _main_axes(_drawn(figure)).get_xticklabels()]


def _legend(figure) -> list[str]:
    return [t.get_text() for t in figure.legends[0].get_texts()]


def test_a_long_title_wraps_whole_and_is_never_cut():
    figure = _drawn(indicator_figure(improving()))
    (title,) = [t for t in figure.texts if t.get_gid() == "title"]
    assert "\n" in title.get_text()
    assert " ".join(title.get_text().split()) == f"ASCOF 2B(1): {LONG_TITLE}"
    assert "..." not in title.get_text()
    box = title.get_window_extent()
    assert box.x0 >= 0 and box.x1 <= figure.bbox.width and box.y1 <= figure.bbox.height


def test_the_title_stops_short_of_the_icons_at_the_top_right():
    figure = _drawn(indicator_figure(improving()))
    icon = next(ax for ax in figure.axes if ax.get_gid() == "variation icon")
    (title,) = [t for t in figure.texts if t.get_gid() == "title"]
    first_line = Text(
        text=title.get_text().split("\n")[0], fontproperties=title.get_fontproperties()
    )
    first_line.set_figure(figure)
    width = first_line.get_window_extent(figure.canvas.get_renderer()).width
    assert title.get_window_extent().x0 + width < icon.get_window_extent().x0


def test_annual_figures_are_labelled_by_financial_year_not_month():
    labels = _tick_labels(indicator_figure(carers_quality_of_life()))
    assert "2023/24" in labels and "2025/26" in labels
    assert not any(month in " ".join(labels) for month in ("Mar", "May", "Jan"))


def test_quarterly_and_monthly_figures_are_labelled_as_their_periods():
    quarters = [Figure(60.0 + i % 3, e.date()) for i, e in enumerate(
        pd.date_range("2023-06-30", periods=14, freq="QE-MAR")
    )]  # fmt: skip
    quarterly = indicator_evidence(_indicator(frequency="quarterly"), quarters, AS_OF)
    assert _tick_labels(indicator_figure(quarterly))[-1] == "Jul-Sep 2026"
    assert _tick_labels(indicator_figure(improving()))[-1] == "Sep 26"


@pytest.mark.parametrize(
    "unit,title,words",
    [
        ("percent", "Share seen", "%"),
        ("days", "Average days waiting", "days"),
        ("rate", "Admissions, aged 65 and over, per 100,000 population", "per 100,000"),
        ("score", "Quality of life", "score"),
    ],
)
def test_the_y_axis_is_labelled_with_the_unit(unit, title, words):
    e = indicator_evidence(_indicator(unit=unit, title=title), _annual([7.0, 8.0, 9.0]), AS_OF)
    assert _main_axes(indicator_figure(e)).get_ylabel() == words


def test_the_legend_names_the_points_mean_limits_and_the_labelled_target():
    e = improving()
    assert e.variation == "special_cause_improvement" and e.variation_side == "high"
    labels = _legend(indicator_figure(e))
    assert {"mean", "process limits", "target 82.0%", "improvement"} <= set(labels)
    target = _line(indicator_figure(e), "target")
    assert target.get_color() == "#de1b1b" and target.get_linestyle() == "--"


def test_a_missing_period_breaks_the_line_rather_than_bridging_it():
    series = _monthly([50.0 + i % 4 for i in range(30)])
    gap = series.pop(10).period_end
    e = indicator_evidence(_indicator(), series, AS_OF)
    assert e.missing_periods == [gap]
    line = _line(indicator_figure(e), "data")
    xs = [mdates.num2date(x).date() if not isinstance(x, date) else x for x in line.get_xdata()]
    ys = np.asarray(line.get_ydata(), dtype=float)
    assert math.isnan(ys[xs.index(gap)])
    assert np.isfinite(np.delete(ys, xs.index(gap))).all()


def test_new_limits_after_a_recalculation_start_a_new_line():
    values = [50.0 + i % 4 for i in range(15)] + [70.0 + i % 4 for i in range(15)]
    series = _monthly(values)
    e = indicator_evidence(_indicator(recalculate_from=series[15].period_end), series, AS_OF)
    assert e.spc.recalculated_from == series[15].period_end
    mean = np.asarray(_line(indicator_figure(e), "mean").get_ydata(), dtype=float)
    assert np.isnan(mean).sum() == 1


def test_a_small_change_in_a_score_does_not_fill_the_chart():
    e = carers_quality_of_life()
    low, high = y_limits(e)
    assert (7.4 - 7.0) / (high - low) < 1 / 3
    assert low >= 0
    assert _main_axes(indicator_figure(e)).get_ylim() == pytest.approx((low, high))


def test_a_percentage_axis_spans_at_least_twenty_points_within_nought_and_a_hundred():
    flat = indicator_evidence(_indicator(target=65.0), _annual([60.8, 60.7, 60.8]), AS_OF)
    low, high = y_limits(flat)
    assert high - low >= 20 and 0 <= low <= 60.7 and 65.0 <= high <= 100


def test_the_y_range_holds_the_target_and_the_limits():
    e = improving()
    low, high = y_limits(e)
    assert low <= min(p.lower for p in e.spc.points) and high >= max(p.upper for p in e.spc.points)
    assert low <= 82.0 <= high


def _texts(figure) -> list[Text]:
    return [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


def test_every_text_stays_readable_when_slack_scales_the_chart_to_a_phone():
    e = replace(improving(), benchmarks=[Benchmark(date(2026, 9, 30), 80.0, 81.0, 15)])
    overview = SimpleNamespace(
        team="Older People's Services",
        period=parse_quarter("2026/27 Q2"),
        indicators=[improving(), carers_quality_of_life()] * 3,
    )
    for figure in (indicator_figure(e), overview_figure(overview)):
        _drawn(figure)
        width = figure.get_figwidth()
        sizes = {t.get_fontsize() for t in _texts(figure)}
        assert min(phone_px(size, width) for size in sizes) >= 9
        # The same from the rendered pixels: the PNG's width, and the text's height in it.
        png_width = width * figure.dpi
        tick = _main_axes(figure).get_yticklabels()[0].get_window_extent()
        assert tick.height * 390 / png_width >= 9


def test_the_chart_is_a_png_and_counts_below_five_are_not_drawn():
    png = indicator_chart(improving())
    assert png.startswith(b"\x89PNG") and len(png) > 5000
    counts = indicator_evidence(_indicator(unit="count"), _monthly([2.0, 3.0] * 8), AS_OF)
    assert indicator_chart(counts) is None


def test_the_overview_gives_each_panel_its_code_and_whole_title():
    overview = SimpleNamespace(
        team="Older People's Services",
        period=parse_quarter("2026/27 Q2"),
        indicators=[improving(), carers_quality_of_life()],
    )
    figure = overview_figure(overview)
    titles = [
        " ".join(t.get_text().split()) for t in figure.findobj(Text) if t.get_gid() == "panel title"
    ]
    assert titles == [f"ASCOF 2B(1): {LONG_TITLE}", "ASCOF 1D: Carer-reported quality of life"]
    assert sum(ax.get_gid() == "variation icon" for ax in figure.axes) == 2
    assert overview_chart(overview).startswith(b"\x89PNG")


def test_england_and_the_peers_average_are_taken_for_the_teams_own_periods_only():
    e = carers_quality_of_life()
    rows = [
        ("E92000001", "England", "2023/24", date(2023, 4, 1), date(2024, 3, 31), 7.3),
        ("E08000009", "Trafford", "2023/24", date(2023, 4, 1), date(2024, 3, 31), 7.0),
        ("E09000004", "Bexley", "2023/24", date(2023, 4, 1), date(2024, 3, 31), 7.2),
        ("E09000017", "Own council", "2023/24", date(2023, 4, 1), date(2024, 3, 31), 9.9),
        ("E12000002", "North West", "2023/24", date(2023, 4, 1), date(2024, 3, 31), 1.0),
        # A quarter ending with the year covers another span; a year the team lacks.
        ("E92000001", "England", "2024 Q4", date(2025, 1, 1), date(2025, 3, 31), 1.0),
        ("E92000001", "England", "2019/20", date(2019, 4, 1), date(2020, 3, 31), 7.5),
        ("E09000004", "Bexley", "2024/25", date(2024, 4, 1), date(2025, 3, 31), 7.6),
    ]
    found = benchmarks(e, rows, own_area="E09000017")
    assert [(b.period_end, b.england, b.peers) for b in found] == [
        (date(2024, 3, 31), 7.3, 2),
        (date(2025, 3, 31), None, 1),
    ]
    assert found[0].peer_average == pytest.approx(7.1)


def test_england_and_the_peers_are_drawn_as_their_own_labelled_lines():
    e = replace(
        carers_quality_of_life(),
        benchmarks=[
            Benchmark(date(2023, 3, 31), 7.3, 7.0, 15),
            Benchmark(date(2024, 3, 31), 7.3, 7.1, 15),
            Benchmark(date(2025, 3, 31), None, 7.2, 15),
        ],
    )
    figure = indicator_figure(e)
    assert {"England", "average of 15 peers"} <= set(_legend(figure))
    england = np.asarray(_line(figure, "england").get_ydata(), dtype=float)
    assert england[:2].tolist() == [7.3, 7.3] and np.isnan(england[2:]).all()
    assert "England's figures and the average of its nearest neighbours" in chart_alt_text(e)


def _svg(data: bytes) -> ET.Element:
    return ET.fromstring(data)


@pytest.mark.parametrize(
    "variation,side,colour,letter",
    [
        ("special_cause_improvement", "high", "#0072c6", "H"),
        ("special_cause_improvement", "low", "#0072c6", "L"),
        ("special_cause_concern", "high", "#c65102", "H"),
        ("special_cause_concern", "low", "#c65102", "L"),
        ("special_cause_neutral", "high", "#490092", None),
        ("common_cause", None, "#767676", None),
    ],
)
def test_variation_icons_are_mdcs_coloured_rings_with_their_letter(variation, side, colour, letter):
    svg = variation_icon(variation, side)
    root = _svg(svg)
    ns = "{http://www.w3.org/2000/svg}"
    ring = root.find(f"{ns}circle")
    assert ring.get("stroke") == colour and ring.get("fill") == "#ffffff"
    letters = [t.text for t in root.iter(f"{ns}text")]
    assert letters == ([letter] if letter else [])
    assert root.find(f"{ns}title").text == variation_words(variation, side)
    if variation == "special_cause_neutral":
        assert root.find(f"{ns}polygon").get("fill") == colour  # the arrow's head


def _has_colour(png: bytes, colour: str) -> bool:
    pixels = imread(io.BytesIO(png), format="png")[..., :3]
    wanted = np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return bool((np.abs(pixels - wanted).max(axis=-1) < 2 / 255).any())


def test_icons_come_as_png_in_the_same_colours_and_are_drawn_once():
    png = variation_icon("special_cause_concern", "low", "png")
    assert png.startswith(b"\x89PNG") and _has_colour(png, "#c65102")
    assert not _has_colour(png, "#0072c6")
    assert _has_colour(assurance_icon("consistent_pass", "png"), "#0072c6")
    assert variation_icon("special_cause_concern", "low", "png") is png
    with pytest.raises(ValueError):
        variation_icon("common_cause", None, "gif")


@pytest.mark.parametrize(
    "assurance,colour,letter",
    [
        ("consistent_pass", "#0072c6", "P"),
        ("consistent_fail", "#c65102", "F"),
        ("inconsistent", "#767676", "?"),
    ],
)
def test_assurance_icons_are_p_f_or_question_mark(assurance, colour, letter):
    root = _svg(assurance_icon(assurance))
    ns = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{ns}circle").get("stroke") == colour
    assert [t.text for t in root.iter(f"{ns}text")] == [letter]


def test_without_spc_or_target_the_icons_are_plain_grey_rings():
    ns = "{http://www.w3.org/2000/svg}"
    for svg, words in (
        (variation_icon(None, None), "no SPC"),
        (assurance_icon(None), assurance_words(None)),
    ):
        root = _svg(svg)
        assert root.find(f"{ns}text") is None and root.find(f"{ns}title").text == words
        assert root.find(f"{ns}circle").get("stroke") == "#8c8c8c"


def test_icon_words_read_as_mdc_says_them():
    assert variation_words("special_cause_improvement", "high") == (
        "special cause variation of an improving nature where the measure is significantly higher"
    )
    assert variation_words("special_cause_concern", "low") == (
        "special cause variation of a concerning nature where the measure is significantly lower"
    )
    assert variation_words("common_cause", None) == "common cause variation"
    assert variation_words(None, None) == "no SPC"
    assert assurance_words("consistent_pass") == "consistently passes the target"
    assert assurance_words("consistent_fail") == "consistently fails the target"
    assert assurance_words("inconsistent") == "hit and miss: may pass or fail the target by chance"
    # Why there is none, one way for each reason.
    assert assurance_words(None) == "no target to assure against"
    assert assurance_words(None, "no_spc") == "no assurance without SPC"
    assert assurance_words(None, "stale_limits") == (
        "no assurance: the limits predate a sustained change"
    )


def test_alt_text_names_the_series_latest_figure_reading_and_target():
    text = chart_alt_text(improving())
    assert text.startswith(f"Chart of ASCOF 2B(1): {LONG_TITLE}.")
    assert "42 monthly figures (%) from Apr 2023 to Sep 2026" in text
    assert "latest 87.3% (Sep 2026)" in text
    assert "Special cause variation of an improving nature where the measure is" in text
    assert "the target of 82.0%" in text
    short = chart_alt_text(carers_quality_of_life())
    assert "latest 7.4 (2025/26)" in short and "No SPC reading: too few points: 4 of 12" in short


def test_the_key_still_opens_as_the_slack_post_expects():
    assert CHART_KEY.startswith("How to read the charts")
    assert all(word in CHART_KEY for word in ("mean", "process limits", "target", "England"))


# Colour is never the only difference, and every mark stands out from white.


def contrast(colour: str) -> float:
    """WCAG 2.2's contrast ratio of a colour against white, from relative luminance."""
    if not colour.startswith("#"):
        colour = to_hex(colour)
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def test_the_contrast_ratio_is_worked_out_as_wcag_defines_it():
    assert contrast("#000000") == pytest.approx(21.0)
    assert contrast("#ffffff") == pytest.approx(1.0)
    assert contrast("#767676") == pytest.approx(4.54, abs=0.01)  # the familiar 4.5:1 grey
    # MDC's own point colours, which fall short.
    assert contrast("#00b0f0") < 3 and contrast("#a6a6a6") < 3 and contrast("#ff6600") < 3


ALL_VARIATIONS = [
    (v, side)
    for v in ("special_cause_improvement", "special_cause_concern", "special_cause_neutral")
    for side in ("high", "low")
] + [("common_cause", None), (None, None)]
ALL_ASSURANCES = ["consistent_pass", "consistent_fail", "inconsistent", None]


def test_every_mark_of_every_icon_stands_out_from_white_by_3_to_1_and_letters_by_4_5():
    drawn = [variation_shapes(v, side) for v, side in ALL_VARIATIONS]
    drawn += [assurance_shapes(a) for a in ALL_ASSURANCES]
    for shapes in drawn:
        for shape in shapes:
            assert contrast(shape.colour) >= 3, shape
            if isinstance(shape, Letter):
                assert contrast(shape.colour) >= 4.5, shape


def mixed(**kw):
    """36 months that start low (concern, for a higher-is-better indicator) and end high
    (improvement), with a target, England and the peers."""
    values = [42.5 + i % 2 for i in range(8)] + [50.5 + i % 4 for i in range(20)]
    values += [58.5 + i % 2 for i in range(8)]
    e = indicator_evidence(_indicator(target=55.0, **kw), _monthly(values), AS_OF)
    ends = [f.period_end for f in e.series]
    return replace(e, benchmarks=[Benchmark(d, 52.5, 51.5, 15) for d in ends[-12:]])


def test_every_mark_a_chart_is_read_by_stands_out_from_white_by_3_to_1():
    for e in (mixed(), mixed(polarity="neutral")):
        ax = _main_axes(_drawn(indicator_figure(e)))
        colours = [line.get_color() for line in ax.get_lines()]
        colours += [to_hex(c) for points in ax.collections for c in points.get_facecolors()]
        assert len(set(colours)) >= 6
        assert {c: round(contrast(c), 2) for c in colours if contrast(c) < 3} == {}


def _without_colour(shapes) -> list:
    return [replace(s, colour="") for s in shapes]


def _ink(png: bytes) -> np.ndarray:
    """Where an icon is drawn, whatever the colour: what a reader who sees no colour sees."""
    pixels = imread(io.BytesIO(png), format="png")
    grey = pixels[..., :3].mean(axis=-1) * pixels[..., 3] + (1 - pixels[..., 3])  # on white
    return grey < 0.75


@pytest.mark.parametrize("side", ["high", "low"])
def test_an_improvement_and_a_concern_icon_differ_in_shape_not_only_colour(side):
    improvement = variation_shapes("special_cause_improvement", side)
    concern = variation_shapes("special_cause_concern", side)
    assert _without_colour(improvement) != _without_colour(concern)
    differ = _ink(variation_icon("special_cause_improvement", side, "png")) != _ink(
        variation_icon("special_cause_concern", side, "png")
    )
    assert differ.sum() > 100  # pixels, of 128 x 128: the two marks are not the same shape
    # In the SVG too: triangles pointing opposite ways.
    ns = "{http://www.w3.org/2000/svg}"
    marks = [
        [p.get("points") for p in _svg(variation_icon(v, side)).iter(f"{ns}polygon")]
        for v in ("special_cause_improvement", "special_cause_concern")
    ]
    assert marks[0] and marks[1] and marks[0] != marks[1]


def _legend_markers(figure) -> dict[str, str]:
    legend = figure.legends[0]
    return {
        text.get_text(): handle.get_marker()
        for text, handle in zip(legend.get_texts(), legend.legend_handles, strict=True)
    }


def test_special_cause_points_differ_by_shape_and_the_legend_names_each_kind():
    shapes = {}
    for e in (mixed(), mixed(polarity="neutral")):
        for points in _main_axes(indicator_figure(e)).collections:
            shapes[points.get_gid()] = points.get_paths()[0].vertices.round(3).tobytes()
    kinds = {"points common_cause", "points improvement", "points concern", "points neutral"}
    assert set(shapes) == kinds
    assert len(set(shapes.values())) == 4  # a circle, two triangles and a square
    legend = _legend_markers(indicator_figure(mixed()))
    assert (legend["common cause"], legend["improvement"], legend["concern"]) == ("o", "^", "v")
    assert _legend_markers(indicator_figure(mixed(polarity="neutral")))["special cause"] == "s"
    # England's and the peers' figures are marked unlike any of the team's points.
    benchmarks = [
        _line(indicator_figure(mixed()), gid).get_marker() for gid in ("england", "peer average")
    ]
    assert not set(benchmarks) & {"o", "^", "v", "s"}


def test_the_key_names_the_shapes_as_well_as_the_colours():
    for shape in ("circles", "upward triangles", "downward triangles", "squares"):
        assert shape in CHART_KEY


# The chart in words.


def test_alt_text_gives_the_first_latest_highest_and_lowest_figures_with_their_periods():
    text = chart_alt_text(mixed())
    assert "First 42.5% (Apr 2023), latest 59.5% (Mar 2026);" in text
    assert "highest 59.5% (Mar 2026 and 3 earlier periods)" in text
    assert "lowest 42.5% (Oct 2023 and 3 earlier periods)." in text


def test_alt_text_says_when_the_latest_shift_began_and_what_it_means():
    text = chart_alt_text(mixed())
    assert "A shift: 10 points in a row above the mean (improvement), since Jun 2025." in text
    assert "Special cause points: 10 improvement and 10 concern." in text
    worse = chart_alt_text(mixed(polarity="lower"))
    assert "A shift: 10 points in a row above the mean (concern), since Jun 2025." in worse


def test_alt_text_gives_the_target_limits_england_and_the_peers():
    text = chart_alt_text(mixed())
    assert "the target of 55.0%" in text
    assert "Mean 51.56%, process limits 48.25% to 54.86%." in text
    assert "England: 52.5% (Mar 2026); the average of 15 nearest neighbours: 51.5% (Mar 2026)." in (
        text
    )


def test_alt_text_stays_within_slacks_limit_however_long_what_it_describes():
    e = mixed(title="A very long title " * 40, recalculate_reason="Why " * 400)
    e = replace(
        e,
        missing_periods=[date(2020, m, 28) for m in range(1, 13)],
        recalculation_reason="A reason " * 300,
    )
    text = chart_alt_text(e)
    assert len(text) <= ALT_TEXT_LIMIT == 1000
    assert text.startswith("Chart of ASCOF 2B(1): A very long title")
    assert "First 42.5% (Apr 2023)" in text  # what matters most is kept


def test_alt_text_of_a_series_of_small_counts_states_no_figure():
    counts = indicator_evidence(
        _indicator(code="LOCAL SMALL", title="Small counts", unit="count"),
        _monthly([2.0, 3.0, 6.0] * 6),
        AS_OF,
    )
    assert counts.small_numbers and indicator_chart(counts) is None
    text = chart_alt_text(counts)
    assert not re.search(r"\d", text.replace("below 5", "")), text
