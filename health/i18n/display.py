"""Numbers and units as a reader sees them: UCUM codes become printed units, dipstick levels
their printed symbols, and values keep the decimals they are graded with."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from health.i18n import Lang

# UCUM code → the unit as printed on Chinese and English reports.
PRINTED_UNITS: Final[Mapping[str, Mapping[Lang, str]]] = MappingProxyType(
    {
        "mm[Hg]": {"zh": "mmHg", "en": "mmHg"},
        "/min": {"zh": "次/分", "en": "/min"},
        "10*9/L": {"zh": "×10⁹/L", "en": "×10⁹/L"},
        "10*12/L": {"zh": "×10¹²/L", "en": "×10¹²/L"},
        "umol/L": {"zh": "µmol/L", "en": "µmol/L"},
        "kg/m2": {"zh": "kg/m²", "en": "kg/m²"},
        "mL/min/{1.73_m2}": {"zh": "mL/min/1.73 m²", "en": "mL/min/1.73 m²"},
        "{ordinal}": {"zh": "", "en": ""},
    }
)


def printed_unit(unit: str | None, lang: Lang) -> str:
    """The unit as a report prints it (``mm[Hg]`` → ``mmHg``); unknown codes print as given."""
    if unit is None:
        return ""
    texts = PRINTED_UNITS.get(unit)
    return unit if texts is None else texts[lang]


def format_number(value: float, decimals: int | None = None) -> str:
    """Fixed decimals where the ruleset fixes them, else the shortest exact form (5.30 → 5.3)."""
    if decimals is not None:
        return f"{value:.{decimals}f}"
    return f"{value:g}" if abs(value) < 1e6 else f"{value:.0f}"


def interval_text(low: float | None, high: float | None, unit: str) -> str | None:
    """A reference interval as printed: ``3.9–6.1 mmol/L``, ``≤ 5.2 mmol/L``, ``≥ 1.0 mmol/L``."""
    suffix = f" {unit}" if unit else ""
    if low is not None and high is not None:
        return f"{format_number(low)}–{format_number(high)}{suffix}"
    if high is not None:
        return f"≤ {format_number(high)}{suffix}"
    if low is not None:
        return f"≥ {format_number(low)}{suffix}"
    return None
