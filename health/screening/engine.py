"""The two entry points: ``screen_one`` for a JSON checkup, ``screen_frame`` for a session.

Both build the same column arrays (health.screening.batch) and run the same rules; they differ
only in how the result is assembled, so they produce the same findings for the same data.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from health.screening.batch import Batch, batch_from_frame, batch_from_mapping
from health.screening.coded import coded_hits
from health.screening.criteria import criteria_hits
from health.screening.delta import delta_hits
from health.screening.finding import Advice, Demographics, Finding, InputValue
from health.screening.grade import grade_all, grade_hits
from health.screening.hits import Hits, Labels
from health.screening.ruleset import Ruleset, default_ruleset
from health.screening.vocabulary import SEVERITIES

IntArray = npt.NDArray[np.intp]
ObjectArray = npt.NDArray[np.object_]
FINDING_COLUMNS = (
    "key",
    "rule_id",
    "kind",
    "family",
    "analyte",
    "severity",
    "interpretation",
    "category",
    "inputs",
    "threshold",
    "reference_low",
    "reference_high",
    "source",
    "advice_key",
    "ruleset",
    "ruleset_version",
)


def evaluate(batch: Batch, ruleset: Ruleset, *, include_normal: bool) -> list[Hits]:
    """Grades, coded findings, guideline criteria and deltas, in that fixed order."""
    current = grade_all(ruleset, batch.values, batch.sex, batch.age)
    previous = (
        grade_all(ruleset, batch.previous, batch.sex, batch.previous_age) if batch.previous else []
    )
    return [
        *grade_hits(current, batch, ruleset, include_normal=include_normal),
        *coded_hits(batch, ruleset, include_normal=include_normal),
        *criteria_hits(batch, ruleset),
        *delta_hits(batch, ruleset, current, previous),
    ]


def _advice(ruleset: Ruleset, key: str | None) -> Advice | None:
    text = ruleset.advice(key)
    if key is None or text is None:
        return None
    return Advice(key=key, **text.model_dump())


def _optional(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _finding(
    ruleset: Ruleset,
    *,
    rule_id: str,
    kind: Any,
    family: str,
    analyte: str | None,
    severity: Any,
    interpretation: str,
    category: str,
    inputs: tuple[tuple[str, InputValue], ...],
    threshold: str,
    reference_low: float,
    reference_high: float,
    source: str,
    advice_key: str | None,
) -> Finding:
    return Finding(
        rule_id=rule_id,
        kind=kind,
        family=family,
        analyte=analyte,
        severity=severity,
        interpretation=interpretation,
        category=category,
        inputs=inputs,
        threshold=threshold,
        reference_low=_optional(reference_low),
        reference_high=_optional(reference_high),
        source=source,
        advice=_advice(ruleset, advice_key),
        ruleset=ruleset.name,
        ruleset_version=ruleset.version,
    )


def screen_one(
    values: Mapping[str, Any],
    demographics: Demographics,
    previous: Mapping[str, Any] | None = None,
    known_conditions: Collection[str] = (),
    ruleset: Ruleset | None = None,
    *,
    include_normal: bool = False,
) -> list[Finding]:
    """Screen one checkup: analyte code → value (coded findings as lists of codes).

    ``previous`` holds the officer's previous checkup the same way (optionally with its
    ``age``); ``known_conditions`` names diagnosed conditions (hypertension, diabetes,
    dyslipidaemia, hyperuricaemia, ckd). ``include_normal`` adds a grade for every normal
    result too.
    """
    rs = ruleset or default_ruleset()
    batch = batch_from_mapping(values, demographics, previous, known_conditions, rs)
    return [f for _, f in findings_of_hits(evaluate(batch, rs, include_normal=include_normal), rs)]


def findings_of_hits(blocks: list[Hits], rs: Ruleset) -> list[tuple[int, Finding]]:
    """Finding objects from rule blocks, each with the batch row it belongs to."""
    findings = []
    for h in blocks:
        for i in range(len(h)):
            findings.append(
                (
                    int(h.rows[i]),
                    _finding(
                        rs,
                        rule_id=h.rule_id,
                        kind=h.kind,
                        family=h.family,
                        analyte=h.analyte,
                        severity=h.severity[i],
                        interpretation=h.interpretation[i],
                        category=h.category[i],
                        inputs=h.inputs[i],
                        threshold=h.threshold[i],
                        reference_low=h.reference_low[i],
                        reference_high=h.reference_high[i],
                        source=h.source[i],
                        advice_key=h.advice[i],
                    ),
                )
            )
    return findings


@dataclass(frozen=True)
class Screened:
    """A screened session: the findings frame without its ``inputs`` column, and the
    provenance per rule block, turned into per-finding inputs only by ``inputs()``."""

    frame: pd.DataFrame
    blocks: list[Hits]
    order: IntArray

    def inputs(self) -> ObjectArray:
        """The ``inputs`` column, aligned with ``frame``'s rows."""
        if not self.blocks:
            return np.empty(0, dtype=object)
        built: ObjectArray = np.concatenate([h.inputs.materialise() for h in self.blocks])
        return built[self.order]

    def with_inputs(self) -> pd.DataFrame:
        frame = self.frame.copy(deep=False)
        frame.insert(
            FINDING_COLUMNS.index("inputs"),
            "inputs",
            pd.Series(self.inputs(), dtype=object, index=frame.index),
        )
        return frame


