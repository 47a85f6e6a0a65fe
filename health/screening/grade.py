"""Grade every numeric result against the ruleset's reference intervals, bands and limits.

Per rule, each row gets an outcome index into a small table (stratum × {normal, low, high,
critically low, critically high, band j}); the table carries the severity, HL7 interpretation,
interval and citation, so the per-row work is a handful of numpy comparisons and one gather.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from health.derived import DERIVED_INPUTS
from health.rules._arrays import FloatArray, ObjectArray
from health.screening.batch import Batch
from health.screening.hits import Column, Hits, make_hits
from health.screening.ruleset import Ruleset
from health.screening.ruleset_schema import Band, ReferenceRule, Stratum
from health.screening.vocabulary import SEVERITIES

NORMAL, LOW, HIGH, CRITICAL_LOW, CRITICAL_HIGH, FIRST_BAND = range(6)
DEMOGRAPHIC = frozenset({"age", "sex"})
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
IntpArray = npt.NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class Outcomes:
    """The outcome table of one rule, as parallel arrays indexed by outcome index."""

    severity: ObjectArray
    rank: npt.NDArray[np.int8]
    interpretation: ObjectArray
    category: ObjectArray
    threshold: ObjectArray
    advice: ObjectArray
    source: ObjectArray
    low: FloatArray
    high: FloatArray


def _num(value: float | None) -> float:
    return math.nan if value is None else value


def _fmt(value: float) -> str:
    return f"{value:g}"


def _band_text(code: str, band: Band, unit: str) -> str:
    if band.from_ is not None and band.to is not None:
        return f"{_fmt(band.from_)} ≤ {code} < {_fmt(band.to)} {unit}"
    if band.from_ is not None:
        return f"{code} ≥ {_fmt(band.from_)} {unit}"
    return f"{code} < {_fmt(_num(band.to))} {unit}"


def _interval_text(s: Stratum, unit: str) -> str:
    if s.low is not None and s.high is not None:
        return f"{_fmt(s.low)}–{_fmt(s.high)} {unit}"
    if s.high is not None:
        return f"≤ {_fmt(s.high)} {unit}"
    if s.low is not None:
        return f"≥ {_fmt(s.low)} {unit}"
    return "no reference interval; guideline bands only"


def outcome_table(rule: ReferenceRule, ruleset: Ruleset) -> tuple[Outcomes, IntpArray]:
    """Every outcome of a rule, and the offset of each stratum's first outcome in the table."""
    rows: list[tuple[str, str, str, str, str | None, str, float, float]] = []
    offsets = []
    a, unit = rule.analyte, rule.unit
    source = ruleset.source_text(rule.source)
    crit = rule.critical
    crit_source = ruleset.source_text(crit.source) if crit is not None else source
    advice = rule.advice
    info = rule.informational_low
    for s in rule.strata:
        offsets.append(len(rows))
        lo, hi = _num(s.low), _num(s.high)
        below = f"{a} < {_fmt(lo)} {unit}"
        low_row = (
            ("abnormal", "L", "low", below, advice.low, source, lo, hi)
            if info is None
            else (
                "normal",
                "L",
                "low_informational",
                below,
                info.advice,
                ruleset.source_text(info.source),
                lo,
                hi,
            )
        )
        rows += [
            ("normal", "N", "normal", _interval_text(s, unit), None, source, lo, hi),
            low_row,
            ("abnormal", "H", "high", f"{a} > {_fmt(hi)} {unit}", advice.high, source, lo, hi),
            (
                "critical",
                "LL",
                "critical_low",
                f"{a} < {_fmt(_num(crit.below if crit else None))} {unit} (critical limit)",
                advice.critical or advice.low,
                crit_source,
                lo,
                hi,
            ),
            (
                "critical",
                "HH",
                "critical_high",
                f"{a} > {_fmt(_num(crit.above if crit else None))} {unit} (critical limit)",
                advice.critical or advice.high,
                crit_source,
                lo,
                hi,
            ),
        ]
        for band in s.bands:
            band_source = ruleset.source_text(band.source) if band.source else source
            rows.append(
                (
                    band.grade,
                    band.code,
                    band.label,
                    _band_text(a, band, unit),
                    band.advice,
                    band_source,
                    lo,
                    hi,
                )
            )
    columns = list(zip(*rows, strict=True))

    def objects(i: int) -> ObjectArray:
        out: ObjectArray = np.empty(len(rows), dtype=object)
        out[:] = columns[i]
        return out

    table = Outcomes(
        severity=objects(0),
        rank=np.array([SEVERITY_RANK[s] for s in columns[0]], dtype=np.int8),
        interpretation=objects(1),
        category=objects(2),
        threshold=objects(3),
        advice=objects(4),
        source=objects(5),
        low=np.array(columns[6], dtype=np.float64),
        high=np.array(columns[7], dtype=np.float64),
    )
    return table, np.array(offsets, dtype=np.intp)


