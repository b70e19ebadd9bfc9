"""Making Data Count's variation and assurance icons, drawn here rather than fetched, so a
report or a chart never depends on a file or a network.

Each icon is a list of shapes on a 100 x 100 grid (y downwards, as in SVG), written out
either as SVG by hand or drawn with matplotlib (PNG, and straight onto a chart's axes), so
the two look alike. As in MDC: a coloured ring; for variation, a run of dots whose last two
stand out high or low, with H or L for improvement and concern and an arrow for neutral
change; for assurance, P, F or ? over the target's dashed line.

Variation colours are the chart's point colours (NHSRplotthedots and the Power BI visual
share them), so an icon matches the points it sums up; assurance colours are MDC's icon
colours. Every icon carries its meaning in words too (`variation_words`,
`assurance_words`), as colour alone is not enough."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from html import escape

from reviews.evidence.vocabulary import assurance_phrase, variation_phrase

IMPROVEMENT = "#00b0f0"
CONCERN = "#e46c0a"
NEUTRAL = "#490092"
COMMON_CAUSE = "#a6a6a6"
PASS = "#0072c6"
FAIL = "#ff6600"
HIT_AND_MISS = "#7f7f7f"
HIT_AND_MISS_RING = "#bfbfbf"
DOTS = "#7f7f7f"
NONE_RING = "#d9d9d9"
WHITE = "#ffffff"
FONT = "Arial, Helvetica, 'DejaVu Sans', sans-serif"
# Beside every chart, in every format: what its marks and colours mean.
CHART_KEY = (
    "How to read the charts: dots are the figures (grey common cause, blue improvement, "
    "orange concern, purple other special cause); the black line is the mean, grey dashes the "
    "process limits, red dashes the target; green diamonds England, plum squares the peers' "
    "average. Icons: the latest variation (H/L high or low) and the assurance (P pass, "
    "F fail, ? hit and miss)."
)

VARIATION_COLOURS = {
    "common_cause": COMMON_CAUSE,
    "special_cause_improvement": IMPROVEMENT,
    "special_cause_concern": CONCERN,
    "special_cause_neutral": NEUTRAL,
}
ASSURANCE = {
    "consistent_pass": ("P", PASS, PASS),
    "consistent_fail": ("F", FAIL, FAIL),
    "inconsistent": ("?", HIT_AND_MISS, HIT_AND_MISS_RING),
}


def variation_words(variation: str | None, side: str | None) -> str:
    """The variation icon in Making Data Count's words."""
    return variation_phrase(variation, side)


def assurance_words(assurance: str | None, why_not: str | None = None) -> str:
    """The assurance icon in Making Data Count's words, or why there is none."""
    return assurance_phrase(assurance, why_not)


# Shapes on the 100 x 100 grid.
@dataclass(frozen=True)
class Ring:
    colour: str
    width: float = 7.0
    radius: float = 42.0


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    colour: str
    radius: float = 5.0


@dataclass(frozen=True)
class Path:
    points: tuple[tuple[float, float], ...]
    colour: str
    width: float
    dashed: bool = False


@dataclass(frozen=True)
class Letter:
    text: str
    x: float
    y: float  # the baseline
    colour: str
    size: float = 34.0


@dataclass(frozen=True)
class Arrow:
    start: tuple[float, float]
    end: tuple[float, float]
    colour: str
    width: float = 5.0


Shape = Ring | Dot | Path | Letter | Arrow

DOT_X = (22.0, 34.0, 46.0, 58.0, 70.0)
QUIET = (58.0, 63.0, 58.0)
# Where the last two dots sit: level with the rest, above them, or below, inside the ring.
LAST_TWO = {None: (63.0, 58.0), "high": (41.0, 45.0), "low": (71.0, 75.0)}


def _dots(colour: str, side: str | None) -> list[Shape]:
    ys = (*QUIET, *LAST_TWO[side])
    points = tuple(zip(DOT_X, ys, strict=True))
    dots: list[Shape] = [Path(points, DOTS, 2.5)]
    for i, (x, y) in enumerate(points):
        dots.append(Dot(x, y, colour if side is not None and i >= 3 else DOTS))
    return dots


def variation_shapes(variation: str | None, side: str | None) -> list[Shape]:
    if variation is None:
        return [Ring(NONE_RING), Path(((32.0, 50.0), (68.0, 50.0)), COMMON_CAUSE, 6.0)]
    colour = VARIATION_COLOURS.get(variation, COMMON_CAUSE)
    if variation == "common_cause" or side not in ("high", "low"):
        return [Ring(colour), *_dots(DOTS, None)]
    shapes: list[Shape] = [Ring(colour), *_dots(colour, side)]
    if variation == "special_cause_neutral":
        rise = side == "high"
        shapes.append(Arrow((30.0, 42.0 if rise else 22.0), (54.0, 24.0 if rise else 40.0), colour))
    else:
        shapes.append(Letter("H" if side == "high" else "L", 40.0, 42.0, colour))
    return shapes


def assurance_shapes(assurance: str | None) -> list[Shape]:
    if assurance not in ASSURANCE:
        return [Ring(NONE_RING), Path(((32.0, 50.0), (68.0, 50.0)), COMMON_CAUSE, 6.0)]
    letter, colour, ring = ASSURANCE[assurance]
    # The target's dashed line, and a run of figures below it, or across it when hit and miss.
    target = Path(((12.0, 54.0), (88.0, 54.0)), colour, 3.5, dashed=True)
    if assurance == "inconsistent":
        run = ((20.0, 66.0), (32.0, 48.0), (44.0, 62.0), (56.0, 46.0), (68.0, 64.0), (80.0, 50.0))
    else:
        run = ((20.0, 70.0), (32.0, 63.0), (44.0, 72.0), (56.0, 64.0), (68.0, 71.0), (80.0, 66.0))
    return [Ring(ring), target, Path(run, DOTS, 3.5), Letter(letter, 50.0, 44.0, colour)]


