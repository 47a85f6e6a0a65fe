"""Recognising spreadsheet columns: identity columns, long-format columns, analytes, remarks."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from health.catalog import Analyte, Catalog, ValueKind, fold_label
from health.catalog.text import clean
from health.ingest.cells import cell_text
from health.ingest.drafts import ReasonCode

IdentityField = Literal["badge_number", "officer_id", "exam_date", "name", "sex", "birth_date"]
LongField = Literal["item", "value", "unit", "remark", "loinc"]

# First Chinese and first English label of each are what the template writes.
IDENTITY_LABELS: Mapping[IdentityField, tuple[str, ...]] = {
    "badge_number": (
        "警号",
        "Badge number",
        "badge_number",
        "badge",
        "badge no",
        "badge_no",
        "警员编号",
        "警察编号",
    ),
    "officer_id": ("人员ID", "Officer ID", "officer_id", "人员编号"),
    "exam_date": ("体检日期", "Exam date", "exam_date", "检查日期", "体检时间", "date", "日期"),
    "name": ("姓名", "Name", "officer name"),
    "sex": ("性别", "Sex", "gender"),
    "birth_date": ("出生日期", "Birth date", "birth_date", "date of birth", "dob", "出生年月日"),
}
LONG_LABELS: Mapping[LongField, tuple[str, ...]] = {
    "item": (
        "项目",
        "item",
        "项目名称",
        "检验项目",
        "检查项目",
        "指标",
        "test",
        "test name",
        "analyte",
    ),
    "value": ("结果", "value", "result", "检验结果", "检查结果", "测定值"),
    "unit": ("单位", "unit", "units"),
    "remark": ("备注", "remark", "remarks", "comment", "说明"),
    "loinc": ("LOINC", "loinc code", "LOINC码", "LOINC编码"),
}
REMARK_SUFFIXES = ("备注", "remarks", "remark", "comment", "说明")
# One column holding "systolic/diastolic" (``血压 120/80``), as many checkup reports print it.
COMBINED_BP_LABELS = ("血压", "BP", "Blood pressure", "血压值", "收缩压/舒张压", "SBP/DBP")
_COMBINED_BP = {fold_label(label) for label in COMBINED_BP_LABELS}
_TRAILING_UNIT = re.compile(r"^(?P<head>.*?)\s*[(\[](?P<unit>[^()\[\]]*)[)\]]$")


K = TypeVar("K", bound=str)


def _index(labels: Mapping[K, tuple[str, ...]]) -> dict[str, K]:
    return {fold_label(label): name for name, group in labels.items() for label in group}


_IDENTITY = _index(IDENTITY_LABELS)
_LONG = _index(LONG_LABELS)


def _lookup(index: Mapping[str, K], header: str) -> K | None:
    """Exact label, or two labels of the same field side by side (``警号 Badge number``)."""
    found = index.get(fold_label(header))
    if found is not None:
        return found
    words = clean(header).split(" ")
    for cut in range(1, len(words)):
        left = index.get(fold_label(" ".join(words[:cut])))
        if left is not None and left == index.get(fold_label(" ".join(words[cut:]))):
            return left
    return None


def identity_field(header: str) -> IdentityField | None:
    """Which identity column a header names, if any."""
    return _lookup(_IDENTITY, header)


def long_field(header: str) -> LongField | None:
    """Which long-format column (item, value, unit, remark, LOINC) a header names, if any."""
    return _lookup(_LONG, header)


def is_long_layout(headers: Sequence[object]) -> bool:
    """Long (one result per row, as lab systems export) when there are item and value columns."""
    fields = {long_field(cell_text(h) or "") for h in headers}
    return {"item", "value"} <= fields


@dataclass(frozen=True, slots=True)
class HeaderError:
    """A problem with a column as a whole, reported against the header row."""

    index: int
    header: str
    value: str
    reason_code: ReasonCode
    reason: str


@dataclass(frozen=True, slots=True)
class AnalyteColumn:
    """A wide-layout column holding one analyte, in the unit its header names."""

    index: int
    header: str
    analyte: Analyte
    unit: str | None
    remark_index: int | None = None
    # 0 or 1: the systolic or diastolic half of a combined blood pressure column
    part: int | None = None


@dataclass(slots=True)
class HeaderPlan:
    """What each column of a sheet holds."""

    headers: list[str]
    identity: dict[IdentityField, int] = field(default_factory=dict)
    long: dict[LongField, int] = field(default_factory=dict)
    analytes: list[AnalyteColumn] = field(default_factory=list)
    errors: list[HeaderError] = field(default_factory=list)

    def identity_header(self, name: IdentityField) -> str:
        """The header as uploaded for an identity column (the field name if absent)."""
        index = self.identity.get(name)
        return self.headers[index] if index is not None else name

    def officer_column(self) -> tuple[int, str]:
        """Position and header of the column naming the officer (badge, else officer id)."""
        name: IdentityField = "badge_number" if "badge_number" in self.identity else "officer_id"
        return self.identity.get(name, -1), self.identity_header(name)

    def long_header(self, name: LongField) -> str:
        """The header as uploaded for a long-format column (the field name if absent)."""
        index = self.long.get(name)
        return self.headers[index] if index is not None else name


def plan_columns(
    headers: Sequence[object], has_data: Sequence[bool], catalog: Catalog, *, long: bool
) -> HeaderPlan:
    """Classify every column; problems with whole columns are returned, not raised."""
    texts = [cell_text(h) or "" for h in headers]
    plan = HeaderPlan(texts)
    remarks: dict[str, int] = {}
    pending: list[AnalyteColumn] = []
    for index, header in enumerate(texts):
        if not header:
            if has_data[index]:
                plan.errors.append(
                    HeaderError(
                        index,
                        f"column {index + 1}",
                        "",
                        ReasonCode.UNKNOWN_COLUMN,
                        "column has data but no header",
                    )
                )
            continue
        ident = identity_field(header)
        if ident is not None:
            _claim(plan, plan.identity, ident, index, header)
            continue
        if long:
            lfield = long_field(header)
            if lfield is not None:
                _claim(plan, plan.long, lfield, index, header)
            else:
                plan.errors.append(_unknown(index, header, "is not a long-format column"))
            continue
        remark_of = _remark_target(header, catalog)
        if remark_of is not None:
            remarks.setdefault(remark_of.code, index)
            continue
        combined = _combined_bp_unit(header)
        if combined is not None:
            _add_combined_bp(plan, pending, catalog, index, header, combined)
            continue
        match = catalog.match_header(header)
        if match is None:
            plan.errors.append(_unknown(index, header, _no_analyte(catalog, header)))
            continue
        if not _unit_ok(catalog, match.analyte, match.unit):
            plan.errors.append(
                HeaderError(
                    index,
                    header,
                    match.unit or "",
                    ReasonCode.UNIT_NOT_CONVERTIBLE,
                    _unit_reason(match.analyte),
                )
            )
            continue
        if any(c.analyte.code == match.analyte.code for c in pending):
            plan.errors.append(
                HeaderError(
                    index,
                    header,
                    "",
                    ReasonCode.DUPLICATE_COLUMN,
                    f"a second column for {match.analyte.code}",
                )
            )
            continue
        pending.append(AnalyteColumn(index, header, match.analyte, match.unit))
    plan.analytes = [
        AnalyteColumn(c.index, c.header, c.analyte, c.unit, remarks.get(c.analyte.code), c.part)
        for c in pending
    ]
    return plan


def _no_analyte(catalog: Catalog, header: str) -> str:
    closest = catalog.closest_labels(header)
    hint = f"; closest catalog items: {', '.join(closest)}" if closest else ""
    return f"names no analyte in the catalog{hint}"


def _combined_bp_unit(header: str) -> tuple[str | None] | None:
    """``(unit,)`` when the header names a combined blood pressure column, else ``None``."""
    cleaned = clean(header)
    group = _TRAILING_UNIT.match(cleaned)
    if group is not None and fold_label(group["head"]) in _COMBINED_BP:
        return (group["unit"].strip() or None,)
    if fold_label(cleaned) in _COMBINED_BP:
        return (None,)
    label, _, unit = cleaned.rpartition(" ")
    if label and fold_label(label) in _COMBINED_BP:
        return (unit,)
    return None


def _add_combined_bp(
    plan: HeaderPlan,
    pending: list[AnalyteColumn],
    catalog: Catalog,
    index: int,
    header: str,
    combined: tuple[str | None],
) -> None:
    (unit,) = combined
    parts = [catalog.get("sbp"), catalog.get("dbp")]
    if not all(_unit_ok(catalog, analyte, unit) for analyte in parts):
        plan.errors.append(
            HeaderError(
                index, header, unit or "", ReasonCode.UNIT_NOT_CONVERTIBLE, _unit_reason(parts[0])
            )
        )
        return
    if any(c.analyte.code in ("sbp", "dbp") for c in pending):
        plan.errors.append(
            HeaderError(
                index, header, "", ReasonCode.DUPLICATE_COLUMN, "blood pressure given twice"
            )
        )
        return
    for part, analyte in enumerate(parts):
        pending.append(AnalyteColumn(index, header, analyte, unit, part=part))


def _claim(plan: HeaderPlan, table: dict[K, int], name: K, index: int, header: str) -> None:
    if name in table:
        plan.errors.append(
            HeaderError(index, header, "", ReasonCode.DUPLICATE_COLUMN, f"a second {name} column")
        )
    else:
        table[name] = index


def _unknown(index: int, header: str, reason: str) -> HeaderError:
    return HeaderError(index, header, header, ReasonCode.UNKNOWN_COLUMN, f"header {reason}")


def _remark_target(header: str, catalog: Catalog) -> Analyte | None:
    folded = fold_label(header)
    for suffix in REMARK_SUFFIXES:
        if folded.endswith(suffix) and len(folded) > len(suffix):
            return catalog.by_label(folded[: -len(suffix)])
    return None


def _unit_ok(catalog: Catalog, analyte: Analyte, unit: str | None) -> bool:
    if analyte.kind is not ValueKind.QUANTITY:
        return unit is None
    return catalog.accepts_unit(analyte.code, unit)


def _unit_reason(analyte: Analyte) -> str:
    if analyte.kind is not ValueKind.QUANTITY:
        return f"{analyte.code} is {analyte.kind} and takes no unit"
    return f"unit cannot be converted to {analyte.unit} for {analyte.code}"
