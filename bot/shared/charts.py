"""Charts in the style of Making Data Count: the series, its centre line and process limits,
the target, and special-cause points coloured by what they mean. PNG bytes, drawn headless,
sized to stay readable in Slack's preview; any front end (Slack, the reports, the command
line) shows the same pictures."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import matplotlib.dates as mdates
from matplotlib.figure import Figure

from bot.base.wording import latest_text
from reviews.evidence import spc
from reviews.evidence.model import Evidence, IndicatorEvidence

CHART_KEY = (
    "How to read the charts: each point is a period's figure; the solid line is the average, "
    "the dashed lines the limits of ordinary variation, the red dotted line the target. Blue "
    "points are a signal of improvement, orange of concern, grey common cause (noise)."
)

# The colours NHS England's Making Data Count uses for its icons and charts.
COLOURS = {
    spc.COMMON_CAUSE: "#7b7d7d",
    spc.IMPROVEMENT: "#289de0",
    spc.CONCERN: "#fab428",
    spc.NEUTRAL: "#361475",
}
LINE = "#231f20"
TARGET = "#de1b1b"
OVERVIEW_LIMIT = 24


SHORT_READING = {
    "common_cause": "common cause",
    "special_cause_improvement": "improvement",
    "special_cause_concern": "concern",
    "special_cause_neutral": "special cause",
}


def _with_gaps(evidence: IndicatorEvidence) -> tuple[list, list[float]]:
    """The series with a break at each missing period, so the line is never drawn across
    a period that has no figure."""
    points = [(f.period_end, f.value) for f in evidence.series]
    points += [(d, math.nan) for d in evidence.missing_periods]
    points.sort()
    return [d for d, _ in points], [v for _, v in points]


def _draw(ax, evidence: IndicatorEvidence, compact: bool) -> None:
    dates = [f.period_end for f in evidence.series]
    values = [f.value for f in evidence.series]
    ax.plot(*_with_gaps(evidence), color=COLOURS[spc.COMMON_CAUSE], linewidth=1.2, zorder=2)
    chart = evidence.spc
    if chart is not None:
        flags = [p.flag for p in chart.points]
        ax.scatter(dates, values, c=[COLOURS[f] for f in flags], s=10 if compact else 18, zorder=3)
        ax.step(dates, [p.centre for p in chart.points], where="post", color=LINE, linewidth=1)
        for limit in ("lower", "upper"):
            ax.step(
                dates,
                [getattr(p, limit) for p in chart.points],
                where="post",
                color=LINE,
                linewidth=0.8,
                linestyle="--",
            )
    else:
        ax.scatter(
            dates, values, color=COLOURS[spc.COMMON_CAUSE], s=10 if compact else 18, zorder=3
        )
    if evidence.target is not None:
        ax.axhline(evidence.target, color=TARGET, linewidth=1, linestyle=":")
    ax.spines[["top", "right"]].set_visible(False)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %y"))
    ax.tick_params(labelsize=6 if compact else 8)
    if compact:
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))


def _subtitle(evidence: IndicatorEvidence) -> str:
    parts = [f"latest {latest_text(evidence)}", evidence.reading]
    if evidence.out_of_date:
        parts.append("late")
    return "; ".join(parts)


def _png(figure: Figure) -> bytes:
    # Figures made directly, not through pyplot: no global state, so charts can be drawn
    # in several threads at once, and nothing needs a display.
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def indicator_chart(evidence: IndicatorEvidence) -> bytes | None:
    """The indicator's chart, or None where plotting it would show counts below 5."""
    if evidence.small_numbers:
        return None
    figure = Figure(figsize=(6.4, 3.2), layout="constrained")
    ax = figure.subplots()
    _draw(ax, evidence, compact=False)
    title = evidence.title if len(evidence.title) <= 70 else evidence.title[:67] + "..."
    figure.suptitle(f"{evidence.code}: {title}", fontsize=10, x=0.01, ha="left")
    ax.set_title(_subtitle(evidence), fontsize=8, loc="left", color="#425563")
    return _png(figure)


def overview_chart(evidence: Evidence) -> bytes:
    shown = evidence.indicators[:OVERVIEW_LIMIT]
    columns = 3
    rows = max(1, math.ceil(len(shown) / columns))
    figure = Figure(figsize=(9, 1.9 * rows), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False)
    for ax, indicator in zip(axes.flat, shown, strict=False):
        if indicator.small_numbers:
            ax.text(
                0.5,
                0.5,
                "withheld: counts below 5",
                ha="center",
                va="center",
                fontsize=8,
                color="#425563",
                transform=ax.transAxes,
            )
            ax.set_axis_off()
        else:
            _draw(ax, indicator, compact=True)
        reading = SHORT_READING.get(indicator.variation or "", "no SPC")
        ax.set_title(f"{indicator.code} ({reading})", fontsize=8, loc="left")
    for ax in list(axes.flat)[len(shown) :]:
        ax.set_visible(False)
    figure.suptitle(f"{evidence.team}: {evidence.period.label}", fontsize=11)
    return _png(figure)


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
