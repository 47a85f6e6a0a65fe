"""Read ``analytes.toml`` into typed records, refusing a file with any mistake in it.

Validation happens once, at load time, and names the analyte and field at fault, so a typo in a
factor or a LOINC code stops the service at start-up instead of grading a result wrongly.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from health.catalog.errors import CatalogValidationError
from health.catalog.model import Analyte, Finding, OrdinalScale, UnitConversion, ValueKind
from health.catalog.text import fold_unit

_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_LOINC = re.compile(r"^(\d{1,7})-(\d)$")
_PREFIX = {"": 1.0, "d": 1e-1, "c": 1e-2, "m": 1e-3, "u": 1e-6, "n": 1e-9, "p": 1e-12}
_CONCENTRATION = re.compile(r"^(?P<p>[dcmunp]?)(?P<q>g|mol)/(?P<v>[dcmunp]?)l$")
_ANALYTE_KEYS = {
    "code",
    "group",
    "kind",
    "loinc",
    "loinc_alternates",
    "loinc_fasting_only",
    "name_zh",
    "name_en",
    "aliases",
    "nitrogen_aliases",
    "unit",
    "units",
    "bounds",
    "bounds_source",
    "derived",
    "scale",
    "findings",
    "note",
}
_UNIT_KEYS = {"unit", "factor", "offset", "molar_mass", "source"}


def default_catalog_text() -> str:
    """The packaged catalog file, read through importlib so it works from a wheel too."""
    return resources.files("health.catalog").joinpath("analytes.toml").read_text("utf-8")


def read_catalog_file(path: Path) -> dict[str, Any]:
    """Parse a TOML catalog file; TOML syntax errors become ``CatalogValidationError``."""
    return parse_toml(path.read_text("utf-8"))


def parse_toml(text: str) -> dict[str, Any]:
    """Parse TOML text, reporting syntax errors as catalog errors."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogValidationError(None, "toml", str(exc)) from exc


