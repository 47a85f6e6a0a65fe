"""The catalog: lookups by code, LOINC and label, unit conversion and plausibility limits."""

from __future__ import annotations

import difflib
import functools
import math
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from health.catalog.errors import (
    CatalogError,
    CatalogValidationError,
    UnitConversionError,
    UnknownAnalyteError,
    UnrecognisedValueError,
)
from health.catalog.loader import (
    build_analytes,
    default_catalog_text,
    parse_toml,
    read_catalog_file,
)
from health.catalog.model import (
    Analyte,
    HeaderMatch,
    ParsedFindings,
    UnitConversion,
    ValueKind,
)
from health.catalog.text import clean, fold_label, fold_level, fold_unit

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_TRAILING_GROUP = re.compile(
    r"^(?P<head>.*?)\s*(?:\((?P<paren>[^()]*)\)|\[(?P<square>[^\[\]]*)\])$"
)
_FINDING_SEPARATORS = re.compile(r"[;；,，、/\n。]+")
# The unit a mass concentration written under a nitrogen label (BUN, 尿素氮) converts through.
NITROGEN_UNIT = "mg(N)/dL"
_MASS_UNITS = {fold_unit("mg/dL")}


class Catalog:
    """One version of the analyte catalog with every index built once, at construction."""

    def __init__(self, version: str, analytes: Iterable[Analyte]) -> None:
        self.version = version
        self._analytes: dict[str, Analyte] = {a.code: a for a in analytes}
        self._labels: dict[str, Analyte] = {}
        self._loinc: dict[str, Analyte] = {}
        self._loinc_fasting: dict[str, Analyte] = {}
        self._units: dict[tuple[str, str], UnitConversion] = {}
        self._levels: dict[tuple[str, str], int] = {}
        self._findings: dict[tuple[str, str], str] = {}
        self._nitrogen: set[str] = set()
        for analyte in self._analytes.values():
            self._index(analyte)

    def _index(self, analyte: Analyte) -> None:
        labels = (
            analyte.code,
            analyte.name_zh,
            analyte.name_en,
            *analyte.aliases,
            *analyte.nitrogen_aliases,
        )
        self._nitrogen.update(fold_label(label) for label in analyte.nitrogen_aliases)
        for label in (*labels, *analyte.all_loinc):
            self._claim(self._labels, fold_label(label), analyte, "aliases")
        for loinc in analyte.all_loinc:
            self._claim(self._loinc, loinc, analyte, "loinc")
        for loinc in analyte.loinc_fasting_only:
            self._claim(self._loinc_fasting, loinc, analyte, "loinc_fasting_only")
        for conversion in analyte.units:
            self._units[(analyte.code, fold_unit(conversion.unit))] = conversion
        if analyte.scale is not None:
            for index, level in enumerate(analyte.scale.levels):
                self._levels[(analyte.code, fold_level(level))] = index
            for text, index in analyte.scale.aliases:
                self._levels.setdefault((analyte.code, fold_level(text)), index)
        for finding in analyte.findings:
            for name in (finding.code, finding.name_zh, finding.name_en, *finding.aliases):
                key = (analyte.code, fold_label(name))
                owner = self._findings.setdefault(key, finding.code)
                if owner != finding.code:
                    raise CatalogValidationError(
                        analyte.code, "findings", f"{name!r} names both {owner} and {finding.code}"
                    )

    @staticmethod
    def _claim(index: dict[str, Analyte], key: str, analyte: Analyte, field: str) -> None:
        owner = index.setdefault(key, analyte)
        if owner is not analyte:
            raise CatalogValidationError(
                analyte.code, field, f"{key!r} also names analyte {owner.code!r}"
            )

    # ------------------------------------------------------------------ lookups

    @property
    def codes(self) -> tuple[str, ...]:
        """Analyte codes in catalog order."""
        return tuple(self._analytes)

    def __iter__(self) -> Iterator[Analyte]:
        return iter(self._analytes.values())

    def __len__(self) -> int:
        return len(self._analytes)

    def __contains__(self, code: object) -> bool:
        return code in self._analytes

    def get(self, code: str) -> Analyte:
        """The analyte with this code; a typo is an error, not a silent ``None``."""
        try:
            return self._analytes[code]
        except KeyError:
            raise UnknownAnalyteError(code) from None

    def by_loinc(self, loinc: str, *, fasting: bool = False) -> Analyte | None:
        """The analyte a LOINC code maps to; codes that only say "glucose in serum" map to
        fasting glucose when the caller knows the sample was fasting."""
        code = loinc.strip()
        found = self._loinc.get(code)
        if found is None and fasting:
            found = self._loinc_fasting.get(code)
        return found

    def by_label(self, text: str) -> Analyte | None:
        """The analyte a code, LOINC code, name or alias denotes (no unit parsing).

        Two labels of one analyte separated by a space (``血红蛋白 HGB``, the template's
        ``空腹血糖 Fasting plasma glucose``) also match.
        """
        found = self._labels.get(fold_label(text))
        if found is not None:
            return found
        words = clean(text).split(" ")
        for cut in range(1, len(words)):
            left = self._labels.get(fold_label(" ".join(words[:cut])))
            if left is not None and left is self._labels.get(fold_label(" ".join(words[cut:]))):
                return left
        return None

    def match_header(self, text: str) -> HeaderMatch | None:
        """Recognise a column header: ``空腹血糖 (mg/dL)``, ``空腹血糖（mg/dL）``, ``GLU[mmol/L]``,
        ``甘油三酯(TG)(mmol/L)``, ``1558-6``, ``ALT U/L``. The unit is returned as written;
        whether the analyte accepts it is ``to_canonical``'s question."""
        cleaned = clean(text)
        if not cleaned:
            return None
        analyte = self.by_label(cleaned)
        if analyte is not None:
            return HeaderMatch(analyte, None)
        group = _TRAILING_GROUP.match(cleaned)
        if group is not None:
            inner = (group["paren"] if group["paren"] is not None else group["square"]).strip()
            head = self.match_header(group["head"])
            if head is None or head.unit is not None:
                return None
            if not inner or self.by_label(inner) is head.analyte:
                return head
            return HeaderMatch(head.analyte, self.label_unit(group["head"], inner))
        label, _, unit = cleaned.rpartition(" ")
        analyte = self.by_label(label) if label else None
        unit = self.label_unit(label, unit) or unit
        if analyte is not None and (analyte.code, fold_unit(unit)) in self._units:
            return HeaderMatch(analyte, unit)
        return None

    def closest_labels(self, text: str, n: int = 3) -> list[str]:
        """Catalog items whose names come closest to an unknown header (for the hint)."""
        cleaned = clean(text)
        group = _TRAILING_GROUP.match(cleaned)
        key = fold_label(group["head"] if group is not None else cleaned)
        if not key:
            return []
        matches = difflib.get_close_matches(key, list(self._labels), n=n * 3, cutoff=0.6)
        found: list[str] = []
        for match in matches:
            analyte = self._labels[match]
            label = f"{analyte.name_zh} {analyte.name_en}"
            if label not in found:
                found.append(label)
        return found[:n]

    def is_nitrogen_label(self, text: str) -> bool:
        """Whether a label reports its analyte as nitrogen content (``BUN``, ``尿素氮``)."""
        words = clean(text).split(" ")
        return any(fold_label(t) in self._nitrogen for t in (text, *words))

    def label_unit(self, label: str, unit: str | None) -> str | None:
        """The unit to convert through: a mass unit under a nitrogen label is nitrogen mass
        (``BUN mg/dL`` is mg of urea nitrogen, x 0.357 to mmol/L urea, not x 0.1665)."""
        if unit is not None and fold_unit(unit) in _MASS_UNITS and self.is_nitrogen_label(label):
            return NITROGEN_UNIT
        return unit

    # ------------------------------------------------------------------ quantities

    def conversion(self, code: str, unit: str | None) -> UnitConversion:
        """How to bring ``unit`` to the analyte's canonical unit (``None`` means canonical)."""
        analyte = self.get(code)
        if analyte.kind is not ValueKind.QUANTITY or analyte.unit is None:
            raise UnitConversionError(code, unit, f"{analyte.kind} analytes have no unit")
        if unit is None or not unit.strip():
            return self._units[(code, fold_unit(analyte.unit))]
        found = self._units.get((code, fold_unit(unit)))
        if found is None:
            raise UnitConversionError(code, unit, f"cannot be converted to {analyte.unit}")
        return found

    def accepts_unit(self, code: str, unit: str | None) -> bool:
        """Whether ``to_canonical`` would accept this unit for this analyte."""
        try:
            self.conversion(code, unit)
        except CatalogError:
            return False
        return True

    def to_canonical(self, code: str, value: float, unit: str | None) -> float:
        """One value in the analyte's canonical unit."""
        return self.conversion(code, unit).apply(float(value))

    def to_canonical_array(self, code: str, values: npt.ArrayLike, unit: str | None) -> FloatArray:
        """A whole column in the canonical unit, in one numpy expression."""
        conversion = self.conversion(code, unit)
        array = np.asarray(values, dtype=np.float64)
        if conversion.offset:
            return array * conversion.factor + conversion.offset
        return array * conversion.factor

    def plausibility_error(self, code: str, value: float) -> str | None:
        """Why a canonical value cannot be real, or ``None``; the message never quotes it."""
        analyte = self.get(code)
        if analyte.bounds is None:
            return None
        low, high = analyte.bounds
        if math.isfinite(value) and low <= value <= high:
            return None
        return self.bounds_message(code)

    def implausible_mask(self, code: str, values: npt.ArrayLike) -> BoolArray:
        """True where a canonical value is outside the physical limits (NaN counts as missing)."""
        analyte = self.get(code)
        array = np.asarray(values, dtype=np.float64)
        if analyte.bounds is None:
            return np.zeros(array.shape, dtype=np.bool_)
        low, high = analyte.bounds
        with np.errstate(invalid="ignore"):
            return np.isinf(array) | (array < low) | (array > high)

    def bounds_message(self, code: str) -> str:
        """The log-safe sentence for a value outside this analyte's limits."""
        analyte = self.get(code)
        assert analyte.bounds is not None
        low, high = analyte.bounds
        return f"outside the physically plausible range {low:g}-{high:g} {analyte.unit} of {code}"

    # ------------------------------------------------------------------ ordinals and findings

    def parse_ordinal(self, code: str, text: str) -> int:
        """The level index (0 = ``-``) of a dipstick reading: ``++``, ``阴性``, ``trace``."""
        analyte = self.get(code)
        if analyte.scale is None:
            raise CatalogError(f"analyte {code!r} is not ordinal")
        level = self._levels.get((code, fold_level(text)))
        if level is None:
            raise UnrecognisedValueError(
                code, text, f"not a level of the {analyte.scale.name} scale"
            )
        return level

    def ordinal_label(self, code: str, index: int) -> str:
        """The canonical label of a level index (``3`` -> ``2+``)."""
        analyte = self.get(code)
        if analyte.scale is None:
            raise CatalogError(f"analyte {code!r} is not ordinal")
        if not 0 <= index < len(analyte.scale.levels):
            raise CatalogError(f"analyte {code!r}: level index out of range")
        return analyte.scale.levels[index]

    def finding_codes(self, code: str) -> tuple[str, ...]:
        """The finding codes a coded analyte may carry."""
        analyte = self.get(code)
        if analyte.kind is not ValueKind.CODED:
            raise CatalogError(f"analyte {code!r} has no findings")
        return tuple(f.code for f in analyte.findings)

    def finding_code(self, code: str, text: str) -> str | None:
        """The finding code one name, alias or code denotes, or ``None``."""
        return self._findings.get((code, fold_label(text)))

    def parse_findings(self, code: str, text: str) -> ParsedFindings:
        """Read a findings cell (``窦性心动过缓；ST-T改变``) into finding codes.

        Parts that name no finding become ``other`` and stay in the remark, so an abnormality
        the list lacks is still sent for review; ``normal`` is dropped beside any abnormality.
        """
        self.finding_codes(code)
        codes: list[str] = []
        unmatched: list[str] = []
        for part in _FINDING_SEPARATORS.split(clean(text)):
            part = part.strip()
            if not part:
                continue
            finding = self.finding_code(code, part)
            if finding is None:
                unmatched.append(part)
                finding = "other"
            if finding not in codes:
                codes.append(finding)
        if len(codes) > 1 and "normal" in codes:
            codes.remove("normal")
        return ParsedFindings(tuple(codes), "；".join(unmatched) or None)


