"""Column arrays for one or many checkups, built from a JSON-like mapping or a DataFrame.

The two builders are the only place the two entry points differ; everything downstream sees the
same arrays, so one checkup and a 100k-row session are screened by the same code.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from health.derived import fill_derived
from health.rules._arrays import BoolArray, FloatArray, ObjectArray, as_sex
from health.screening.finding import Demographics
from health.screening.ruleset import Ruleset
from health.screening.vocabulary import DEFAULT_CODED_FINDINGS, KNOWN_CONDITIONS

SEPARATORS = re.compile(r"[;,]")
SEX_COLUMN = "sex"
AGE_COLUMN = "age"
CONDITIONS_COLUMN = "known_conditions"
RowIndex = npt.NDArray[np.intp]


@dataclass(slots=True)
class Batch:
    """Everything screening reads, as arrays of length ``n``; missing values are NaN."""

    n: int
    values: dict[str, FloatArray]
    sex: ObjectArray
    age: FloatArray
    known: dict[str, BoolArray]
    coded: dict[str, tuple[RowIndex, ObjectArray]]
    previous: dict[str, FloatArray]
    previous_age: FloatArray
    _nan: FloatArray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._nan = np.full(self.n, np.nan)
        self._nan.flags.writeable = False

    def value(self, code: str) -> FloatArray:
        return self.values.get(code, self._nan)

    def prev(self, code: str) -> FloatArray:
        return self.previous.get(code, self._nan)

    def is_known(self, condition: str) -> BoolArray:
        return self.known[condition]


def _split_codes(items: Iterable[Any]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item is None or (isinstance(item, float) and math.isnan(item)):
            continue
        out.extend(part.strip() for part in SEPARATORS.split(str(item)) if part.strip())
    return out


def codes_of(value: Any) -> list[str]:
    """A coded field as a list: None/NaN → [], a string may hold codes separated by ; or ,."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        return _split_codes([value])
    return _split_codes(value)


def _check_conditions(found: Iterable[str]) -> None:
    unknown = sorted(set(found) - set(KNOWN_CONDITIONS))
    if unknown:
        raise ValueError(f"unknown known_conditions {unknown}; expected {list(KNOWN_CONDITIONS)}")


def _to_float(code: str, value: Any) -> float:
    if value is None:
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"value for {code!r} is not a number") from exc


def batch_from_mapping(
    values: Mapping[str, Any],
    demographics: Demographics,
    previous: Mapping[str, Any] | None,
    known_conditions: Collection[str],
    ruleset: Ruleset,
) -> Batch:
    """One checkup (the JSON path) as a batch of length 1."""
    conditions = _split_codes(known_conditions)
    _check_conditions(conditions)
    sex = as_sex([demographics.sex])
    age = np.array([float(demographics.age)])
    numeric = {
        code: np.array([_to_float(code, v)])
        for code, v in values.items()
        if code in ruleset.analyte_units
    }
    coded: dict[str, tuple[RowIndex, ObjectArray]] = {}
    for modality in DEFAULT_CODED_FINDINGS:
        codes = codes_of(values.get(modality))
        coded[modality] = (np.zeros(len(codes), dtype=np.intp), np.array(codes, dtype=object))
    prev_values: dict[str, FloatArray] = {}
    previous_age = age
    if previous is not None:
        prev_values = {
            code: np.array([_to_float(code, v)])
            for code, v in previous.items()
            if code in ruleset.analyte_units
        }
        if previous.get(AGE_COLUMN) is not None:
            previous_age = np.array([_to_float(AGE_COLUMN, previous[AGE_COLUMN])])
    return Batch(
        n=1,
        values=ruleset.shown(fill_derived(numeric, sex, age)),
        sex=sex,
        age=age,
        known={c: np.array([c in conditions]) for c in KNOWN_CONDITIONS},
        coded=coded,
        previous=(
            ruleset.shown(fill_derived(prev_values, sex, previous_age))
            if previous is not None
            else {}
        ),
        previous_age=previous_age,
    )


def _numeric_columns(frame: pd.DataFrame, ruleset: Ruleset) -> dict[str, FloatArray]:
    out: dict[str, FloatArray] = {}
    for code in ruleset.analyte_units:
        if code in frame.columns:
            try:
                out[code] = frame[code].to_numpy(dtype=np.float64, na_value=np.nan)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"column {code!r} is not numeric") from exc
    return out


def _exploded(column: pd.Series) -> tuple[RowIndex, ObjectArray]:
    """Positions and codes of a list-valued column, splitting strings on ; or ,.

    A session holds a few distinct codes repeated over every checkup, so each distinct item is
    split once (``codes_of``) and the parts are spread back over the rows with numpy."""
    series = pd.Series(column.to_numpy(dtype=object), dtype=object).explode()
    item, distinct = pd.factorize(series.to_numpy(dtype=object), use_na_sentinel=True)
    parts = [codes_of(value) for value in distinct]
    counts = np.array([len(p) for p in parts], dtype=np.intp)
    flat: ObjectArray = np.empty(int(counts.sum()), dtype=object)
    flat[:] = [code for p in parts for code in p]
    present = item >= 0
    item, rows = item[present], series.index.to_numpy(dtype=np.intp)[present]
    per_row = counts[item]
    total = int(per_row.sum())
    first = np.cumsum(counts) - counts
    within = np.arange(total, dtype=np.intp) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    return np.repeat(rows, per_row), flat[np.repeat(first[item], per_row) + within]


def batch_from_frame(
    frame: pd.DataFrame, ruleset: Ruleset, previous: pd.DataFrame | None = None
) -> Batch:
    """A whole session, column-wise: one row per checkup, ``previous`` aligned by index."""
    n = len(frame)
    for required in (SEX_COLUMN, AGE_COLUMN):
        if required not in frame.columns:
            raise ValueError(f"the frame needs a {required!r} column")
    sex = as_sex(frame[SEX_COLUMN].to_numpy(dtype=object))
    age = frame[AGE_COLUMN].to_numpy(dtype=np.float64, na_value=np.nan)
    known: dict[str, BoolArray] = {c: np.zeros(n, dtype=bool) for c in KNOWN_CONDITIONS}
    if CONDITIONS_COLUMN in frame.columns:
        rows, codes = _exploded(frame[CONDITIONS_COLUMN])
        _check_conditions(np.unique(codes).tolist())
        for condition in KNOWN_CONDITIONS:
            known[condition][rows[codes == condition]] = True
    coded = {
        modality: _exploded(frame[modality])
        if modality in frame.columns
        else (np.zeros(0, dtype=np.intp), np.zeros(0, dtype=object))
        for modality in DEFAULT_CODED_FINDINGS
    }
    prev_values: dict[str, FloatArray] = {}
    previous_age = age
    if previous is not None:
        aligned = previous.reindex(frame.index)
        prev_values = _numeric_columns(aligned, ruleset)
        if AGE_COLUMN in aligned.columns:
            given = aligned[AGE_COLUMN].to_numpy(dtype=np.float64, na_value=np.nan)
            previous_age = np.where(np.isnan(given), age, given)
    return Batch(
        n=n,
        values=ruleset.shown(fill_derived(_numeric_columns(frame, ruleset), sex, age)),
        sex=sex,
        age=age,
        known=known,
        coded=coded,
        previous=(
            ruleset.shown(fill_derived(prev_values, sex, previous_age))
            if previous is not None
            else {}
        ),
        previous_age=previous_age,
    )
