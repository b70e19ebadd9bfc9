"""Charts in the style of NHS England's Making Data Count: the series, its mean and process
limits, the target, special-cause points coloured and shaped by what they mean, England's
figure and the peers' average where comparator files give them, and MDC's variation and
assurance icons at the top right. PNG bytes, drawn headless; any front end (Slack, the
reports, the command line) shows the same pictures, and says them in words
(`chart_alt_text`) for whoever cannot see them.

Slack shows an image scaled to the width of the screen, 390 px on a small phone, so the
figures are sized in inches and their text in points such that, scaled down to that
width, no text is smaller than about 9 px (`phone_px`). Titles wrap rather than being
cut, and the y axis never starts so close to the figures that a small change looks like
a surge (`y_limits`)."""

from __future__ import annotations

import io
import math
import re
from datetime import date
from pathlib import Path

import matplotlib.dates as mdates
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedFormatter, FixedLocator, FuncFormatter, MaxNLocator
from matplotlib.transforms import offset_copy

from bot.base.wording import latest_text, plural, title_text, value_text
from bot.shared import icons
from bot.shared.chart_words import FLAG_WORDS, VARIATIONS, axis_words
from reviews.evidence import spc
from reviews.evidence.model import Evidence, IndicatorEvidence, period_words

# Making Data Count's chart colours, at the icons' accessible shades (see icons.py), and a
# shape for each kind of point, so that colour is never the only difference: the icons'
# last two dots take the same shapes.
COLOURS = {
    spc.COMMON_CAUSE: icons.COMMON_CAUSE,
    spc.IMPROVEMENT: icons.IMPROVEMENT,
    spc.CONCERN: icons.CONCERN,
    spc.NEUTRAL: icons.NEUTRAL,
}
MATPLOTLIB_MARKERS = {"circle": "o", "up": "^", "down": "v", "square": "s"}
MARKERS = {flag: MATPLOTLIB_MARKERS[icons.MARKERS[v]] for flag, v in VARIATIONS.items()}
# Triangles and squares look smaller than a circle of the same area.
MARKER_AREA = {"o": 1.0, "^": 1.5, "v": 1.5, "s": 1.1}
# MDC's light grey line and limits (#a6a6a6, 2.4:1) darkened to 3.4:1 against white (WCAG
# 2.2, 1.4.11), still paler than the points they join.
DATA_LINE = icons.NONE
MEAN = "#000000"
LIMITS = icons.NONE
TARGET = "#de1b1b"
# Away from the MDC colours so neither reads as a signal: NHS dark green and plum.
ENGLAND = "#007f3b"
PEERS = "#7c2855"
SUBTLE = "#425563"
OVERVIEW_LIMIT = 24

# Sizes. Scaled to the phone's width, 1 pt of text becomes PHONE_WIDTH_PX / (72 * WIDTH_IN)
# px, whatever the dpi: 10.5 pt on a 6 inch figure is 9.5 px.
PHONE_WIDTH_PX = 390
WIDTH_IN = 6.0
DPI = 150
TEXT_PT = 10.5
TITLE_PT = 13.0
ICON_IN = 0.62
MARGIN_IN = 0.12


def phone_px(fontsize_pt: float, figure_width_in: float) -> float:
    """How tall, in pixels, text of this size is once the figure is scaled to a phone's
    width (whatever the figure's dpi, which cancels out)."""
    return fontsize_pt / 72 * PHONE_WIDTH_PX / figure_width_in


def _renderer(figure: Figure):
    """A renderer for measuring text as `figure` will draw it."""
    canvas = figure.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        canvas = FigureCanvasAgg(figure)  # which becomes the figure's canvas
    return canvas.get_renderer()


def _layout(figure: Figure) -> ConstrainedLayoutEngine:
    """The figure's layout, constrained as every figure here is made."""
    engine = figure.get_layout_engine()
    assert isinstance(engine, ConstrainedLayoutEngine), "made with layout='constrained'"
    return engine


def _text_width_in(renderer, text: str, fontsize: float, weight: str = "normal") -> float:
    prop = FontProperties(size=fontsize, weight=weight)
    width, _, _ = renderer.get_text_width_height_descent(text, prop, ismath=False)
    return width / renderer.dpi