def catalog_from_toml(text: str) -> Catalog:
    """Build a catalog from TOML text (validation errors name analyte and field)."""
    version, analytes = build_analytes(parse_toml(text))
    return Catalog(version, analytes)


@functools.cache
def _default_catalog() -> Catalog:
    return catalog_from_toml(default_catalog_text())


ORDINAL_UNIT: Final = "{ordinal}"  # urinalysis 0..5 = "-", "±", "1+", "2+", "3+", "4+"


def canonical_units(catalog: Catalog | None = None) -> dict[str, str]:
    """Canonical unit by analyte code, from the catalog: the only place units are spelled;
    rules grade in these units (ordinal items in ``ORDINAL_UNIT``)."""
    units = {}
    for analyte in catalog or load_catalog():
        if analyte.kind == ValueKind.QUANTITY:
            units[analyte.code] = analyte.unit or ""
        elif analyte.kind == ValueKind.ORDINAL:
            units[analyte.code] = ORDINAL_UNIT
    return units


def load_catalog(path: Path | str | None = None) -> Catalog:
    """The packaged catalog (parsed once per process), or the file at ``path`` (not cached)."""
    if path is None:
        return _default_catalog()
    version, analytes = build_analytes(read_catalog_file(Path(path)))
    return Catalog(version, analytes)