def _svg(shapes: list[Shape], words: str) -> bytes:
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" '
        f'viewBox="0 0 100 100" role="img" aria-label="{escape(words)}">',
        f"<title>{escape(words)}</title>",
    ]
    for s in shapes:
        if isinstance(s, Ring):
            parts.append(
                f'<circle cx="50" cy="50" r="{s.radius:g}" fill="{WHITE}" stroke="{s.colour}" '
                f'stroke-width="{s.width:g}"/>'
            )
        elif isinstance(s, Dot):
            parts.append(f'<circle cx="{s.x:g}" cy="{s.y:g}" r="{s.radius:g}" fill="{s.colour}"/>')
        elif isinstance(s, Path):
            points = " ".join(f"{x:g},{y:g}" for x, y in s.points)
            dash = ' stroke-dasharray="7 4"' if s.dashed else ""
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{s.colour}" '
                f'stroke-width="{s.width:g}" stroke-linecap="round"{dash}/>'
            )
        elif isinstance(s, Letter):
            parts.append(
                f'<text x="{s.x:g}" y="{s.y:g}" text-anchor="middle" font-family="{FONT}" '
                f'font-weight="700" font-size="{s.size:g}" fill="{s.colour}">'
                f"{escape(s.text)}</text>"
            )
        elif isinstance(s, Arrow):
            (x0, y0), (x1, y1) = s.start, s.end
            parts.append(
                f'<line x1="{x0:g}" y1="{y0:g}" x2="{x1:g}" y2="{y1:g}" stroke="{s.colour}" '
                f'stroke-width="{s.width:g}" stroke-linecap="round"/>'
            )
            parts.append(f'<polygon points="{_arrow_head(s)}" fill="{s.colour}"/>')
    parts.append("</svg>")
    return "".join(parts).encode()


def _arrow_head(a: Arrow) -> str:
    (x0, y0), (x1, y1) = a.start, a.end
    length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    size = 3 * a.width
    bx, by = x1 - ux * size, y1 - uy * size
    px, py = -uy * size * 0.6, ux * size * 0.6
    tip = (x1 + ux * a.width * 0.5, y1 + uy * a.width * 0.5)
    return " ".join(f"{x:g},{y:g}" for x, y in (tip, (bx + px, by + py), (bx - px, by - py)))


def draw(ax, shapes: list[Shape]) -> None:
    """Draws an icon filling `ax` (made square by the caller), with its axes hidden. Line
    widths and letters scale with the axes, so an icon looks the same at any size."""
    # Loaded here: the icons' words are wanted far more often than their drawings, and
    # matplotlib is slow to load for a process that only serves requests.
    from matplotlib.patches import Circle, FancyArrow

    ax.set_xlim(0, 100)
    ax.set_ylim(100, 0)
    ax.set_aspect("equal")
    ax.set_axis_off()
    box = ax.get_position()
    width_in = box.width * ax.figure.get_figwidth()
    points_per_unit = width_in * 72 / 100
    for s in shapes:
        if isinstance(s, Ring):
            ax.add_patch(
                Circle(
                    (50, 50),
                    s.radius,
                    facecolor=WHITE,
                    edgecolor=s.colour,
                    linewidth=s.width * points_per_unit,
                )
            )
        elif isinstance(s, Dot):
            ax.add_patch(Circle((s.x, s.y), s.radius, color=s.colour, linewidth=0))
        elif isinstance(s, Path):
            xs, ys = zip(*s.points, strict=True)
            ax.plot(
                xs,
                ys,
                color=s.colour,
                linewidth=s.width * points_per_unit,
                linestyle=(0, (2, 1.15)) if s.dashed else "-",
                solid_capstyle="round",
            )
        elif isinstance(s, Letter):
            ax.text(
                s.x,
                s.y,
                s.text,
                ha="center",
                va="baseline",
                fontsize=s.size * points_per_unit,
                fontweight="bold",
                color=s.colour,
            )
        elif isinstance(s, Arrow):
            (x0, y0), (x1, y1) = s.start, s.end
            ax.add_patch(
                FancyArrow(
                    x0,
                    y0,
                    x1 - x0,
                    y1 - y0,
                    width=s.width,
                    head_width=3.6 * s.width,
                    head_length=3 * s.width,
                    length_includes_head=True,
                    color=s.colour,
                    linewidth=0,
                )
            )


def _png(shapes: list[Shape]) -> bytes:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(1, 1), dpi=128)
    draw(figure.add_axes((0, 0, 1, 1)), shapes)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", transparent=True)
    return buffer.getvalue()


def _render(shapes: list[Shape], words: str, fmt: str) -> bytes:
    if fmt == "svg":
        return _svg(shapes, words)
    if fmt == "png":
        return _png(shapes)
    raise ValueError(f"icons come as svg or png, not {fmt!r}")


@functools.cache
def variation_icon(variation: str | None, side: str | None, fmt: str = "svg") -> bytes:
    """MDC's variation icon for the latest point (a "no SPC" ring for None): SVG or PNG."""
    return _render(variation_shapes(variation, side), variation_words(variation, side), fmt)


@functools.cache
def assurance_icon(assurance: str | None, fmt: str = "svg") -> bytes:
    """MDC's assurance icon (a "no target" ring for None): SVG or PNG."""
    return _render(assurance_shapes(assurance), assurance_words(assurance), fmt)