def wrap(
    renderer, text: str, fontsize: float, widths: list[float], weight: str = "normal"
) -> list[str]:
    """`text` in lines, word by word, each fitting its width in inches (`widths[i]` for
    line i, the last width for the rest) as measured in the font it is drawn in. No word
    is dropped; a word too long for a line has the line to itself."""
    # Each word is measured once and a line is the sum of its words and spaces: measuring
    # every longer line afresh costs more than drawing the chart.
    space = _text_width_in(renderer, "a a", fontsize, weight) - 2 * _text_width_in(
        renderer, "a", fontsize, weight
    )
    lines: list[str] = []
    used = 0.0
    for word in text.split():
        width = widths[min(len(lines) - 1, len(widths) - 1)] if lines else widths[0]
        size = _text_width_in(renderer, word, fontsize, weight)
        if lines and used + space + size <= width:
            lines[-1] = f"{lines[-1]} {word}"
            used += space + size
        else:
            lines.append(word)
            used = size
    return lines


def _with_gaps(evidence: IndicatorEvidence) -> tuple[list, list[float]]:
    """The series with a break at each missing period, so the line is never drawn across
    a period that has no figure."""
    points = [(f.period_end, f.value) for f in evidence.series]
    points += [(d, math.nan) for d in evidence.missing_periods]
    points.sort()
    return [d for d, _ in points], [v for _, v in points]


def _segments(evidence: IndicatorEvidence, attribute: str) -> tuple[list, list[float]]:
    """A mean or limit line, broken where the limits were recalculated, as MDC draws it."""
    dates: list = []
    values: list[float] = []
    chart = evidence.spc
    if chart is None:
        return dates, values
    for i, point in enumerate(chart.points):
        if i and chart.recalculated_from and point.period_end == chart.recalculated_from:
            dates.append(point.period_end)
            values.append(math.nan)
        dates.append(point.period_end)
        values.append(getattr(point, attribute))
    return dates, values


def _benchmark_lines(evidence: IndicatorEvidence) -> dict[str, tuple[list, list[float]]]:
    """England's and the peers' figures on the team's periods, with breaks where a period
    has none."""
    dates = _with_gaps(evidence)[0]
    found = {b.period_end: b for b in evidence.benchmarks}
    lines = {}
    for name in ("england", "peer_average"):
        values = [getattr(found[d], name) if d in found else None for d in dates]
        if any(v is not None for v in values):
            lines[name] = (dates, [math.nan if v is None else v for v in values])
    return lines


def y_limits(evidence: IndicatorEvidence) -> tuple[float, float]:
    """A y range holding the figures, limits, target and benchmarks, at least a fifth of
    the way from 0 to 100 for a percentage and a quarter of the largest value otherwise, so
    a change from 7.0 to 7.4 on a 12-point scale does not fill the chart. It stays at or
    above 0 (and at or below 100 for a percentage) where the figures do."""
    shown = [f.value for f in evidence.series]
    if evidence.spc is not None:
        shown += [v for p in evidence.spc.points for v in (p.lower, p.upper)]
    if evidence.target is not None:
        shown.append(evidence.target)
    for b in evidence.benchmarks:
        shown += [v for v in (b.england, b.peer_average) if v is not None]
    low, high = min(shown), max(shown)
    percent = evidence.unit == "percent"
    floor = 0.0 if min(f.value for f in evidence.series) >= 0 else -math.inf
    ceiling = 100.0 if percent and max(f.value for f in evidence.series) <= 100 else math.inf
    least = 20.0 if percent else 0.25 * max(abs(low), abs(high)) or 1.0
    span = max(high - low, least)
    middle = (low + high) / 2
    low, high = middle - span / 2, middle + span / 2
    pad = 0.06 * span
    low, high = low - pad, high + pad
    if low < floor:
        low, high = floor, high + (floor - low)
    if high > ceiling:
        low, high = max(floor, low - (high - ceiling)), ceiling
    return low, high


def _tick_label(frequency: str, end: date) -> str:
    # A quarter by its months, as the text names it: its number depends on the financial
    # year, which a chart is not told.
    if frequency in ("annual", "quarterly"):
        return period_words(frequency, end)
    return f"{end:%b %y}" if frequency == "monthly" else f"{end:%b %Y}"


# Steps between labelled periods that keep the labels in step with the calendar.
STEPS = {"monthly": (1, 2, 3, 6, 12, 24), "quarterly": (1, 2, 4, 8), "annual": (1, 2, 5, 10)}