def _stratum_of(rule: ReferenceRule, sex: ObjectArray, age: FloatArray) -> IntpArray:
    stratum = np.full(len(age), -1, dtype=np.intp)
    for k, s in enumerate(rule.strata):
        sex_ok = np.ones(len(age), dtype=bool) if s.sex == "any" else sex == s.sex
        upper = math.inf if s.age_to is None else s.age_to
        stratum[sex_ok & (age >= s.age_from) & (age < upper)] = k
    return stratum


def grade_values(
    rule: ReferenceRule,
    value: FloatArray,
    sex: ObjectArray,
    age: FloatArray,
    offsets: IntpArray,
) -> IntpArray:
    """Outcome index per row into the rule's table; -1 where ungraded (missing value/stratum)."""
    stratum = _stratum_of(rule, sex, age)
    graded = (stratum >= 0) & ~np.isnan(value)
    k = np.where(graded, stratum, 0)
    lows = np.array([_num(s.low) for s in rule.strata])[k]
    highs = np.array([_num(s.high) for s in rule.strata])[k]
    code = np.full(len(value), NORMAL, dtype=np.intp)
    code[value < lows] = LOW
    code[value > highs] = HIGH
    for i, s in enumerate(rule.strata):
        in_stratum = stratum == i
        for j, band in enumerate(s.bands):
            lower = -math.inf if band.from_ is None else band.from_
            upper = math.inf if band.to is None else band.to
            code[in_stratum & (value >= lower) & (value < upper)] = FIRST_BAND + j
    if rule.critical is not None:
        if rule.critical.below is not None:
            code[value < rule.critical.below] = CRITICAL_LOW
        if rule.critical.above is not None:
            code[value > rule.critical.above] = CRITICAL_HIGH
    return np.where(graded, offsets[k] + code, -1)


@dataclass(frozen=True, slots=True)
class GradedRule:
    rule: ReferenceRule
    table: Outcomes
    outcome: IntpArray

    def rank(self) -> npt.NDArray[np.int8]:
        """Severity rank per row (0 normal … 3 critical), -1 where ungraded."""
        return np.where(self.outcome >= 0, self.table.rank[self.outcome], -1).astype(np.int8)


def grade_all(
    ruleset: Ruleset,
    values: dict[str, FloatArray],
    sex: ObjectArray,
    age: FloatArray,
) -> list[GradedRule]:
    """Grade every analyte that has a reference rule and at least one value."""
    graded = []
    for rule in ruleset.document.reference_ranges:
        value = values.get(rule.analyte)
        if value is None or np.isnan(value).all():
            continue
        table, offsets = outcome_table(rule, ruleset)
        graded.append(GradedRule(rule, table, grade_values(rule, value, sex, age, offsets)))
    return graded


def grade_hits(
    graded: list[GradedRule], batch: Batch, ruleset: Ruleset, *, include_normal: bool
) -> list[Hits]:
    """One block per reference rule: the non-normal results (all results if include_normal)."""
    blocks = []
    for g in graded:
        rule, table, outcome = g.rule, g.table, g.outcome
        mask = outcome >= 0
        if not include_normal:
            mask &= g.rank() > 0
        idx = np.where(mask, outcome, 0)
        inputs: list[tuple[str, Column]] = [(rule.analyte, batch.value(rule.analyte))]
        derived_from = DERIVED_INPUTS.get(rule.analyte, ())
        inputs += [(code, batch.value(code)) for code in derived_from if code not in DEMOGRAPHIC]
        if len(rule.strata) > 1 or "age" in derived_from:
            inputs += [("sex", batch.sex), ("age", batch.age)]
        hits = make_hits(
            rule_id=rule.id,
            kind="grade",
            family=ruleset.family(rule.analyte),
            analyte=rule.analyte,
            mask=mask,
            severity=table.severity[idx],
            interpretation=table.interpretation[idx],
            category=table.category[idx],
            threshold=table.threshold[idx],
            source=table.source[idx],
            advice=table.advice[idx],
            reference_low=table.low[idx],
            reference_high=table.high[idx],
            inputs=inputs,
        )
        if hits is not None:
            blocks.append(hits)
    return blocks
