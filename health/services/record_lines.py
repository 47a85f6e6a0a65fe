"""One line per result of a record: name in the reader's language, value as shown, unit, the
interval that applied, the flag, the inputs of a derived value, and the change since last year.

Pure assembly over a graded checkup and the catalog; ``health.services.record`` reads, checks
access and audits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from health.catalog.catalog import Catalog
from health.catalog.model import Analyte, ValueKind
from health.derived import DERIVED_INPUTS, RATIO_DECIMALS, RATIO_INPUTS, ratios
from health.i18n import Lang
from health.i18n.display import format_number, interval_text, printed_unit
from health.i18n.vocabulary import (
    FLAG_NAMES,
    NOT_GRADED,
    RATIO_NAMES,
    RATIO_SECTIONS,
    RATIO_UNITS,
    SECTION_NAMES,
    SECTION_OF_GROUP,
    SEVERITY_NAMES,
    name,
)
from health.screening.finding import Finding
from health.screening.results import GradedCheckup
from health.screening.ruleset import Ruleset

SEX_NAMES = {"M": {"zh": "男", "en": "male"}, "F": {"zh": "女", "en": "female"}}
AGE_NAME = {"zh": "年龄", "en": "Age"}
SEX_NAME = {"zh": "性别", "en": "Sex"}
YEARS = {"zh": "岁", "en": "years"}


@dataclass(frozen=True)
class InputLine:
    """One input of a derived value (creatinine, age and sex for eGFR)."""

    code: str
    name: str
    value: float | str
    display: str
    unit: str


@dataclass(frozen=True)
class PreviousValue:
    exam_date: date
    value: float
    display: str
    flag: str | None


@dataclass(frozen=True)
class ResultLine:
    code: str
    name: str
    value: float | None
    display: str
    unit: str
    reference_low: float | None
    reference_high: float | None
    interval: str | None
    flag: str | None
    flag_name: str | None
    severity: str | None
    severity_name: str | None
    note: str | None
    derived: bool
    inputs: list[InputLine] = field(default_factory=list)
    previous: PreviousValue | None = None
    change: float | None = None


@dataclass(frozen=True)
class Section:
    key: str
    name: str
    results: list[ResultLine]


def section_of(analyte: Analyte) -> str:
    return SECTION_OF_GROUP.get(analyte.group, "other")


def _display(catalog: Catalog, ruleset: Ruleset, code: str, value: float) -> str:
    analyte = catalog.get(code)
    if analyte.kind == ValueKind.ORDINAL:
        return catalog.ordinal_label(code, round(value))
    return format_number(value, ruleset.decimals(code))


def _interval(catalog: Catalog, grade: Finding, unit: str) -> str | None:
    analyte = catalog.get(grade.analyte or "")
    low, high = grade.reference_low, grade.reference_high
    if analyte.kind == ValueKind.ORDINAL:
        levels = [catalog.ordinal_label(analyte.code, int(v)) for v in (low, high) if v is not None]
        return "–".join(dict.fromkeys(levels)) or None
    return interval_text(low, high, unit)


def _input_line(catalog: Catalog, ruleset: Ruleset, code: str, value: Any, lang: Lang) -> InputLine:
    if code == "age":
        return InputLine(code, AGE_NAME[lang], float(value), f"{float(value):g}", YEARS[lang])
    if code == "sex":
        return InputLine(code, SEX_NAME[lang], str(value), SEX_NAMES[str(value)][lang], "")
    analyte = catalog.get(code)
    return InputLine(
        code,
        analyte.name_zh if lang == "zh" else analyte.name_en,
        float(value),
        _display(catalog, ruleset, code, float(value)),
        printed_unit(analyte.unit, lang),
    )


def result_line(
    catalog: Catalog,
    ruleset: Ruleset,
    graded: GradedCheckup,
    code: str,
    lang: Lang,
    previous: tuple[date, GradedCheckup] | None,
) -> ResultLine:
    """The line for one numeric result (measured or derived) of a graded checkup."""
    analyte = catalog.get(code)
    value = graded.values[code]
    unit = printed_unit(analyte.unit, lang)
    grade = graded.grades.get(code)
    inputs: list[InputLine] = []
    if grade is not None and code in DERIVED_INPUTS:
        inputs = [
            _input_line(catalog, ruleset, c, v, lang)
            for c, v in grade.inputs
            if c != code and v is not None
        ]
    note = None
    # Every flagged result explains itself, informational lows included.
    if grade is not None and grade.advice is not None and grade.interpretation != "N":
        note = grade.advice.meaning_zh if lang == "zh" else grade.advice.meaning_en
    before = change = None
    if previous is not None and code in previous[1].values:
        exam_date, prior = previous
        prior_value = prior.values[code]
        prior_grade = prior.grades.get(code)
        before = PreviousValue(
            exam_date,
            prior_value,
            _display(catalog, ruleset, code, prior_value),
            prior_grade.interpretation if prior_grade else None,
        )
        change = round(value - prior_value, 6)
    return ResultLine(
        code=code,
        name=analyte.name_zh if lang == "zh" else analyte.name_en,
        value=value,
        display=_display(catalog, ruleset, code, value),
        unit=unit,
        reference_low=grade.reference_low if grade else None,
        reference_high=grade.reference_high if grade else None,
        interval=_interval(catalog, grade, unit) if grade else None,
        flag=grade.interpretation if grade else None,
        flag_name=name(FLAG_NAMES, grade.interpretation, lang) if grade else None,
        severity=grade.severity if grade else None,
        severity_name=name(SEVERITY_NAMES, grade.severity, lang) if grade else None,
        note=note,
        derived=code in DERIVED_INPUTS,
        inputs=inputs,
        previous=before,
        change=change,
    )


def coded_line(
    catalog: Catalog, finding: Finding, modality: str, code: str, lang: Lang
) -> ResultLine:
    """The line for one coded finding (an ECG or imaging conclusion)."""
    analyte = catalog.get(modality)
    finding_names = {f.code: f for f in analyte.findings}
    described = finding_names.get(code)
    modality_name = analyte.name_zh if lang == "zh" else analyte.name_en
    text = code if described is None else (described.name_zh if lang == "zh" else described.name_en)
    note = None
    if finding.advice is not None and finding.severity != "normal":
        note = finding.advice.meaning_zh if lang == "zh" else finding.advice.meaning_en
    return ResultLine(
        code=modality,
        name=modality_name,
        value=None,
        display=text,
        unit="",
        reference_low=None,
        reference_high=None,
        interval=None,
        flag=finding.interpretation,
        flag_name=name(FLAG_NAMES, finding.interpretation, lang),
        severity=finding.severity,
        severity_name=name(SEVERITY_NAMES, finding.severity, lang),
        note=note,
        derived=False,
    )


def sections(
    catalog: Catalog,
    ruleset: Ruleset,
    graded: GradedCheckup,
    lang: Lang,
    previous: tuple[date, GradedCheckup] | None,
) -> list[Section]:
    """Results in report order, grouped as the sections of a checkup report."""
    lines: dict[str, list[ResultLine]] = {key: [] for key in SECTION_NAMES}
    for analyte in catalog:
        if analyte.code in graded.values:
            line = result_line(catalog, ruleset, graded, analyte.code, lang, previous)
            lines[section_of(analyte)].append(line)
        for finding in graded.coded:
            if finding.analyte == analyte.code:
                code = str(dict(finding.inputs)[analyte.code])
                line = coded_line(catalog, finding, analyte.code, code, lang)
                lines[section_of(analyte)].append(line)
    for code, value in ratios(graded.values).items():
        lines[RATIO_SECTIONS[code]].append(ratio_line(catalog, ruleset, graded, code, value, lang))
    return [
        Section(key, name(SECTION_NAMES, key, lang), results)
        for key, results in lines.items()
        if results
    ]


def ratio_line(
    catalog: Catalog, ruleset: Ruleset, graded: GradedCheckup, code: str, value: float, lang: Lang
) -> ResultLine:
    """A calculated ratio, shown with its inputs and without a flag (nothing grades it)."""
    known = {**graded.values, **ratios(graded.values)}
    inputs = []
    for source in RATIO_INPUTS[code]:
        if source in RATIO_INPUTS:
            inputs.append(
                InputLine(
                    source,
                    name(RATIO_NAMES, source, lang),
                    known[source],
                    format_number(known[source], RATIO_DECIMALS[source]),
                    RATIO_UNITS[source],
                )
            )
        else:
            inputs.append(_input_line(catalog, ruleset, source, known[source], lang))
    return ResultLine(
        code=code,
        name=name(RATIO_NAMES, code, lang),
        value=value,
        display=format_number(value, RATIO_DECIMALS[code]),
        unit=RATIO_UNITS[code],
        reference_low=None,
        reference_high=None,
        interval=None,
        flag=None,
        flag_name=None,
        severity=None,
        severity_name=None,
        note=NOT_GRADED[lang],
        derived=True,
        inputs=inputs,
    )
