"""Small-cell suppression with complementary suppression, for counts that add up.

Primary: a count of 1 to ``min_cell - 1`` is not shown, so no one can be singled out (zero is
shown: it names no one). Complementary: wherever published figures add up (a total equals the
sum of its parts), every such equation must hide none or at least two of its cells; otherwise
the one hidden cell is the total minus the others. While an equation hides exactly one cell, one
more is hidden: the smallest non-zero part, else a zero part that could have been non-zero,
else the total (which then carries the problem one equation up). This repeats to a fixpoint.

For equations shaped like a tree (each cell the total of at most one equation and a part of at
most one other, as unit subtrees are), "none or at least two per equation" means no hidden cell
is a linear combination of published ones: in any combination of equations the outermost ones
each keep a hidden cell of their own. Hidden cells can still be bounded (two hidden cells summing
to 3 are each at most 3); that is accepted, as in official statistics practice.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

from health.errors import Invalid

K = TypeVar("K", bound=Hashable)
DEFAULT_MIN_CELL = 5


def check_min_cell(min_cell: int) -> None:
    if min_cell < 1:
        raise Invalid("the minimum cell size is at least 1 (1 suppresses nothing)")


def primary_cells(values: Mapping[K, int], min_cell: int) -> set[K]:
    """Cells too small to show on their own: 0 < count < min_cell."""
    check_min_cell(min_cell)
    return {cell for cell, value in values.items() if 0 < value < min_cell}


def _complement(
    total: K,
    parts: Sequence[K],
    hidden: set[K],
    values: Mapping[K, int],
    order: Mapping[K, int],
    never: Collection[K],
) -> K:
    candidates = [p for p in parts if p not in hidden and p not in never]
    if candidates:
        return min(candidates, key=lambda p: (values[p] == 0, values[p], order[p]))
    if total not in hidden and total not in never:
        return total
    raise Invalid("no cell left to hide beside a suppressed one", code="suppression_impossible")


def suppress(
    values: Mapping[K, int],
    equations: Iterable[tuple[K, Sequence[K]]],
    *,
    min_cell: int = DEFAULT_MIN_CELL,
    never_complement: Collection[K] = frozenset(),
) -> set[K]:
    """The cells to hide: primary ones, plus complements until no equation hides just one.

    ``equations`` are (total, parts) with total == sum(parts) over ``values``;
    ``never_complement`` are cells whose value anyone can know (e.g. a unit with no officers is
    known to count 0), so hiding them protects nothing. Ties go to the earlier cell in
    ``values``, so the result is deterministic.
    """
    hidden = primary_cells(values, min_cell)
    order = {cell: i for i, cell in enumerate(values)}
    listed = [(total, tuple(parts)) for total, parts in equations]
    containing: dict[K, list[int]] = {}
    for index, (total, parts) in enumerate(listed):
        for cell in (total, *parts):
            containing.setdefault(cell, []).append(index)
    queue = deque(sorted({i for cell in hidden for i in containing.get(cell, ())}))
    while queue:
        total, parts = listed[queue.popleft()]
        if sum(cell in hidden for cell in (total, *parts)) != 1:
            continue
        extra = _complement(total, parts, hidden, values, order, never_complement)
        hidden.add(extra)
        queue.extend(containing[extra])
    return hidden
