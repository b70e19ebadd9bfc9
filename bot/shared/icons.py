"""Making Data Count's variation and assurance icons, drawn here rather than fetched, so
a report or a chart never depends on a file or a network.

Each icon is a list of shapes on a 100 x 100 grid (y downwards, as in SVG), written out
either as SVG by hand or drawn with matplotlib (PNG, and straight onto a chart's axes), so
the two look alike. As in MDC: a coloured ring; for variation, a run of dots whose last two
stand out high or low, with H or L for improvement and concern and an arrow for neutral
change; for assurance, P, F or ? over the target's dashed line.

Colour is never the only difference (WCAG 2.2, 1.4.1): the last two dots of a variation
icon take the shape the chart gives such points (`MARKERS`: improvement an upward
triangle, concern a downward one, neutral a square), so an improvement and a concern of
the same side differ in shape as well as in blue and orange. Every icon carries its
meaning in words too (`variation_words`, `assurance_words`), shown beside it in tables."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from html import escape

from reviews.evidence.vocabulary import assurance_phrase, variation_phrase

# Making Data Count's hue families (blue improvement, orange concern, purple neutral, grey
# common cause), at shades that reach 3:1 against white, as WCAG 2.2 asks of the marks a
# chart or icon is read by (1.4.11), and 4.5:1 where they colour a letter. MDC's own point
# colours (#00b0f0, #e46c0a, #a6a6a6) and its fail orange (#ff6600) fall short of that,
# at 2.4 to 3.3:1, so: MDC's own icon blue (#0072c6, 5.0:1); its orange darkened to 4.6:1;
# its purple, already 12.4:1; a grey of 4.5:1. Assurance shares them, as MDC's icons do.
IMPROVEMENT = "#0072c6"
CONCERN = "#c65102"
NEUTRAL = "#490092"
COMMON_CAUSE = "#767676"
PASS = IMPROVEMENT
FAIL = CONCERN
HIT_AND_MISS = COMMON_CAUSE
HIT_AND_MISS_RING = COMMON_CAUSE
DOTS = COMMON_CAUSE
# No reading: paler than a reading's grey, so it reads as absent, yet still 3.4:1.
NONE = "#8c8c8c"
WHITE = "#ffffff"
FONT = "Arial, Helvetica, 'DejaVu Sans', sans-serif"
# Beside every chart, in every format: what its marks, shapes and colours mean.
CHART_KEY = (
    "How to read the charts: the marks are the figures (grey circles common cause, blue "
    "upward triangles improvement, orange downward triangles concern, purple squares other "
    "special cause); the black line is the mean, grey dashes the process limits, red dashes "
    "the target; green diamonds England, plum crosses the peers' average. Icons: the latest "
    "variation (H/L high or low, its last two marks shaped as on the chart) and the assurance "
    "(P pass, F fail, ? hit and miss)."
)

VARIATION_COLOURS = {
    "common_cause": COMMON_CAUSE,
    "special_cause_improvement": IMPROVEMENT,
    "special_cause_concern": CONCERN,
    "special_cause_neutral": NEUTRAL,
}
# The shape of a point of each kind, on the chart and as the last two dots of an icon.
MARKERS = {
    "common_cause": "circle",
    "special_cause_improvement": "up",
    "special_cause_concern": "down",
    "special_cause_neutral": "square",
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
    shape: str = "circle"  # or "up", "down" (triangles) or "square", as `MARKERS` says

    def corners(self) -> tuple[tuple[float, float], ...]:
        """A triangle's or a square's corners, about as big as the circle would be."""
        x, y, r = self.x, self.y, self.radius
        if self.shape == "square":
            h = 0.85 * r
            return ((x - h, y - h), (x + h, y - h), (x + h, y + h), (x - h, y + h))
        size = 1.35 * r
        way = -1 if self.shape == "up" else 1  # y runs downwards
        base = y - way * size / 2
        half = 0.866 * size
        return ((x, y + way * size), (x + half, base), (x - half, base))


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

# The last two stand a little apart, so that their shapes do not run into each other.
DOT_X = (20.0, 31.0, 42.0, 55.0, 70.0)
QUIET = (58.0, 63.0, 58.0)
# Where the last two dots sit: level with the rest, above them, or below, inside the ring.
LAST_TWO = {None: (63.0, 58.0), "high": (41.0, 45.0), "low": (71.0, 75.0)}


def _dots(colour: str, side: str | None, shape: str = "circle") -> list[Shape]:
    """The run of dots; where the last two stand out, they are drawn larger, in the
    reading's colour and shape."""
    ys = (*QUIET, *LAST_TWO[side])
    points = tuple(zip(DOT_X, ys, strict=True))
    dots: list[Shape] = [Path(points, DOTS, 2.5)]
    for i, (x, y) in enumerate(points):
        if side is not None and i >= 3:
            dots.append(Dot(x, y, colour, 6.0, shape))
        else:
            dots.append(Dot(x, y, DOTS))
    return dots


def _none() -> list[Shape]:
    return [Ring(NONE), Path(((32.0, 50.0), (68.0, 50.0)), NONE, 6.0)]


def variation_shapes(variation: str | None, side: str | None) -> list[Shape]:
    if variation is None:
        return _none()
    colour = VARIATION_COLOURS.get(variation, COMMON_CAUSE)
    if variation == "common_cause" or side not in ("high", "low"):
        return [Ring(colour), *_dots(DOTS, None)]
    shapes: list[Shape] = [Ring(colour), *_dots(colour, side, MARKERS[variation])]
    if variation == "special_cause_neutral":
        rise = side == "high"
        shapes.append(Arrow((30.0, 42.0 if rise else 22.0), (54.0, 24.0 if rise else 40.0), colour))
    else:
        shapes.append(Letter("H" if side == "high" else "L", 35.0, 42.0, colour))
    return shapes


def assurance_shapes(assurance: str | None) -> list[Shape]:
    if assurance not in ASSURANCE:
        return _none()
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
        elif isinstance(s, Dot) and s.shape == "circle":
            parts.append(f'<circle cx="{s.x:g}" cy="{s.y:g}" r="{s.radius:g}" fill="{s.colour}"/>')
        elif isinstance(s, Dot):
            corners = " ".join(f"{x:g},{y:g}" for x, y in s.corners())
            parts.append(f'<polygon points="{corners}" fill="{s.colour}"/>')
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
    from matplotlib.patches import Circle, FancyArrow, Polygon

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
        elif isinstance(s, Dot) and s.shape == "circle":
            ax.add_patch(Circle((s.x, s.y), s.radius, color=s.colour, linewidth=0))
        elif isinstance(s, Dot):
            ax.add_patch(Polygon(s.corners(), closed=True, color=s.colour, linewidth=0))
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
