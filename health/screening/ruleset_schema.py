"""The shape of a ruleset file (pydantic v2); meaning is checked in ruleset.py.

Intervals: a stratum's reference interval [low, high] is closed, as laboratories publish them;
guideline bands [from, to) are half-open, as guidelines write "≥ x" and "< y"; bands take
precedence over the reference interval; critical limits are strict (value < below, value > above).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from health.screening.vocabulary import Severity


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Band(_Model):
    """A guideline band inside or outside the reference interval, e.g. borderline-high TC."""

    from_: float | None = Field(default=None, alias="from")
    to: float | None = None
    grade: Literal["borderline", "abnormal"]
    code: Literal["L", "H", "A"]
    label: str = Field(min_length=1)
    advice: str = Field(min_length=1)
    source: str | None = None


class Stratum(_Model):
    """The interval that applies to one sex and age band; age is [age_from, age_to) in years."""

    sex: Literal["M", "F", "any"] = "any"
    age_from: float = 18.0
    age_to: float | None = None
    low: float | None = None
    high: float | None = None
    bands: tuple[Band, ...] = ()
    note: str | None = None


class Critical(_Model):
    """Critical limits: no national list exists, so every value is a labelled deployment default."""

    below: float | None = None
    above: float | None = None
    source: str = Field(min_length=1)
    deployment_default: bool = True


class RangeAdvice(_Model):
    low: str | None = None
    high: str | None = None
    critical: str | None = None


class InformationalLow(_Model):
    """A result below the interval that carries no clinical concern: flagged L, graded normal.

    Shown to the reader with its flag and an explanation, but it is no finding and plans no
    task; ``source`` cites why a low value needs no action.
    """

    source: str = Field(min_length=1)
    advice: str = Field(min_length=1)


class ReferenceRule(_Model):
    id: str = Field(min_length=1)
    analyte: str = Field(min_length=1)
    unit: str
    source: str = Field(min_length=1)
    strata: tuple[Stratum, ...] = Field(min_length=1)
    critical: Critical | None = None
    advice: RangeAdvice = RangeAdvice()
    informational_low: InformationalLow | None = None


class CodedRule(_Model):
    id: str = Field(min_length=1)
    modality: str = Field(min_length=1)
    code: str = Field(min_length=1)
    severity: Severity
    interpretation: Literal["N", "A", "AA"]
    category: str = Field(min_length=1)
    source: str = Field(min_length=1)
    advice: str | None = None


class DeltaRule(_Model):
    """A change against the previous checkup.

    ``rise``/``fall``: relative change of one analyte beyond ``fraction`` (≥ when ``inclusive``,
    else >); ``worsened``/``improved``: a graded result went normal → abnormal/critical, or back.
    """

    id: str = Field(min_length=1)
    kind: Literal["rise", "fall", "worsened", "improved"]
    analyte: str | None = None
    fraction: float | None = Field(default=None, gt=0, lt=1)
    inclusive: bool = True
    require_gfr_category_drop: bool = False
    severity: Severity
    code: Literal["U", "D", "B", "W"]
    category: str = Field(min_length=1)
    source: str = Field(min_length=1)
    advice: str | None = None


class CriterionConfig(_Model):
    advice: str = Field(min_length=1)
    enabled: bool = True


class AdviceText(_Model):
    """Plain-language meaning and advice for the officer (zh, en); clinical text for the medic."""

    meaning_zh: str = Field(min_length=1)
    meaning_en: str = Field(min_length=1)
    advice_zh: str = Field(min_length=1)
    advice_en: str = Field(min_length=1)
    medic_zh: str = Field(min_length=1)
    medic_en: str = Field(min_length=1)


class Citation(_Model):
    """A source as a reader would cite it (title and year), in both languages."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Display(_Model):
    """How results are shown, and so graded: ``decimals`` per analyte, rounded half up.

    ``rule`` states the rounding rule in words, so a reviewer reads it beside the thresholds.
    """

    rule: str = ""
    decimals: dict[str, int] = {}


class RulesetDocument(_Model):
    name: str = Field(min_length=1)
    version: str = Field(min_length=1)
    description: str = ""
    sources: dict[str, str]
    citations: dict[str, Citation] = {}
    display: Display = Display()
    families: dict[str, tuple[str, ...]]
    reference_ranges: tuple[ReferenceRule, ...] = ()
    coded: tuple[CodedRule, ...] = ()
    deltas: tuple[DeltaRule, ...] = ()
    criteria: dict[str, CriterionConfig] = {}
    advice: dict[str, AdviceText] = {}
