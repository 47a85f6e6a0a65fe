"""Column-at-a-time parsing of result cells into drafts.

A checkup session's column holds few distinct texts (lab values are quantised by their reporting
precision; dipstick and findings columns have a handful), so each column is factorised once and
every distinct text is parsed, converted and checked once, with numpy doing the numeric work.
Drafts are immutable and shared between the rows that wrote the same text.
"""

from __future__ import annotations

import gc
import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import numpy.typing as npt
import pandas as pd

from health.catalog import Analyte, Catalog, CatalogError, ValueKind
from health.ingest.drafts import FindingsDraft, ReasonCode, ResultDraft

ObjectArray = npt.NDArray[np.object_]
IntArray = npt.NDArray[np.intp]

_FLAGS = re.compile(r"\s*[↑↓*]+$|\s+[HLhl]$|(?<=\d)[HLhl]$")
_CENSORED = re.compile(r"^[<>≤≥]=?\s*\d")
_DECIMAL_COMMA = re.compile(r"^([+-]?\d+)[,，](\d+)$")


@dataclass(frozen=True, slots=True)
class CellError:
    """A cell that could not be taken: 0-based data index, text as uploaded, and why.

    ``on_remark`` marks errors that belong to the remark column, not the value column.
    """

    index: int
    value: str
    reason_code: ReasonCode
    reason: str
    on_remark: bool = False


@dataclass(frozen=True, slots=True)
class ColumnOutcome:
    """Per row, the draft object built (or ``None``), and the cells that failed."""

    objects: ObjectArray
    errors: list[CellError]


def cell_text(value: object) -> str | None:
    """A cell as text, ``None`` when blank; spreadsheet numbers keep their shortest spelling."""
    if value is None:
        return None
    if isinstance(value, str):
        stripped = value.strip()
        return stripped or None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def factorize_texts(
    values: ObjectArray, remarks: ObjectArray | None = None
) -> tuple[IntArray, list[tuple[str | None, str | None]]]:
    """Codes per row into the list of distinct (value text, remark text) pairs (``-1``: both
    blank)."""
    raw_codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = [cell_text(u) for u in uniques]
    pairs: list[tuple[str | None, str | None]]
    codes: IntArray
    if remarks is None:
        pairs = [(t, None) for t in texts]
        codes = np.asarray(raw_codes, dtype=np.intp)
    else:
        rcodes, runiques = pd.factorize(remarks, use_na_sentinel=True)
        rtexts = [cell_text(u) for u in runiques]
        combined = (np.asarray(raw_codes, dtype=np.int64) + 1) * (len(rtexts) + 1) + (rcodes + 1)
        ccodes, cuniques = pd.factorize(combined)
        pairs = []
        for key in cuniques.tolist():
            vcode, rcode = divmod(int(key), len(rtexts) + 1)
            pairs.append(
                (texts[vcode - 1] if vcode else None, rtexts[rcode - 1] if rcode else None)
            )
        codes = np.asarray(ccodes, dtype=np.intp)
    blank = [i for i, (v, r) in enumerate(pairs) if v is None and r is None]
    if blank:
        codes = np.where(np.isin(codes, blank), -1, codes)
    return codes, pairs


Outcome = ResultDraft | FindingsDraft | CellError | None


def spread(codes: IntArray, outcomes: Sequence[object]) -> ColumnOutcome:
    """Per-distinct outcomes back onto the rows; ``CellError`` templates become one per row."""
    table = np.empty(len(outcomes) + 1, dtype=object)
    failed: list[int] = []
    for i, outcome in enumerate(outcomes):
        if isinstance(outcome, CellError):
            failed.append(i)
        else:
            table[i] = outcome
    objects: ObjectArray = table[codes]
    errors: list[CellError] = []
    if failed:
        rows = np.flatnonzero(np.isin(codes, failed))
        for row in rows.tolist():
            template = outcomes[int(codes[row])]
            assert isinstance(template, CellError)
            errors.append(
                CellError(
                    row, template.value, template.reason_code, template.reason, template.on_remark
                )
            )
    return ColumnOutcome(objects, errors)


def parse_numbers(texts: Sequence[str | None]) -> tuple[npt.NDArray[np.float64], list[str | None]]:
    """Numbers from texts in one ``to_numeric`` pass; lab flags (``↑``, ``H``) are tolerated.

    Returns the floats (NaN where missing or bad) and, per text, why it is not a number.
    """
    raw = pd.Series(["" if t is None else t for t in texts], dtype=object)
    numbers = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=np.float64, copy=True)
    problems: list[str | None] = [None] * len(texts)
    for i in np.flatnonzero(np.isnan(numbers)).tolist():
        text = texts[i]
        if text is None:
            continue
        if _CENSORED.match(text):
            problems[i] = "censored values (< or >) are not accepted; enter the number"
            continue
        stripped = _FLAGS.sub("", text)
        try:
            numbers[i] = float(stripped) if stripped != text else math.nan
        except ValueError:
            numbers[i] = math.nan
        if math.isnan(numbers[i]):
            numbers[i], problems[i] = _decimal_comma(stripped)
    return numbers, problems


