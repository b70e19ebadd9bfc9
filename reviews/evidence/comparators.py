"""The team's figure among England's and its peers', for the same period only."""

from __future__ import annotations

import math
from datetime import date

from reviews.evidence.freshness import MONTHS
from reviews.evidence.indicators import direction_of, interval_of
from reviews.evidence.model import Benchmark, IndicatorEvidence, Placement
from storage.areas import is_aggregate

# A file placing the team among this many councils or more is a national one; fewer is a
# comparator group, such as the 15 statistical nearest neighbours NHS England publishes.
NATIONAL = 100
NEAREST_NEIGHBOURS = 15


def peer_group(of: int) -> str:
    """Which councils a place is among, by how many: all of England's (a national file), a
    council and its 15 nearest neighbours (NHS England's and CIPFA's groups), or another
    group, such as a region."""
    if of >= NATIONAL:
        return "English councils"
    return "nearest neighbours" if of == NEAREST_NEIGHBOURS + 1 else "comparable councils"


def rank_among(value: float, peers: list[float], polarity: str) -> tuple[int, int, int]:
    """(rank, of, quartile) of a value among peers' values; rank 1 is best (or highest,
    for a neutral indicator); equal values share the better rank."""
    direction = direction_of(polarity) or 1
    better = sum(1 for p in peers if (p - value) * direction > 0)
    rank, of = better + 1, len(peers) + 1
    return rank, of, min(4, math.ceil(4 * rank / of))


def _span_start(end: date, frequency: str) -> date | None:
    """Where the period of a figure of this frequency, ending on `end`, starts."""
    months = MONTHS.get(frequency)
    if months is None:
        return None
    index = end.year * 12 + end.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def placement(
    evidence: IndicatorEvidence,
    rows: list[tuple],
    own_area: str | None = None,
    own_figures: bool = False,
) -> Placement | None:
    """Where the team's council stands among its peers. `rows`: (area_code, area_name,
    period_label, period_start, period_end, value) for this indicator.

    A team's own figure is ranked among councils only when it is its council's
    (`own_figures`: the team says so, or its figures are the council's published ones);
    a team that is part of a council would otherwise be ranked on a figure no council
    published, and two teams of one council each given a different place. Then the latest
    period for which the team has a figure covering exactly the same span is used, so a
    month is never ranked against a year, and the team's own area is left out of its peers.
    Otherwise, with the council's area code, its own published figure is ranked, labelled
    as the council's, with its own period."""
    if not own_figures:
        return _council_placement(evidence, rows, own_area) if own_area else None
    team_values = {f.period_end: f.value for f in evidence.series}
    periods: dict[tuple[str, date, date], list[tuple]] = {}
    for area_code, area_name, label, start, end, value in rows:
        periods.setdefault((label, start, end), []).append((area_code, area_name, value))
    for (label, start, end), areas in sorted(
        periods.items(), key=lambda kv: kv[0][2], reverse=True
    ):
        if end not in team_values:
            continue
        # A comparator for a single day (a snapshot) matches the team's figure that day.
        if start != end and _span_start(end, evidence.frequency) != start:
            continue
        team_value = team_values[end]
        if isinstance(evidence.shown(team_value), str) or evidence.small_base:
            return None
        peers = [v for code, _, v in areas if not is_aggregate(code) and code != own_area]
        if not peers:
            continue
        figure = next(f for f in evidence.series if f.period_end == end)
        interval = interval_of(figure, evidence.unit)
        within = (
            None if interval is None else sum(1 for p in peers if interval[0] <= p <= interval[1])
        )
        return _placed(evidence, label, team_value, peers, areas, within=within)
    return None


def _council_placement(
    evidence: IndicatorEvidence, rows: list[tuple], own_area: str
) -> Placement | None:
    """The council's own published figure among its peers', for the latest period that has
    one: the council's year and value, not the team's."""
    periods: dict[tuple[str, date], list[tuple]] = {}
    for area_code, area_name, label, _, end, value in rows:
        periods.setdefault((label, end), []).append((area_code, area_name, value))
    for (label, _), areas in sorted(periods.items(), key=lambda kv: kv[0][1], reverse=True):
        own = next((a for a in areas if a[0].upper() == own_area.upper()), None)
        peers = (
            [v for code, _, v in areas if not is_aggregate(code) and code != own[0]] if own else []
        )
        if own is None or not peers:
            continue
        return _placed(evidence, label, own[2], peers, areas, council=own[1])
    return None


def _placed(
    evidence: IndicatorEvidence,
    label: str,
    value: float,
    peers: list[float],
    areas: list[tuple],
    within: int | None = None,
    council: str | None = None,
) -> Placement:
    """A figure placed among its peers' for one period, with England's beside it."""
    rank, of, quartile = rank_among(value, peers, evidence.polarity)
    average = sum(peers) / len(peers)
    england = next((v for code, name, v in areas if _is_england(code, name)), None)
    return Placement(
        evidence.code,
        label,
        value,
        rank,
        of,
        quartile,
        average,
        value - average,
        england,
        evidence.unit,
        evidence.polarity,
        peer_group(of),
        evidence.decimals,
        evidence.unit_words,
        within,
        council,
    )


def _is_england(area_code: str, area_name: str) -> bool:
    return area_code.upper().startswith("E92") or area_name.lower() == "england"


def benchmarks(
    evidence: IndicatorEvidence, rows: list[tuple], own_area: str | None = None
) -> list[Benchmark]:
    """England's figure and the peers' average for each of the team's periods that the
    comparator `rows` (as for `placement`) cover with exactly the same span, oldest first:
    lines to draw beside the team's own. Peers are the councils other than aggregates and
    the team's own area, as in `placement`."""
    team_ends = {f.period_end for f in evidence.series}
    periods: dict[tuple[date, date], list[tuple]] = {}
    for area_code, area_name, _, start, end, value in rows:
        periods.setdefault((start, end), []).append((area_code, area_name, value))
    found: dict[date, Benchmark] = {}
    for (start, end), areas in sorted(periods.items(), key=lambda kv: kv[0][1]):
        if end not in team_ends or end in found:
            continue
        if start != end and _span_start(end, evidence.frequency) != start:
            continue
        england = next((v for code, name, v in areas if _is_england(code, name)), None)
        peers = [v for code, _, v in areas if not is_aggregate(code) and code != own_area]
        if england is None and not peers:
            continue
        found[end] = Benchmark(
            end,
            england,
            sum(peers) / len(peers) if peers else None,
            len(peers),
            peer_group(len(peers) + 1),
        )
    return [found[end] for end in sorted(found)]
