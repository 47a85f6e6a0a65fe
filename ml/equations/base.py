"""What every published equation declares and returns, so the service treats them alike.

An equation is data (citation, coefficients, inputs with units and limits, domain, bands) plus
one vectorised function over columns. Rows outside the domain or with a missing input get no
number: a bitmask says which input is missing or which domain condition failed, so the answer
can name it without a Python loop over rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
Columns = Mapping[str, npt.ArrayLike]

# A 10-year risk is a fraction; mg/dL = mmol/L x 38.665 for cholesterol (C27H46O 386.65 g/mol,
# the factor the catalog uses for tc, hdl, ldl), so values round-trip exactly.
CHOLESTEROL_MG_DL_PER_MMOL_L = 38.665


class Validation(StrEnum):
    """Whether a test reproduces the worked examples published with the equation."""

    VALIDATED = "validated"
    UNVALIDATED = "unvalidated"


class InputKind(StrEnum):
    QUANTITY = "quantity"
    BOOLEAN = "boolean"
    CHOICE = "choice"


@dataclass(frozen=True, slots=True)
class InputSpec:
    """One input: name, UCUM unit, accepted range (checked before the domain) or choices."""

    name: str
    kind: InputKind
    description: str
    unit: str | None = None
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()

    def allowed(self) -> str:
        """The allowed range or choices in words, for problem details."""
        if self.kind is InputKind.QUANTITY:
            return f"{self.low:g}–{self.high:g} {self.unit}"
        if self.kind is InputKind.BOOLEAN:
            return "true or false"
        return " | ".join(self.choices)


@dataclass(frozen=True, slots=True)
class DomainRule:
    """A condition the equation was derived for; a row failing it is "not applicable"."""

    reason: str
    inside: Callable[[Mapping[str, Any]], BoolArray]


@dataclass(frozen=True, slots=True)
class Band:
    """A named risk band and the tier it maps to (low / moderate / high) for worklists."""

    code: str
    label_en: str
    label_zh: str
    tier: str


@dataclass(frozen=True, slots=True)
class EquationSpec:
    """Everything the API lists about an equation, and what the scorer needs to run it."""

    id: str
    version: str
    name: str
    outcome: str
    result_unit: str
    citation: str
    validation: Validation
    validation_source: str
    inputs: tuple[InputSpec, ...]
    domain: tuple[DomainRule, ...]
    bands: tuple[Band, ...]
    enabled: bool = True
    disabled_reason: str | None = None
    notes: tuple[str, ...] = ()

    def input(self, name: str) -> InputSpec:
        for spec in self.inputs:
            if spec.name == name:
                return spec
        raise KeyError(name)


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Column-wise answer: value (NaN when none), band index (-1 when none) and why not.

    ``missing`` has bit i set when input i is missing; ``outside`` has bit j set when domain
    rule j fails. A row has a value exactly when both are zero.
    """

    value: FloatArray
    band: IntArray
    missing: IntArray
    outside: IntArray

    @property
    def applicable(self) -> BoolArray:
        ok: BoolArray = (self.missing == 0) & (self.outside == 0)
        return ok


@dataclass(frozen=True, slots=True)
class Equation:
    """A spec with its vectorised function (columns already checked and present)."""

    spec: EquationSpec
    compute: Callable[[Mapping[str, Any]], FloatArray]
    band_of: Callable[[FloatArray, Mapping[str, Any]], IntArray]
    extra: Mapping[str, Any] = field(default_factory=dict)


def as_float(values: npt.ArrayLike, n: int) -> FloatArray:
    """A float column; None and non-numbers become NaN (missing)."""
    array = np.asarray(values)
    if array.ndim == 0:
        array = np.full(n, array.item())
    if array.dtype.kind in "fiu":
        return array.astype(np.float64, copy=False)
    out = np.full(len(array), np.nan)
    for i, item in enumerate(array):
        if item is not None and not (isinstance(item, float) and np.isnan(item)):
            out[i] = float(item)
    return out


def as_text(values: npt.ArrayLike, n: int) -> npt.NDArray[np.object_]:
    """An object column of strings or None."""
    array = np.asarray(values, dtype=object)
    if array.ndim == 0:
        return np.full(n, array.item(), dtype=object)
    return array


def column_length(columns: Columns) -> int:
    for values in columns.values():
        array = np.asarray(values)
        if array.ndim:
            return len(array)
    return 1


def prepare(spec: EquationSpec, columns: Columns) -> tuple[dict[str, Any], IntArray, int]:
    """Typed columns for every input and the missing-input bitmask (absent or NaN/None)."""
    n = column_length(columns)
    prepared: dict[str, Any] = {}
    missing = np.zeros(n, dtype=np.int64)
    for bit, spec_input in enumerate(spec.inputs):
        raw = columns.get(spec_input.name)
        if spec_input.kind is InputKind.CHOICE:
            text = as_text(raw, n) if raw is not None else np.full(n, None, dtype=object)
            absent = np.asarray(pd.isna(text), dtype=bool) | (text == "")
            prepared[spec_input.name] = text
        else:
            numbers = as_float(raw, n) if raw is not None else np.full(n, np.nan)
            absent = np.isnan(numbers)
            prepared[spec_input.name] = numbers
        missing |= absent.astype(np.int64) << bit
    return prepared, missing, n


def evaluate(equation: Equation, columns: Columns) -> Evaluation:
    """Run one equation over columns; rows missing an input or outside the domain get NaN."""
    spec = equation.spec
    prepared, missing, n = prepare(spec, columns)
    outside = np.zeros(n, dtype=np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        for bit, rule in enumerate(spec.domain):
            inside = np.asarray(rule.inside(prepared), dtype=bool)
            outside |= (~inside).astype(np.int64) << bit
        ok = (missing == 0) & (outside == 0)
        value = np.where(ok, equation.compute(prepared), np.nan)
    band = np.where(ok, equation.band_of(value, prepared), -1).astype(np.int64)
    return Evaluation(value=value, band=band, missing=missing, outside=outside)


def missing_names(spec: EquationSpec, mask: int) -> list[str]:
    """The inputs named by a missing-input bitmask."""
    return [s.name for bit, s in enumerate(spec.inputs) if mask >> bit & 1]


def outside_reasons(spec: EquationSpec, mask: int) -> list[str]:
    """The domain conditions named by an outside-domain bitmask."""
    return [rule.reason for bit, rule in enumerate(spec.domain) if mask >> bit & 1]


def cut(value: FloatArray, edges: tuple[float, ...]) -> IntArray:
    """Band index by right-open intervals: edges (5, 7.5) give [<5, 5–<7.5, ≥7.5]."""
    return np.searchsorted(np.asarray(edges), value, side="right").astype(np.int64)


def sex_is(prepared: Mapping[str, Any], code: str) -> BoolArray:
    return np.asarray(prepared["sex"] == code, dtype=bool)


def between(values: FloatArray, low: float, high: float) -> BoolArray:
    """Inclusive range check that treats NaN as inside (missing is reported separately)."""
    inside: BoolArray = np.isnan(values) | ((values >= low) & (values <= high))
    return inside
