"""Grade every numeric result against the ruleset's reference intervals, bands and limits.

Per rule, each row gets an outcome index into a small table (stratum × {normal, low, high,
critically low, critically high, band j}); the table carries the severity, HL7 interpretation,
interval and citation, so the per-row work is a handful of numpy comparisons and one gather.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from health.derived import DERIVED_INPUTS
from health.rules._arrays import FloatArray, ObjectArray
from health.screening.batch import Batch
from health.screening.hits import Column, Hits, Inputs, Labels
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


class Strata:
    """Stratum index per row for each distinct stratification of a batch: most rules share
    one of a few (any, by sex, by sex and age), so each is computed once per batch."""

    def __init__(self, sex: ObjectArray, age: FloatArray) -> None:
        self.age = age
        self.sex = {"M": sex == "M", "F": sex == "F"}
        self.known: dict[tuple[tuple[str, float, float | None], ...], IntpArray] = {}

    def __call__(self, rule: ReferenceRule) -> IntpArray:
        key = tuple((s.sex, s.age_from, s.age_to) for s in rule.strata)
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = self._compute(rule.strata)
        return found

    def _compute(self, strata: Sequence[Stratum]) -> IntpArray:
        age = self.age
        stratum = np.full(len(age), -1, dtype=np.intp)
        for k, s in enumerate(strata):
            upper = math.inf if s.age_to is None else s.age_to
            in_age = (age >= s.age_from) & (age < upper)
            stratum[in_age if s.sex == "any" else in_age & self.sex[s.sex]] = k
        return stratum


def grade_values(
    rule: ReferenceRule, value: FloatArray, stratum: IntpArray, offsets: IntpArray
) -> IntpArray:
    """Outcome index per row into the rule's table; -1 where ungraded (missing value/stratum)."""
    graded = (stratum >= 0) & ~np.isnan(value)
    k = np.where(graded, stratum, 0)
    if len(rule.strata) == 1:
        lows: FloatArray | float = _num(rule.strata[0].low)
        highs: FloatArray | float = _num(rule.strata[0].high)
    else:
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
    code += offsets[k]
    code[~graded] = -1
    return code


@dataclass(frozen=True, slots=True)
class GradedRule:
    rule: ReferenceRule
    table: Outcomes
    outcome: IntpArray
    ranks: npt.NDArray[np.int8] = field(init=False)

    def __post_init__(self) -> None:
        # -1 (ungraded) picks the appended -1: one gather, no mask.
        ranked = np.append(self.table.rank, np.int8(-1))
        object.__setattr__(self, "ranks", ranked[self.outcome])

    def rank(self) -> npt.NDArray[np.int8]:
        """Severity rank per row (0 normal … 3 critical), -1 where ungraded."""
        return self.ranks


def grade_all(
    ruleset: Ruleset,
    values: dict[str, FloatArray],
    sex: ObjectArray,
    age: FloatArray,
) -> list[GradedRule]:
    """Grade every analyte that has a reference rule and at least one value."""
    graded = []
    strata = Strata(sex, age)
    for rule in ruleset.document.reference_ranges:
        value = values.get(rule.analyte)
        if value is None or np.isnan(value).all():
            continue
        table, offsets = outcome_table(rule, ruleset)
        graded.append(GradedRule(rule, table, grade_values(rule, value, strata(rule), offsets)))
    return graded


def grade_hits(
    graded: list[GradedRule], batch: Batch, ruleset: Ruleset, *, include_normal: bool
) -> list[Hits]:
    """One block per reference rule: the non-normal results (all results if include_normal).

    Texts are gathered for the hits only, as codes into the rule's outcome table."""
    blocks = []
    for g in graded:
        rule, table = g.rule, g.table
        rows = np.flatnonzero(g.ranks >= (0 if include_normal else 1))
        if len(rows) == 0:
            continue
        at = g.outcome[rows]
        inputs: list[tuple[str, Column]] = [(rule.analyte, batch.value(rule.analyte))]
        derived_from = DERIVED_INPUTS.get(rule.analyte, ())
        inputs += [(code, batch.value(code)) for code in derived_from if code not in DEMOGRAPHIC]
        if len(rule.strata) > 1 or "age" in derived_from:
            inputs += [("sex", batch.sex), ("age", batch.age)]
        blocks.append(
            Hits(
                rule_id=rule.id,
                kind="grade",
                family=ruleset.family(rule.analyte),
                analyte=rule.analyte,
                rows=rows,
                severity=Labels(at, table.severity),
                interpretation=Labels(at, table.interpretation),
                category=Labels(at, table.category),
                threshold=Labels(at, table.threshold),
                reference_low=table.low[at],
                reference_high=table.high[at],
                source=Labels(at, table.source),
                advice=Labels(at, table.advice),
                inputs=Inputs(tuple(inputs), rows),
            )
        )
    return blocks