def loinc_check_digit(number: str) -> int:
    """The LOINC mod-10 check digit (Luhn) of the part before the hyphen."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return (10 - total % 10) % 10


def molar_factor(mass_unit: str, molar_unit: str, molar_mass: float) -> float | None:
    """Factor from a mass concentration (``mg/dL``) to an amount concentration (``umol/L``).

    ``None`` when either unit is not a plain concentration this can reason about.
    """
    mass = _CONCENTRATION.match(fold_unit(mass_unit))
    molar = _CONCENTRATION.match(fold_unit(molar_unit))
    if mass is None or molar is None or mass["q"] != "g" or molar["q"] != "mol":
        return None
    grams_per_litre = _PREFIX[mass["p"]] / _PREFIX[mass["v"]]
    mol_per_litre_unit = _PREFIX[molar["p"]] / _PREFIX[molar["v"]]
    return grams_per_litre / molar_mass / mol_per_litre_unit


def build_analytes(data: Mapping[str, Any]) -> tuple[str, tuple[Analyte, ...]]:
    """Validate parsed TOML and return the catalog version and its analytes."""
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        raise CatalogValidationError(None, "version", "must be a non-empty string")
    synonyms = _synonyms(data.get("unit_synonyms", {}))
    scales = _scales(data.get("ordinal_scales", {}))
    raw = data.get("analyte")
    if not isinstance(raw, list) or not raw:
        raise CatalogValidationError(None, "analyte", "at least one [[analyte]] table is required")
    analytes: list[Analyte] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict):
            raise CatalogValidationError(None, f"analyte[{index}]", "must be a table")
        analyte = _analyte(entry, index, synonyms, scales)
        if analyte.code in seen:
            raise CatalogValidationError(analyte.code, "code", "is defined twice")
        seen.add(analyte.code)
        analytes.append(analyte)
    return version, tuple(analytes)


def _synonyms(raw: object) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict):
        raise CatalogValidationError(None, "unit_synonyms", "must be a table")
    out: dict[str, tuple[str, ...]] = {}
    for unit, spellings in raw.items():
        out[fold_unit(unit)] = _strings(None, f"unit_synonyms.{unit}", spellings)
    return out


def _scales(raw: object) -> dict[str, OrdinalScale]:
    if not isinstance(raw, dict):
        raise CatalogValidationError(None, "ordinal_scales", "must be a table")
    scales: dict[str, OrdinalScale] = {}
    for name, body in raw.items():
        where = f"ordinal_scales.{name}"
        if not isinstance(body, dict):
            raise CatalogValidationError(None, where, "must be a table")
        levels = _strings(None, f"{where}.levels", body.get("levels"))
        if len(levels) < 2:
            raise CatalogValidationError(None, f"{where}.levels", "needs at least two levels")
        aliases: list[tuple[str, int]] = []
        for pair in body.get("aliases", []):
            ok = isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)
            if not ok or not isinstance(pair[1], int) or not 0 <= pair[1] < len(levels):
                raise CatalogValidationError(
                    None, f"{where}.aliases", "entries must be [text, level index]"
                )
            aliases.append((pair[0], pair[1]))
        source = _text(None, f"{where}.source", body.get("source"))
        scales[name] = OrdinalScale(name, levels, tuple(aliases), source)
    return scales


def _analyte(
    entry: Mapping[str, Any],
    index: int,
    synonyms: Mapping[str, tuple[str, ...]],
    scales: Mapping[str, OrdinalScale],
) -> Analyte:
    code = entry.get("code")
    if not isinstance(code, str) or not _CODE.match(code):
        raise CatalogValidationError(
            None, f"analyte[{index}].code", "must be lower-case letters, digits and underscores"
        )
    unknown = sorted(set(entry) - _ANALYTE_KEYS)
    if unknown:
        raise CatalogValidationError(code, unknown[0], "is not a known field")
    kind_text = entry.get("kind")
    try:
        kind = ValueKind(str(kind_text))
    except ValueError:
        choices = ", ".join(k.value for k in ValueKind)
        raise CatalogValidationError(code, "kind", f"must be one of {choices}") from None
    loinc = entry.get("loinc")
    if loinc is not None:
        _check_loinc(code, "loinc", loinc)
    alternates = _strings(code, "loinc_alternates", entry.get("loinc_alternates", []))
    fasting = _strings(code, "loinc_fasting_only", entry.get("loinc_fasting_only", []))
    for field, codes in (("loinc_alternates", alternates), ("loinc_fasting_only", fasting)):
        for value in codes:
            _check_loinc(code, field, value)
    derived = entry.get("derived", False)
    if not isinstance(derived, bool):
        raise CatalogValidationError(code, "derived", "must be true or false")
    note = entry.get("note")
    if note is not None:
        note = _text(code, "note", note)
    common: dict[str, Any] = {
        "code": code,
        "kind": kind,
        "group": _text(code, "group", entry.get("group")),
        "name_zh": _text(code, "name_zh", entry.get("name_zh")),
        "name_en": _text(code, "name_en", entry.get("name_en")),
        "loinc": loinc,
        "loinc_alternates": alternates,
        "loinc_fasting_only": fasting,
        "aliases": _strings(code, "aliases", entry.get("aliases", [])),
        "nitrogen_aliases": _strings(code, "nitrogen_aliases", entry.get("nitrogen_aliases", [])),
        "derived": derived,
        "note": note,
    }
    if kind is ValueKind.QUANTITY:
        return Analyte(**common, **_quantity_fields(code, entry, synonyms))
    for field in ("unit", "units", "bounds"):
        if field in entry:
            raise CatalogValidationError(code, field, f"is only for quantities, not {kind}")
    if kind is ValueKind.ORDINAL:
        scale_name = entry.get("scale")
        if not isinstance(scale_name, str) or scale_name not in scales:
            raise CatalogValidationError(code, "scale", "must name an [ordinal_scales] table")
        return Analyte(**common, scale=scales[scale_name])
    if "scale" in entry:
        raise CatalogValidationError(code, "scale", "is only for ordinals")
    if kind is ValueKind.CODED:
        return Analyte(**common, findings=_findings(code, entry.get("findings")))
    if "findings" in entry:
        raise CatalogValidationError(code, "findings", "is only for coded analytes")
    return Analyte(**common)


def _quantity_fields(
    code: str, entry: Mapping[str, Any], synonyms: Mapping[str, tuple[str, ...]]
) -> dict[str, Any]:
    unit = _text(code, "unit", entry.get("unit"))
    bounds = entry.get("bounds")
    if (
        not isinstance(bounds, list)
        or len(bounds) != 2
        or not all(isinstance(b, int | float) and math.isfinite(b) for b in bounds)
    ):
        raise CatalogValidationError(code, "bounds", "must be [low, high] finite numbers")
    low, high = float(bounds[0]), float(bounds[1])
    if not low < high:
        raise CatalogValidationError(code, "bounds", "low must be below high")
    conversions = [UnitConversion(unit, 1.0, source="canonical unit")]
    conversions += [
        UnitConversion(s, 1.0, source=f"same unit as {unit}")
        for s in synonyms.get(fold_unit(unit), ())
    ]
    raw_units = entry.get("units", [])
    if not isinstance(raw_units, list):
        raise CatalogValidationError(code, "units", "must be a list of tables")
    conversions += [_conversion(code, unit, raw) for raw in raw_units]
    by_key: dict[str, UnitConversion] = {}
    for conversion in conversions:
        key = fold_unit(conversion.unit)
        previous = by_key.get(key)
        if previous and (previous.factor, previous.offset) != (
            conversion.factor,
            conversion.offset,
        ):
            raise CatalogValidationError(
                code, "units", f"{conversion.unit!r} and {previous.unit!r} spell the same unit"
            )
        by_key.setdefault(key, conversion)
    return {
        "unit": unit,
        "units": tuple(by_key.values()),
        "bounds": (low, high),
        "bounds_source": _text(code, "bounds_source", entry.get("bounds_source")),
    }


def _conversion(code: str, canonical: str, raw: object) -> UnitConversion:
    if not isinstance(raw, dict):
        raise CatalogValidationError(code, "units", "entries must be tables")
    unknown = sorted(set(raw) - _UNIT_KEYS)
    if unknown:
        raise CatalogValidationError(code, f"units.{unknown[0]}", "is not a known field")
    unit = _text(code, "units.unit", raw.get("unit"))
    source = _text(code, f"units[{unit}].source", raw.get("source"))
    offset = raw.get("offset", 0.0)
    if not isinstance(offset, int | float) or not math.isfinite(offset):
        raise CatalogValidationError(code, f"units[{unit}].offset", "must be a finite number")
    factor, molar_mass = raw.get("factor"), raw.get("molar_mass")
    if (factor is None) == (molar_mass is None):
        raise CatalogValidationError(
            code, f"units[{unit}]", "needs exactly one of factor or molar_mass"
        )
    if molar_mass is not None:
        if not isinstance(molar_mass, int | float) or not molar_mass > 0:
            raise CatalogValidationError(code, f"units[{unit}].molar_mass", "must be positive")
        factor = molar_factor(unit, canonical, float(molar_mass))
        if factor is None:
            raise CatalogValidationError(
                code, f"units[{unit}].molar_mass", f"needs a mass unit and a molar {canonical!r}"
            )
        molar_mass = float(molar_mass)
    if not isinstance(factor, int | float) or not math.isfinite(factor) or not factor > 0:
        raise CatalogValidationError(code, f"units[{unit}].factor", "must be a positive number")
    return UnitConversion(unit, float(factor), float(offset), molar_mass, source)


def _findings(code: str, raw: object) -> tuple[Finding, ...]:
    if not isinstance(raw, list) or not raw:
        raise CatalogValidationError(code, "findings", "must be a non-empty list of tables")
    findings: list[Finding] = []
    for item in raw:
        if not isinstance(item, dict):
            raise CatalogValidationError(code, "findings", "entries must be tables")
        fcode = item.get("code")
        if not isinstance(fcode, str) or not _CODE.match(fcode):
            raise CatalogValidationError(code, "findings.code", "must be a lower-case code")
        findings.append(
            Finding(
                fcode,
                _text(code, f"findings[{fcode}].zh", item.get("zh")),
                _text(code, f"findings[{fcode}].en", item.get("en")),
                _strings(code, f"findings[{fcode}].aliases", item.get("aliases", [])),
            )
        )
    codes = [f.code for f in findings]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise CatalogValidationError(code, "findings", f"{duplicates[0]!r} is listed twice")
    for required in ("normal", "other"):
        if required not in codes:
            raise CatalogValidationError(code, "findings", f"must include {required!r}")
    return tuple(findings)


def _check_loinc(code: str, field: str, value: object) -> None:
    match = _LOINC.match(value) if isinstance(value, str) else None
    if match is None:
        raise CatalogValidationError(code, field, "must look like a LOINC code (1558-6)")
    if loinc_check_digit(match[1]) != int(match[2]):
        raise CatalogValidationError(code, field, f"{value!r} fails the LOINC check digit")


def _text(code: str | None, field: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CatalogValidationError(code, field, "must be a non-empty string")
    return value.strip()


def _strings(code: str | None, field: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise CatalogValidationError(code, field, "must be a list of strings")
    return tuple(_text(code, field, item) for item in value)


__all__: Sequence[str] = (
    "build_analytes",
    "default_catalog_text",
    "loinc_check_digit",
    "molar_factor",
    "parse_toml",
    "read_catalog_file",
)
