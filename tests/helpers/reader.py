"""The reader who wants a suppressed count: given what is published of one column (its
cells, its total and the totals of parts of it), every value each hidden cell could have
is tried; a hidden cell that only one value fits was given away."""

from __future__ import annotations

import itertools

from reviews.evidence.disclosure import SUPPRESSED


def _domain(cell: int | str, ceiling: int) -> range:
    if isinstance(cell, int):
        return range(cell, cell + 1)
    if cell == SUPPRESSED:
        return range(1, 5)
    return range(5, max(5, ceiling) + 1)


def given_away(
    cells: dict[str, int | str],
    total: int | str,
    parts: list[tuple[set[str], int | str]],
    ceiling: int,
) -> list[str]:
    """The hidden cells that every assignment agreeing with what is published gives the
    same value. `parts` are (keys, total as shown); `ceiling` bounds a withheld cell."""
    keys = list(cells)
    seen: dict[str, set[int]] = {k: set() for k in keys}
    for values in itertools.product(*(_domain(cells[k], ceiling) for k in keys)):
        assignment = dict(zip(keys, values, strict=True))
        if isinstance(total, int) and sum(values) != total:
            continue
        if any(
            isinstance(t, int) and sum(assignment.get(k, 0) for k in part) != t for part, t in parts
        ):
            continue
        for k in keys:
            seen[k].add(assignment[k])
    return [k for k in keys if not isinstance(cells[k], int) and len(seen[k]) < 2]
