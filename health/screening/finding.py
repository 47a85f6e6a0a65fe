"""What screening returns: findings with full provenance, and the demographics it needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from health.screening.vocabulary import Severity

FindingKind = Literal["grade", "coded", "criterion", "confirmation", "control", "delta"]
InputValue = float | str | None


@dataclass(frozen=True, slots=True)
class Demographics:
    """Sex and age in years at the exam: the two facts reference intervals depend on."""

    sex: Literal["M", "F"]
    age: float


@dataclass(frozen=True, slots=True)
class Advice:
    """Texts from the ruleset: plain language for the officer (zh, en), clinical for the medic."""

    key: str
    meaning_zh: str
    meaning_en: str
    advice_zh: str
    advice_en: str
    medic_zh: str
    medic_en: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One screening result and why: which rule, on what inputs, against which threshold.

    ``interpretation`` is an HL7 v3 ObservationInterpretation code; ``reference_low`` and
    ``reference_high`` are the interval that applied (None where a bound does not exist);
    ``analyte`` is None for criteria that combine several analytes (see ``inputs``).
    """

    rule_id: str
    kind: FindingKind
    family: str
    analyte: str | None
    severity: Severity
    interpretation: str
    category: str
    inputs: tuple[tuple[str, InputValue], ...]
    threshold: str
    reference_low: float | None
    reference_high: float | None
    source: str
    advice: Advice | None
    ruleset: str
    ruleset_version: str
