"""Findings in columnar form: one block per rule, arrays over the rows it fired for.

Rules emit blocks; the engine turns blocks into a findings frame (bulk path) or into Finding
objects (JSON path). Keeping one intermediate form is what makes the two paths agree. A block's
texts are ``Labels``: codes into a small table, since a session repeats a few dozen texts over
a million findings and gathering Python strings per finding costs more than grading.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from health.rules._arrays import FloatArray, ObjectArray
from health.screening.finding import FindingKind, InputValue

RowIndex = npt.NDArray[np.intp]
Column = FloatArray | ObjectArray | str  # a str is the same value for every row
Text = str | ObjectArray | None


@dataclass(frozen=True, slots=True)
class Inputs:
    """A block's provenance kept as references to the input columns and the rows it fired
    for; the per-finding (code, value) tuples are built only when asked (when sealing), since
    building them for every finding costs more than grading."""

    spec: tuple[tuple[str, Column], ...]
    rows: RowIndex

    def __len__(self) -> int:
        return len(self.rows)

    def materialise(self) -> ObjectArray:
        return build_inputs(self.spec, self.rows)

    def __getitem__(self, i: int) -> tuple[tuple[str, InputValue], ...]:
        row = self.rows[i : i + 1]
        found: tuple[tuple[str, InputValue], ...] = build_inputs(self.spec, row)[0]
        return found


@dataclass(frozen=True, slots=True)
class Labels:
    """A per-hit text column as codes into ``table`` (which may hold unused or repeated texts)."""

    codes: RowIndex
    table: ObjectArray

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, i: int) -> Any:
        return self.table[self.codes[i]]

    def values(self) -> ObjectArray:
        found: ObjectArray = self.table[self.codes]
        return found


def constant(value: str | None, n: int) -> Labels:
    """The same text for ``n`` hits."""
    table: ObjectArray = np.empty(1, dtype=object)
    table[0] = value
    return Labels(np.zeros(n, dtype=np.intp), table)


def labelled(values: ObjectArray) -> Labels:
    """Per-hit texts as labels (None and NaN read as None)."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    table: ObjectArray = np.empty(len(distinct) + 1, dtype=object)
    table[: len(distinct)] = distinct
    return Labels(np.where(codes < 0, len(distinct), codes).astype(np.intp), table)


@dataclass(frozen=True, slots=True)
class Hits:
    rule_id: str
    kind: FindingKind
    family: str
    analyte: str | None
    rows: RowIndex
    severity: Labels
    interpretation: Labels
    category: Labels
    threshold: Labels
    reference_low: FloatArray
    reference_high: FloatArray
    source: Labels
    advice: Labels
    inputs: Inputs

    def __len__(self) -> int:
        return len(self.rows)


def _text(value: Text, rows: RowIndex, n: int) -> Labels:
    """A per-hit text column from a constant or a full-length per-row array."""
    if value is None or isinstance(value, str):
        return constant(value, n)
    return labelled(value[rows])


def _number(value: float | FloatArray | None, rows: RowIndex, n: int) -> FloatArray:
    if value is None:
        return np.full(n, np.nan)
    if isinstance(value, float | int):
        return np.full(n, float(value))
    return value[rows]


def _as_objects(values: FloatArray | ObjectArray) -> list[object]:
    """NaN → None, numpy scalars → Python scalars (so findings compare and serialise simply)."""
    if values.dtype.kind == "f":
        missing = np.isnan(values)
        if missing.any():
            objects = values.astype(object)
            objects[missing] = None
            return objects.tolist()  # type: ignore[no-any-return]
    return values.tolist()  # type: ignore[no-any-return]


def build_inputs(inputs: Sequence[tuple[str, Column]], rows: RowIndex) -> ObjectArray:
    """Per-hit tuples of (code, value) pairs, zipped in C rather than looped in Python."""
    columns = [
        zip(repeat(code), repeat(column) if isinstance(column, str) else _as_objects(column[rows]))
        for code, column in inputs
    ]
    pairs = zip(*columns, strict=True) if columns else repeat((), len(rows))
    return np.fromiter(pairs, dtype=object, count=len(rows))


def make_hits(
    *,
    rule_id: str,
    kind: FindingKind,
    family: str,
    analyte: str | None,
    mask: npt.NDArray[np.bool_],
    severity: Text,
    interpretation: Text,
    category: Text,
    threshold: Text,
    source: Text,
    advice: Text,
    inputs: Sequence[tuple[str, Column]],
    reference_low: float | FloatArray | None = None,
    reference_high: float | FloatArray | None = None,
) -> Hits | None:
    """A block for the rows where ``mask`` holds, or None when it fired nowhere."""
    rows = np.flatnonzero(mask)
    n = len(rows)
    if n == 0:
        return None
    return Hits(
        rule_id=rule_id,
        kind=kind,
        family=family,
        analyte=analyte,
        rows=rows,
        severity=_text(severity, rows, n),
        interpretation=_text(interpretation, rows, n),
        category=_text(category, rows, n),
        threshold=_text(threshold, rows, n),
        reference_low=_number(reference_low, rows, n),
        reference_high=_number(reference_high, rows, n),
        source=_text(source, rows, n),
        advice=_text(advice, rows, n),
        inputs=Inputs(tuple(inputs), rows),
    )