def _x_ticks(ax, evidence: IndicatorEvidence, axis_width_in: float, fontsize: float) -> None:
    """Ticks at the periods themselves, labelled as the period is named (2023/24, 2026/27
    Q2, Sep 26), as many as fit side by side, always including the latest."""
    dates = _with_gaps(evidence)[0]
    labels = [_tick_label(evidence.frequency, d) for d in dates]
    renderer = _renderer(ax.figure)
    widest = max(_text_width_in(renderer, label, fontsize) for label in labels) + 0.15
    fit = max(1, int(axis_width_in // widest))
    least = math.ceil(len(dates) / fit)
    steps = STEPS.get(evidence.frequency, ())
    step = next((s for s in steps if s >= least), least)
    chosen = list(range(len(dates) - 1, -1, -step))[::-1]
    ax.xaxis.set_major_locator(FixedLocator([mdates.date2num(dates[i]) for i in chosen]))
    ax.xaxis.set_major_formatter(FixedFormatter([labels[i] for i in chosen]))
    ax.tick_params(axis="x", labelsize=fontsize)


def _value_axis(ax, evidence: IndicatorEvidence, fontsize: float, ticks: int) -> None:
    ax.set_ylim(*y_limits(evidence))
    ax.yaxis.set_major_locator(MaxNLocator(ticks, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.10g}"))
    ax.tick_params(axis="y", labelsize=fontsize)
    ax.set_ylabel(axis_words(evidence), fontsize=fontsize)
    ax.spines[["top", "right"]].set_visible(False)


def _draw(ax, evidence: IndicatorEvidence, compact: bool = False) -> list[Line2D]:
    """Draws the chart on `ax`; returns legend handles for what it drew."""
    size = 16 if compact else 30
    handles: list[Line2D] = []
    ax.plot(*_with_gaps(evidence), color=DATA_LINE, linewidth=1.4, zorder=2, gid="data")
    chart = evidence.spc
    flags = [p.flag for p in chart.points] if chart else [spc.COMMON_CAUSE] * len(evidence.series)
    for flag in (spc.COMMON_CAUSE, spc.IMPROVEMENT, spc.CONCERN, spc.NEUTRAL):
        shown = [f for f, kind in zip(evidence.series, flags, strict=True) if kind == flag]
        if not shown:
            continue
        marker = MARKERS[flag]
        ax.scatter(
            [f.period_end for f in shown],
            [f.value for f in shown],
            color=COLOURS[flag],
            marker=marker,
            s=size * MARKER_AREA[marker],
            zorder=4,
            linewidths=0,
            gid=f"points {flag}",
        )
        if chart is not None:
            handles.append(_handle(FLAG_WORDS[flag], COLOURS[flag], marker=marker, line=False))
    if chart is None:
        handles.append(_handle("figures", COLOURS[spc.COMMON_CAUSE], marker="o"))
    else:
        ax.plot(*_segments(evidence, "centre"), color=MEAN, linewidth=1.1, zorder=3, gid="mean")
        for limit in ("lower", "upper"):
            ax.plot(
                *_segments(evidence, limit),
                color=LIMITS,
                linewidth=1.1,
                linestyle=(0, (5, 3)),
                zorder=3,
                gid=f"{limit} limit",
            )
        handles.append(_handle("mean", MEAN))
        handles.append(_handle("process limits", LIMITS, style=(0, (5, 3))))
        if chart.recalculated_from is not None:
            # Where the limits start afresh, drawn and named: the note beside the chart
            # says why.
            when = period_words(evidence.frequency, chart.recalculated_from)
            ax.axvline(
                chart.recalculated_from,
                color=MEAN,
                linewidth=0.8,
                linestyle=":",
                gid="recalculated",
            )
            handles.append(_handle(f"limits recalculated from {when}", MEAN, style=":"))
    if evidence.target is not None:
        ax.axhline(
            evidence.target, color=TARGET, linewidth=1.3, linestyle=(0, (5, 3)), gid="target"
        )
        handles.append(
            _handle(f"target {value_text(evidence, evidence.target)}", TARGET, style=(0, (5, 3)))
        )
    if not compact:
        lines = _benchmark_lines(evidence)
        if "england" in lines:
            ax.plot(
                *lines["england"],
                color=ENGLAND,
                linestyle=":",
                linewidth=1.5,
                marker="D",
                markersize=5,
                zorder=3,
                gid="england",
            )
            handles.append(_handle("England", ENGLAND, marker="D", style=":"))
        if "peer_average" in lines:
            # Crosses, not squares: a square is a neutral special-cause point.
            ax.plot(
                *lines["peer_average"],
                color=PEERS,
                linestyle="-.",
                linewidth=1.3,
                marker="X",
                markersize=6,
                zorder=3,
                gid="peer average",
            )
            handles.append(_handle(_peer_words(evidence), PEERS, marker="X", style="-."))
    return handles


def _peer_words(evidence: IndicatorEvidence) -> str:
    latest = next(b for b in reversed(evidence.benchmarks) if b.peer_average is not None)
    return f"average of {plural(latest.peers, 'peer')}"


def _handle(label: str, colour: str, marker: str = "", style="-", line: bool = True) -> Line2D:
    return Line2D(
        [],
        [],
        color=colour,
        marker=marker or None,
        markersize=6,
        linestyle=style if line else "none",
        linewidth=1.3,
        label=label,
    )


def _subtitle(evidence: IndicatorEvidence) -> str:
    parts = [f"latest {latest_text(evidence)}", evidence.reading]
    if evidence.out_of_date:
        parts.append("late")
    return "; ".join(parts)


def _icons(figure: Figure, evidence: IndicatorEvidence, right: float, top: float, size: float):
    """MDC's two icons side by side, variation then assurance, their block's top right
    corner at (`right`, `top`) inches from the figure's left and top edges."""
    width, height = figure.get_size_inches()
    shapes = {
        "variation icon": icons.variation_shapes(evidence.variation, evidence.variation_side),
        "assurance icon": icons.assurance_shapes(evidence.assurance),
    }
    gap = size / 10
    for i, (name, drawn) in enumerate(shapes.items()):
        left = right - (2 - i) * size - (1 - i) * gap
        box = (left / width, 1 - (top + size) / height, size / width, size / height)
        icons.draw(figure.add_axes(box, gid=name), drawn)


def _from_top(figure: Figure, left_in: float, down_in: float):
    """A transform placing text `left_in` and `down_in` inches from the top left corner,
    wherever that corner moves when the figure's height changes."""
    return offset_copy(figure.transFigure, fig=figure, x=left_in, y=-down_in, units="inches")


def indicator_figure(evidence: IndicatorEvidence) -> Figure:
    """The indicator's chart as a matplotlib Figure, before it is saved."""
    body = 3.3
    figure = Figure(figsize=(WIDTH_IN, body + 1.2), dpi=DPI, layout="constrained")
    renderer = _renderer(figure)
    full = WIDTH_IN - 2 * MARGIN_IN
    # Lines beside the icons are shorter; those below them have the whole width.
    beside = full - 2 * ICON_IN - 0.25
    title_line = 1.2 * 1.17 * TITLE_PT / 72
    title = wrap(
        renderer,
        f"{evidence.code}: {title_text(evidence)}",
        TITLE_PT,
        [beside if i * title_line < ICON_IN else full for i in range(12)],
        weight="bold",
    )
    text_line = 1.2 * 1.17 * TEXT_PT / 72
    below_title = len(title) * title_line + 0.04
    subtitle = wrap(
        renderer,
        _subtitle(evidence),
        TEXT_PT,
        [beside if below_title + i * text_line < ICON_IN else full for i in range(12)],
    )
    figure.text(
        0,
        1,
        "\n".join(title),
        fontsize=TITLE_PT,
        fontweight="bold",
        va="top",
        linespacing=1.2,
        transform=_from_top(figure, MARGIN_IN, MARGIN_IN),
        gid="title",
    )
    shown = figure.text(
        0,
        1,
        "\n".join(subtitle),
        fontsize=TEXT_PT,
        color=SUBTLE,
        va="top",
        linespacing=1.2,
        gid="subtitle",
        transform=_from_top(figure, MARGIN_IN, MARGIN_IN + below_title),
    )
    bottom = shown.get_window_extent(renderer).y0 / figure.dpi
    header = max(MARGIN_IN + ICON_IN, figure.get_figheight() - bottom) + 0.1
    figure.set_figheight(header + body)
    _layout(figure).set(rect=(0, 0, 1, body / (header + body)))
    _icons(figure, evidence, WIDTH_IN - MARGIN_IN, MARGIN_IN, ICON_IN)

    ax = figure.subplots()
    handles = _draw(ax, evidence)
    _value_axis(ax, evidence, TEXT_PT, 6)
    _x_ticks(ax, evidence, WIDTH_IN - 0.9, TEXT_PT)
    columns = 3 if max(len(str(h.get_label())) for h in handles) <= 15 else 2
    figure.legend(
        handles=handles,
        loc="outside lower center",
        ncols=min(columns, len(handles)),
        fontsize=TEXT_PT,
        frameon=False,
        handlelength=2.4,
        columnspacing=1.2,
    )
    return figure


def _png(figure: Figure) -> bytes:
    # Figures made directly, not through pyplot: no global state, so charts can be drawn
    # in several threads at once, and nothing needs a display.
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()


def indicator_chart(evidence: IndicatorEvidence) -> bytes | None:
    """The indicator's chart, or None where plotting it would show counts below 5."""
    if evidence.small_numbers:
        return None
    return _png(indicator_figure(evidence))


def overview_figure(evidence: Evidence) -> Figure:
    """Every indicator in a small panel, two to a row: its code and title, wrapped, beside
    its two icons, over its chart without benchmarks."""
    shown = evidence.indicators[:OVERVIEW_LIMIT]
    columns = 2
    rows = max(1, math.ceil(len(shown) / columns))
    icon = 0.44
    # The panel's axes start after the y axis's labels, about 0.7 inch into its column.
    panel = (WIDTH_IN - 0.1) / columns - 0.75
    text_line = 1.2 * 1.17 * TEXT_PT / 72
    figure = Figure(figsize=(WIDTH_IN, 10), dpi=DPI, layout="constrained")
    renderer = _renderer(figure)
    titles = [
        wrap(
            renderer,
            f"{e.code}: {e.title}",
            TEXT_PT,
            [panel - 2 * icon - 0.5 if i * text_line < icon + 0.08 else panel for i in range(12)],
            weight="bold",
        )
        for e in shown
    ]
    heights = [
        1.75 + text_line * max(len(t) for t in titles[r * columns : (r + 1) * columns])
        for r in range(rows)
    ]
    top = 0.45
    height = top + sum(heights)
    figure.set_figheight(height)
    _layout(figure).set(rect=(0, 0, 1, 1 - top / height), h_pad=0.06, w_pad=0.04)
    figure.text(
        0,
        1,
        f"{evidence.team}: {evidence.period.label}",
        fontsize=TITLE_PT,
        fontweight="bold",
        va="top",
        transform=_from_top(figure, MARGIN_IN, MARGIN_IN),
    )
    axes = figure.subplots(rows, columns, squeeze=False, gridspec_kw={"height_ratios": heights})
    for ax, indicator, title in zip(axes.flat, shown, titles, strict=False):
        if indicator.small_numbers:
            ax.text(
                0.5,
                0.5,
                "withheld: counts below 5",
                ha="center",
                va="center",
                fontsize=TEXT_PT,
                color=SUBTLE,
                transform=ax.transAxes,
            )
            ax.set_axis_off()
        else:
            _draw(ax, indicator, compact=True)
            _value_axis(ax, indicator, TEXT_PT, 3)
            _x_ticks(ax, indicator, panel - 0.1, TEXT_PT)
        # The centre title, pushed left, so that `ax.title` is the one to measure.
        ax.set_title(
            "\n".join(title),
            fontsize=TEXT_PT,
            fontweight="bold",
            x=0,
            ha="left",
            linespacing=1.2,
            pad=4,
            gid="panel title",
        )
    for ax in list(axes.flat)[len(shown) :]:
        ax.set_visible(False)
    # The icons go beside each panel's title, once the layout has placed it; then the
    # layout is frozen so that it does not move the panels away from them.
    _layout(figure).execute(figure)
    figure.set_layout_engine("none")
    for ax, indicator in zip(axes.flat, shown, strict=False):
        title_top = height - ax.title.get_window_extent(renderer).y1 / figure.dpi
        _icons(figure, indicator, ax.get_position().x1 * WIDTH_IN, title_top, icon)
    return figure


def overview_chart(evidence: Evidence) -> bytes:
    return _png(overview_figure(evidence))


def chart_file_name(code: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", code).strip("_") + ".png"


def write_charts(evidence: Evidence, folder: Path) -> list[Path]:
    """overview.png and one PNG per indicator, named after its code (none for a series of
    counts too small to show)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "overview.png"]
    written[0].write_bytes(overview_chart(evidence))
    for indicator in evidence.indicators:
        png = indicator_chart(indicator)
        if png is None:
            continue
        path = folder / chart_file_name(indicator.code)
        path.write_bytes(png)
        written.append(path)
    return written
