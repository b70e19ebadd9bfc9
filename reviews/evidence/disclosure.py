"""Disclosure control: the one policy every count of people passes through before anything
is rendered, so that Slack, the terminal and every report format show the same cells.

- **Primary suppression.** A count of 1 to 4 is shown as "fewer than 5", as official
  statistics do: nobody can be picked out of a small number. 0 is shown, as it identifies
  nobody.
- **Secondary suppression.** Counts are published as tables: one column a measure (received
  this quarter, the quarter before, ...), one row a category, with the column's total. While
  the total and the counts shown would pin a suppressed count to one value, the smallest
  count shown is withheld too ("withheld": a count kept back so that another cannot be
  worked out); if none is left, the total is withheld.
- **Parts of a table.** Anything that covers some rows of a table (an outcome's linked
  categories) shows those rows' cells as the table has them, and a total of them only where
  every one of its cells is shown: such a total tells nothing the table does not, so no
  difference between two parts, or a part and the whole, gives a count away.
- **Shares.** A percentage is shown only where neither its part nor the rest is 1 to 4.
- **Words.** A quote is shown only under a theme and a kind each known to count 5 or more
  (shown so, or withheld), and dated by its month, never its day.

Whether a pinned count could be worked out is decided exactly: with one total, a hidden
cell can take every whole value between the bounds that the other cells leave it, so it is
pinned exactly when those bounds meet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

THRESHOLD = 5
SUPPRESSED = "fewer than 5"
# A count of 5 or more kept back because, beside a total, it would tell a suppressed one.
WITHHELD = "withheld"

Cell = int | str


def suppress(count: int) -> Cell:
    """Counts of 1 to 4 are "fewer than 5"."""
    return SUPPRESSED if 0 < count < THRESHOLD else count


def is_shown(cell: Cell | None) -> bool:
    return isinstance(cell, int)


def five_or_more(cell: Cell | None) -> bool:
    """Whether a reader knows the count is 5 or more: shown so, or withheld (only counts of
    5 or more are withheld). A few quotes under it tell nothing about it."""
    return cell == WITHHELD or (isinstance(cell, int) and cell >= THRESHOLD)


def share(part: int, whole: int) -> float | None:
    """`part` as a percentage of `whole`, or None where it would give away a count below 5:
    a percentage and its base tell both the part and the rest."""
    rest = whole - part
    if whole < THRESHOLD or 0 < part < THRESHOLD or 0 < rest < THRESHOLD:
        return None
    return 100 * part / whole


def bounds(cell: Cell, total: int) -> tuple[int, int]:
    """What a reader knows of a cell on its own: its value if shown, 1 to 4 if suppressed,
    5 up to the total if withheld."""
    if isinstance(cell, int):
        return cell, cell
    if cell == SUPPRESSED:
        return 1, THRESHOLD - 1
    return THRESHOLD, max(THRESHOLD, total)


def pinned(cells: list[Cell], total: int) -> bool:
    """Whether a hidden cell of a column can be worked out from the column's total and the
    other cells: its bounds, narrowed by what the others must add up to, meet."""
    known = [bounds(c, total) for c in cells]
    low_sum = sum(lo for lo, _ in known)
    high_sum = sum(hi for _, hi in known)
    for cell, (lo, hi) in zip(cells, known, strict=True):
        if is_shown(cell):
            continue
        least = max(lo, total - (high_sum - hi))
        most = min(hi, total - (low_sum - lo))
        if least >= most:
            return True
    return False


def protect_column(counts: Mapping[str, int], total: int) -> tuple[dict[str, Cell], Cell]:
    """The cells of one column as they may be shown, and its total. The choice depends only
    on the column's own counts, so the same quarter's column is protected alike in every
    report that shows it (this quarter's "the quarter before" is last quarter's "received")."""
    cells: dict[str, Cell] = {key: suppress(n) for key, n in counts.items()}
    shown_total: Cell = suppress(total)
    if not is_shown(shown_total):
        # Every count under a total below 5 is itself below 5, and suppressed.
        return cells, shown_total
    while pinned(list(cells.values()), total):
        candidates = sorted((n, key) for key, n in counts.items() if is_shown(cells[key]) and n)
        if not candidates:
            return cells, WITHHELD
        cells[candidates[0][1]] = WITHHELD
    return cells, shown_total


def part_total(cells: Iterable[Cell]) -> Cell:
    """The total of some rows of a protected table: shown only where each of them is."""
    cells = list(cells)
    if all(is_shown(c) for c in cells):
        return sum(c for c in cells if isinstance(c, int))
    hidden = [c for c in cells if not is_shown(c)]
    if len(hidden) == 1 and all(c == 0 for c in cells if is_shown(c)):
        # Beside rows of none, the total is the one hidden row's, and reads as it does.
        return hidden[0]
    return WITHHELD


def protect_columns(
    columns: list[Mapping[str, int]], total: int
) -> tuple[list[dict[str, Cell]], Cell]:
    """Several columns that count the same things another way (views by kind and by theme)
    and so share one total. Where any of them must keep the total back, all do, and a column
    whose cells are all shown loses its smallest, or it would add up to the total."""
    protected = [protect_column(counts, total) for counts in columns]
    cells = [c for c, _ in protected]
    if all(shown == suppress(total) for _, shown in protected):
        return cells, suppress(total)
    for counts, column in zip(columns, cells, strict=True):
        if all(is_shown(c) for c in column.values()):
            nonzero = sorted((n, key) for key, n in counts.items() if n)
            if nonzero:
                column[nonzero[0][1]] = WITHHELD
    return cells, WITHHELD
