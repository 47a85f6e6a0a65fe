"""Small-cell suppression: primary cells hidden, complements chosen, nothing recoverable."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from health.errors import Invalid
from health.followup.suppression import primary_cells, suppress

Equation = tuple[str, Sequence[str]]

# (values, equations, never_complement, min_cell, expected hidden)
CASES: list[tuple[dict[str, int], list[Equation], set[str], int, set[str]]] = [
    ({"T": 30, "A": 10, "B": 20}, [("T", ["A", "B"])], set(), 5, set()),
    ({"T": 0, "A": 0, "B": 0}, [("T", ["A", "B"])], set(), 5, set()),  # zero names no one
    # one small part: the smallest other non-zero part goes with it
    ({"T": 33, "A": 3, "B": 20, "C": 10}, [("T", ["A", "B", "C"])], set(), 5, {"A", "C"}),
    # a non-zero complement is preferred to a zero one
    ({"T": 13, "A": 3, "Z": 0, "C": 10}, [("T", ["A", "Z", "C"])], set(), 5, {"A", "C"}),
    # a zero that could have been non-zero is used before the total ...
    (
        {"S": 11, "A": 8, "C": 3, "T": 8, "Z": 0},
        [("S", ["A", "C"]), ("T", ["A", "Z"])],
        set(),
        5,
        {"C", "A", "Z"},
    ),
    # ... but a structural zero (no one there) protects nothing, so the total goes
    (
        {"S": 11, "A": 8, "C": 3, "T": 8, "Z": 0},
        [("S", ["A", "C"]), ("T", ["A", "Z"])],
        {"Z"},
        5,
        {"C", "A", "T"},
    ),
    # a small total and its small part protect each other
    ({"T": 3, "A": 3, "Z": 0}, [("T", ["A", "Z"])], set(), 5, {"A", "T"}),
    # two small parts protect each other
    ({"T": 26, "A": 3, "B": 3, "C": 20}, [("T", ["A", "B", "C"])], set(), 5, {"A", "B"}),
    # min_cell 1 suppresses nothing
    ({"T": 4, "A": 1, "B": 3}, [("T", ["A", "B"])], set(), 1, set()),
    # a total hidden in its parent's equation needs a partner in its own
    (
        {"R": 50, "P": 30, "Q": 20, "P1": 27, "P2": 3, "Q1": 20},
        [("R", ["P", "Q"]), ("P", ["P1", "P2"]), ("Q", ["Q1"])],
        set(),
        5,
        {"P2", "P1"},
    ),
    (
        {"R": 23, "P": 3, "Q": 20, "P1": 3, "Q1": 20},
        [("R", ["P", "Q"]), ("P", ["P1"]), ("Q", ["Q1"])],
        set(),
        5,
        {"P", "P1", "Q", "Q1"},
    ),
]


@pytest.mark.parametrize(("values", "equations", "never", "min_cell", "expected"), CASES)
def test_suppression_hides_small_cells_and_their_complements(
    values: dict[str, int],
    equations: list[Equation],
    never: set[str],
    min_cell: int,
    expected: set[str],
) -> None:
    hidden = suppress(values, equations, min_cell=min_cell, never_complement=never)
    assert hidden == expected


def test_min_cell_below_one_is_refused() -> None:
    with pytest.raises(Invalid):
        primary_cells({"A": 1}, 0)


def test_impossible_suppression_is_reported() -> None:
    with pytest.raises(Invalid):
        suppress(
            {"S": 11, "A": 8, "C": 3, "T": 8, "Z": 0},
            [("S", ["A", "C"]), ("T", ["A", "Z"])],
            never_complement={"Z", "T"},
        )


def recoverable(values: dict[str, int], equations: list[Equation], hidden: set[str]) -> list[str]:
    """Hidden cells that some linear combination of the equations pins down exactly."""
    unknowns = sorted(hidden)
    if not unknowns:
        return []
    column = {cell: i for i, cell in enumerate(unknowns)}
    rows = []
    for total, parts in equations:
        row = np.zeros(len(unknowns))
        for cell, sign in ((total, 1.0), *((p, -1.0) for p in parts)):
            if cell in column:
                row[column[cell]] += sign
        if row.any():
            rows.append(row)
    if not rows:
        return unknowns
    matrix = np.array(rows)
    rank = np.linalg.matrix_rank(matrix)
    found = []
    for cell in unknowns:
        unit = np.zeros(len(unknowns))
        unit[column[cell]] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.append(cell)
    return found


@st.composite
def trees(draw: st.DrawFn) -> tuple[dict[str, int], list[Equation], set[str]]:
    """A unit tree as the figures build it: subtree(u) = unit(u) + Σ subtree(child)."""
    size = draw(st.integers(min_value=1, max_value=9))
    parents = [None] + [draw(st.integers(min_value=0, max_value=i - 1)) for i in range(1, size)]
    own = [draw(st.integers(min_value=0, max_value=12)) for _ in range(size)]
    people = [draw(st.booleans()) or own[i] > 0 for i in range(size)]
    children: dict[int, list[int]] = {i: [] for i in range(size)}
    for child, parent in enumerate(parents):
        if parent is not None:
            children[parent].append(child)
    values: dict[str, int] = {}
    populated: dict[str, bool] = {}

    def fill(unit: int) -> tuple[int, bool]:
        total, anyone = own[unit], people[unit]
        for child in children[unit]:
            value, child_people = fill(child)
            total, anyone = total + value, anyone or child_people
        values[f"u{unit}"], populated[f"u{unit}"] = own[unit], people[unit]
        values[f"s{unit}"], populated[f"s{unit}"] = total, anyone
        return total, anyone

    fill(0)
    equations: list[Equation] = [
        (f"s{u}", [f"u{u}", *(f"s{c}" for c in children[u])]) for u in range(size)
    ]
    never = {cell for cell, anyone in populated.items() if not anyone}
    return values, equations, never


@settings(max_examples=150, deadline=None)
@given(tree=trees(), min_cell=st.integers(min_value=1, max_value=8))
def test_no_hidden_cell_can_be_recovered_from_published_ones(
    tree: tuple[dict[str, int], list[Equation], set[str]], min_cell: int
) -> None:
    values, equations, never = tree
    hidden = suppress(values, equations, min_cell=min_cell, never_complement=never)
    assert primary_cells(values, min_cell) <= hidden
    assert not hidden & never
    for total, parts in equations:
        assert sum(cell in hidden for cell in (total, *parts)) != 1
    assert recoverable(values, equations, hidden) == []