def screen_columns(
    df: pd.DataFrame,
    ruleset: Ruleset | None = None,
    previous_df: pd.DataFrame | None = None,
    *,
    include_normal: bool = False,
) -> Screened:
    """``screen_frame`` with the provenance kept per rule block: the bulk path materialises
    it only for the findings it seals."""
    rs = ruleset or default_ruleset()
    batch = batch_from_frame(df, rs, previous_df)
    blocks = evaluate(batch, rs, include_normal=include_normal)
    frame, order = _frame(df.index, blocks, rs)
    return Screened(frame, blocks, order)


def screen_frame(
    df: pd.DataFrame,
    ruleset: Ruleset | None = None,
    previous_df: pd.DataFrame | None = None,
    *,
    include_normal: bool = False,
) -> pd.DataFrame:
    """Screen a whole session column-wise: one row per checkup, one output row per finding.

    ``df`` has ``sex``, ``age``, optional ``known_conditions`` and one column per analyte code;
    ``previous_df`` holds each officer's previous checkup under the same index label as the
    current one. The ``key`` column of the result is the index label of the checkup.
    """
    return screen_columns(df, ruleset, previous_df, include_normal=include_normal).with_inputs()


def _per_block(blocks: list[Hits], name: str, order: IntArray) -> pd.Categorical:
    """A column that is constant within each block, as a categorical built from codes."""
    values = [getattr(h, name) for h in blocks]
    codes, categories = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    per_row = np.repeat(codes, [len(h) for h in blocks])[order]
    return pd.Categorical.from_codes(per_row, categories=pd.Index(categories, dtype=object))


def _labels(blocks: list[Hits], name: str, order: IntArray) -> tuple[IntArray, ObjectArray]:
    """A text column over every block as codes (in frame order) into one small table."""
    columns: list[Labels] = [getattr(h, name) for h in blocks]
    sizes = np.array([len(c.table) for c in columns], dtype=np.intp)
    offsets = np.cumsum(sizes) - sizes
    shifted = zip(columns, offsets.tolist(), strict=True)
    codes = np.concatenate([c.codes + offset for c, offset in shifted])
    table: ObjectArray = np.concatenate([c.table for c in columns])
    return codes[order], table


def _used(codes: IntArray, table: ObjectArray) -> npt.NDArray[np.bool_]:
    present: npt.NDArray[np.bool_] = np.bincount(codes, minlength=len(table)) > 0
    return present


def _categorical(
    codes: IntArray, table: ObjectArray, categories: list[str] | None = None
) -> pd.Categorical:
    """``pd.Categorical(table[codes], categories)`` computed on the table, not per finding;
    without ``categories``, the sorted texts that occur, as pandas would infer them."""
    if categories is None:
        categories = sorted({t for t in table[_used(codes, table)].tolist() if t is not None})
    known = pd.Index(categories, dtype=object)
    position = known.get_indexer(pd.Index(table, dtype=object))
    found: pd.Categorical = pd.Categorical.from_codes(position[codes], categories=known)
    return found


def _frame(index: pd.Index, blocks: list[Hits], rs: Ruleset) -> tuple[pd.DataFrame, IntArray]:
    if not blocks:
        empty = {c: pd.Series(dtype=object) for c in FINDING_COLUMNS if c != "inputs"}
        return pd.DataFrame(empty), np.empty(0, dtype=np.intp)
    rows = np.concatenate([h.rows for h in blocks])
    order = np.argsort(rows, kind="stable")

    def number(name: str) -> Any:
        return np.concatenate([getattr(h, name) for h in blocks])[order]

    def text(name: str) -> pd.Series:
        codes, table = _labels(blocks, name, order)
        return pd.Series(table[codes], dtype=object, copy=False)

    total = len(rows)
    constant = pd.Categorical.from_codes(
        np.zeros(total, dtype=np.int8), categories=pd.Index([rs.name], dtype=object)
    )
    version = pd.Categorical.from_codes(
        np.zeros(total, dtype=np.int8), categories=pd.Index([rs.version], dtype=object)
    )
    severity = _categorical(*_labels(blocks, "severity", order), list(SEVERITIES))
    frame = pd.DataFrame(
        {
            "key": index.take(rows[order]),
            "rule_id": _per_block(blocks, "rule_id", order),
            "kind": _per_block(blocks, "kind", order),
            "family": _per_block(blocks, "family", order),
            "analyte": _per_block(blocks, "analyte", order),
            "severity": severity.as_ordered(),
            "interpretation": _categorical(*_labels(blocks, "interpretation", order)),
            "category": text("category"),
            "threshold": text("threshold"),
            "reference_low": number("reference_low"),
            "reference_high": number("reference_high"),
            "source": text("source"),
            "advice_key": text("advice"),
            "ruleset": constant,
            "ruleset_version": version,
        }
    )
    return frame, order


def findings_from_frame(
    frame: pd.DataFrame, ruleset: Ruleset | None = None
) -> dict[Hashable, list[Finding]]:
    """Turn a findings frame back into Finding objects per checkup key (e.g. for sealing)."""
    rs = ruleset or default_ruleset()
    out: dict[Hashable, list[Finding]] = {}
    rows: Iterable[Any] = frame.itertuples(index=False)  # columns: FINDING_COLUMNS
    for row in rows:
        advice_key = row.advice_key if isinstance(row.advice_key, str) else None
        analyte = row.analyte if isinstance(row.analyte, str) else None
        out.setdefault(row.key, []).append(
            _finding(
                rs,
                rule_id=row.rule_id,
                kind=row.kind,
                family=row.family,
                analyte=analyte,
                severity=row.severity,
                interpretation=row.interpretation,
                category=row.category,
                inputs=row.inputs,
                threshold=row.threshold,
                reference_low=row.reference_low,
                reference_high=row.reference_high,
                source=row.source,
                advice_key=advice_key,
            )
        )
    return out
