"""Typed, immutable records of the catalog: analytes, their units, levels and findings."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ValueKind(StrEnum):
    """How an analyte's result is written down."""

    QUANTITY = "quantity"
    ORDINAL = "ordinal"
    CODED = "coded"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class UnitConversion:
    """``canonical = value * factor + offset`` for one accepted spelling of a unit.

    ``offset`` is zero except for affine conversions (HbA1c IFCC mmol/mol to NGSP %);
    ``molar_mass`` (g/mol) is kept when the factor was derived from it, so reports can cite it.
    """

    unit: str
    factor: float
    offset: float = 0.0
    molar_mass: float | None = None
    source: str = ""

    def apply(self, value: float) -> float:
        """Convert one value to the canonical unit."""
        return value * self.factor + self.offset


@dataclass(frozen=True, slots=True)
class OrdinalScale:
    """An ordered set of levels (dipstick ``-`` to ``4+``) and the spellings that mean each."""

    name: str
    levels: tuple[str, ...]
    aliases: tuple[tuple[str, int], ...]
    source: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One coded finding of an examination (``sinus_bradycardia`` of ``ecg``)."""

    code: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Analyte:
    """One checkup item: its stable code, names, codes in other systems, unit and limits.

    ``bounds`` are hard limits of physiology in the canonical unit, not reference ranges: a value
    outside them is a typing or unit error, never a finding.
    """

    code: str
    kind: ValueKind
    group: str
    name_zh: str
    name_en: str
    loinc: str | None = None
    loinc_alternates: tuple[str, ...] = ()
    loinc_fasting_only: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    unit: str | None = None
    units: tuple[UnitConversion, ...] = ()
    # Labels that report this analyte as its nitrogen content (BUN for urea): the same amount
    # in mmol/L, but a mass unit means mass of nitrogen and converts through NITROGEN_UNIT.
    nitrogen_aliases: tuple[str, ...] = ()
    bounds: tuple[float, float] | None = None
    bounds_source: str | None = None
    derived: bool = False
    scale: OrdinalScale | None = None
    findings: tuple[Finding, ...] = ()
    note: str | None = None

    @property
    def all_loinc(self) -> tuple[str, ...]:
        """Every LOINC code that maps here unconditionally, primary first."""
        return ((self.loinc,) if self.loinc else ()) + self.loinc_alternates


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    """A column header recognised as an analyte, with the unit written beside it (if any)."""

    analyte: Analyte
    unit: str | None


@dataclass(frozen=True, slots=True)
class ParsedFindings:
    """Finding codes read from a free-text cell, and the text that matched none of them."""

    codes: tuple[str, ...]
    remark: str | None