def _decimal_comma(text: str) -> tuple[float, str | None]:
    """``5,6`` is 5.6 where the comma cannot be a thousands separator (not exactly three
    digits after it, or nothing but 0 before it); ``1,234`` is refused as ambiguous."""
    match = _DECIMAL_COMMA.match(text.strip())
    if match is None:
        if "," in text or "，" in text:
            return math.nan, "is not a number (use a decimal point, e.g. 5.6)"
        return math.nan, "is not a number"
    whole, fraction = match.groups()
    if len(fraction) == 3 and whole.lstrip("+-") != "0":
        return math.nan, "is ambiguous: a comma before three digits may separate thousands"
    return float(f"{whole}.{fraction}"), None


def quantity_column(
    catalog: Catalog,
    analyte: Analyte,
    unit: str | None,
    values: ObjectArray,
    remarks: ObjectArray | None = None,
) -> ColumnOutcome:
    """Parse, convert to the canonical unit and range-check one column of numbers."""
    codes, pairs = factorize_texts(values, remarks)
    numbers, problems = parse_numbers([v for v, _ in pairs])
    canonical = catalog.to_canonical_array(analyte.code, numbers, unit)
    implausible = catalog.implausible_mask(analyte.code, canonical)
    unit_text = unit if unit is not None else analyte.unit
    outcomes: list[Outcome] = []
    for i, (text, remark) in enumerate(pairs):
        if text is None:
            outcomes.append(_remark_without_value(remark))
        elif problems[i] is not None:
            outcomes.append(CellError(-1, text, ReasonCode.MALFORMED_VALUE, str(problems[i])))
        elif implausible[i]:
            outcomes.append(
                CellError(
                    -1, text, ReasonCode.IMPLAUSIBLE_VALUE, catalog.bounds_message(analyte.code)
                )
            )
        else:
            outcomes.append(ResultDraft(float(canonical[i]), unit_text, text, remark))
    return spread(codes, outcomes)


def ordinal_column(
    catalog: Catalog, analyte: Analyte, values: ObjectArray, remarks: ObjectArray | None = None
) -> ColumnOutcome:
    """Dipstick readings to level indexes (``++`` -> 3)."""
    codes, pairs = factorize_texts(values, remarks)
    outcomes: list[Outcome] = []
    for text, remark in pairs:
        if text is None:
            outcomes.append(_remark_without_value(remark))
            continue
        try:
            level = catalog.parse_ordinal(analyte.code, text)
        except CatalogError:
            scale = analyte.scale.name if analyte.scale else "ordinal"
            reason = f"is not a level of the {scale} scale"
            outcomes.append(CellError(-1, text, ReasonCode.MALFORMED_VALUE, reason))
            continue
        outcomes.append(ResultDraft(level, None, text, remark))
    return spread(codes, outcomes)


def coded_column(
    catalog: Catalog, analyte: Analyte, values: ObjectArray, remarks: ObjectArray | None = None
) -> ColumnOutcome:
    """Findings text (``窦性心动过缓；ST-T改变``) to finding codes plus remark."""
    codes, pairs = factorize_texts(values, remarks)
    outcomes: list[Outcome] = []
    for text, remark in pairs:
        if text is None:
            outcomes.append(_remark_without_value(remark))
            continue
        parsed = catalog.parse_findings(analyte.code, text)
        notes = "；".join(n for n in (parsed.remark, remark) if n)
        outcomes.append(FindingsDraft(parsed.codes, notes or None, text))
    return spread(codes, outcomes)


def text_column(values: ObjectArray, remarks: ObjectArray | None = None) -> ColumnOutcome:
    """Free text kept as written."""
    codes, pairs = factorize_texts(values, remarks)
    outcomes: list[Outcome] = [
        _remark_without_value(remark) if text is None else ResultDraft(text, None, text, remark)
        for text, remark in pairs
    ]
    return spread(codes, outcomes)


def analyte_column(
    catalog: Catalog,
    analyte: Analyte,
    unit: str | None,
    values: ObjectArray,
    remarks: ObjectArray | None = None,
) -> ColumnOutcome:
    """Dispatch on the analyte's kind."""
    if analyte.kind is ValueKind.QUANTITY:
        return quantity_column(catalog, analyte, unit, values, remarks)
    if analyte.kind is ValueKind.ORDINAL:
        return ordinal_column(catalog, analyte, values, remarks)
    if analyte.kind is ValueKind.CODED:
        return coded_column(catalog, analyte, values, remarks)
    return text_column(values, remarks)


def _remark_without_value(remark: str | None) -> CellError | None:
    if remark is None:
        return None
    return CellError(
        -1,
        remark,
        ReasonCode.MALFORMED_VALUE,
        "a remark was given without a result",
        on_remark=True,
    )


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many acyclic objects.

    Drafts hold no reference cycles, yet every few hundred allocations the collector would walk
    all of them again; pausing it takes a third off building 100k drafts.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
