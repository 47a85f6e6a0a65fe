"""Guideline criteria across values, known conditions and 'confirmed on two occasions'."""

from __future__ import annotations

from typing import Any

import pytest

from health.screening.engine import screen_one
from health.screening.finding import Demographics, Finding

HTN = "中国高血压防治指南2018"
T2DM = "中国2型糖尿病防治指南2020"
LIPID = "中国血脂管理指南2023"
HUA = "中国高尿酸血症与痛风诊疗指南2019"
KDIGO = "KDIGO 2012"
CDS = "CDS 2020 metabolic syndrome"
W428 = "WS/T 428-2013"

MAN = Demographics("M", 45)
WOMAN = Demographics("F", 45)


def criteria(
    values: dict[str, Any],
    demographics: Demographics = MAN,
    previous: dict[str, Any] | None = None,
    known: tuple[str, ...] = (),
) -> dict[str, Finding]:
    findings = screen_one(values, demographics, previous, known)
    return {f.rule_id: f for f in findings if f.kind in ("criterion", "confirmation", "control")}


# (values, sex, previous, known, expected rule ids among criteria (exact), source)
SCENARIOS: list[
    tuple[dict[str, Any], str, dict[str, Any] | None, tuple[str, ...], set[str], str]
] = [
    ({"sbp": 118, "dbp": 78}, "M", None, (), set(), HTN + ": normal"),
    ({"sbp": 125, "dbp": 78}, "M", None, (), {"bp.high_normal"}, HTN + ": high-normal"),
    ({"sbp": 150, "dbp": 85}, "M", None, (), {"bp.grade_1"}, HTN + ": grade 1"),
    ({"sbp": 150, "dbp": 105}, "M", None, (), {"bp.grade_2"}, HTN + ": the higher grade"),
    ({"sbp": 185, "dbp": 95}, "M", None, (), {"bp.grade_3"}, HTN + ": grade 3"),
    (
        {"sbp": 150, "dbp": 105},
        "M",
        None,
        ("hypertension",),
        {"bp.not_at_goal"},
        HTN + ": goal <140/90",
    ),
    ({"sbp": 135, "dbp": 85}, "M", None, ("hypertension",), set(), HTN + ": treated and at goal"),
    ({"glu": 6.5}, "M", None, (), {"glucose.ifg"}, T2DM + ": IFG"),
    ({"glu": 7.2}, "M", None, (), {"glucose.diabetes_range_unconfirmed"}, T2DM + ": confirm"),
    (
        {"glu": 5.5, "hba1c": 6.6},
        "M",
        None,
        (),
        {"glucose.diabetes_range_unconfirmed"},
        T2DM + ": HbA1c",
    ),
    ({"glu": 7.2}, "M", {"glu": 7.5}, (), {"glucose.diabetes_confirmed"}, T2DM + ": two occasions"),
    (
        {"glu": 7.2},
        "M",
        {"hba1c": 6.7},
        (),
        {"glucose.diabetes_confirmed"},
        T2DM + ": FPG then HbA1c",
    ),
    (
        {"glu": 7.2},
        "M",
        {"glu": 6.0},
        (),
        {"glucose.diabetes_range_unconfirmed"},
        T2DM + ": previous normal",
    ),
    ({"glu": 8.0}, "M", None, ("diabetes",), {"glucose.not_at_goal"}, T2DM + ": known, FPG >7.0"),
    ({"glu": 8.0, "hba1c": 6.8}, "M", None, ("diabetes",), set(), T2DM + ": known, HbA1c at goal"),
    ({"tc": 5.5, "ldl": 3.5}, "M", None, (), {"lipids.borderline"}, LIPID + ": borderline only"),
    (
        {"tc": 6.5, "tg": 1.0, "hdl": 1.2, "ldl": 4.2},
        "M",
        None,
        (),
        {"lipids.dyslipidaemia"},
        LIPID,
    ),
    ({"ldl": 3.5}, "M", None, ("dyslipidaemia",), {"lipids.ldl_not_at_goal"}, LIPID + ": LDL goal"),
    (
        {"tg": 6.0},
        "M",
        None,
        ("dyslipidaemia",),
        {"lipids.severe_hypertriglyceridaemia"},
        LIPID + ": TG ≥5.6 always",
    ),
    ({"ua": 430}, "F", None, (), {"uric_acid.hyperuricaemia_unconfirmed"}, HUA + ": once"),
    ({"ua": 430}, "F", {"ua": 425}, (), {"uric_acid.hyperuricaemia_confirmed"}, HUA + ": twice"),
    (
        {"ua": 430},
        "F",
        {"ua": 420},
        (),
        {"uric_acid.hyperuricaemia_unconfirmed"},
        HUA + ": 420 is not >420",
    ),
    ({"ua": 400}, "M", None, ("hyperuricaemia",), set(), HUA + ": known, <420 without comorbidity"),
    (
        {"ua": 400},
        "M",
        None,
        ("hyperuricaemia", "hypertension"),
        {"uric_acid.not_at_goal"},
        HUA + ": <360 with comorbidity",
    ),
    ({"egfr": 55}, "M", None, (), {"kidney.egfr_reduced"}, KDIGO + ": <60 once"),
    (
        {"egfr": 55},
        "M",
        {"egfr": 58},
        (),
        {"kidney.egfr_reduced_persistent"},
        KDIGO + ": <60 twice",
    ),
    ({"egfr": 55}, "M", None, ("ckd",), set(), KDIGO + ": known CKD"),
    ({"bmi": 18.4}, "M", None, (), {"body.underweight"}, W428),
    ({"bmi": 25.0}, "M", None, (), {"body.overweight"}, W428),
    ({"bmi": 28.0}, "M", None, (), {"body.obesity"}, W428),
    ({"waist": 86}, "M", None, (), {"body.pre_central_obesity"}, W428 + ": men 85–<90"),
    ({"waist": 86}, "F", None, (), {"body.central_obesity"}, W428 + ": women ≥85"),
]


@pytest.mark.parametrize(
    ("values", "sex", "previous", "known", "expected", "source"),
    SCENARIOS,
    ids=[c[5] for c in SCENARIOS],
)
def test_guideline_criteria(
    values: dict[str, Any],
    sex: str,
    previous: dict[str, Any] | None,
    known: tuple[str, ...],
    expected: set[str],
    source: str,
) -> None:
    demographics = MAN if sex == "M" else WOMAN
    assert set(criteria(values, demographics, previous, known)) == expected, source


def test_isolated_systolic_hypertension_is_named_in_the_category() -> None:
    found = criteria({"sbp": 150, "dbp": 85})["bp.grade_1"]
    assert found.category == "isolated_systolic_hypertension"  # 2018 guideline: ≥140 and <90
    assert found.inputs == (("sbp", 150.0), ("dbp", 85.0))
    assert "3 separate days" in found.threshold


def test_unconfirmed_diabetes_is_a_confirmation_finding_with_previous_inputs() -> None:
    found = criteria({"glu": 7.2}, previous={"glu": 5.0})["glucose.diabetes_range_unconfirmed"]
    assert (found.kind, found.category) == ("confirmation", "needs_confirmation")
    assert ("prev.glu", 5.0) in found.inputs
    assert T2DM.replace("2020", "(2020年版)") in found.source


def test_dyslipidaemia_type_follows_the_guideline_classification() -> None:
    # 中国血脂管理指南2023: high TC + high TG is mixed; low HDL-C alone is its own type.
    assert criteria({"tc": 6.5, "tg": 2.5})["lipids.dyslipidaemia"].category == "mixed"
    assert criteria({"tg": 2.5, "tc": 5.0})["lipids.dyslipidaemia"].category == (
        "hypertriglyceridaemia"
    )
    assert criteria({"hdl": 0.9, "tc": 5.0})["lipids.dyslipidaemia"].category == "low_hdl"


def test_gfr_g5_is_critical() -> None:
    # KDIGO 2012: G5 (<15) is kidney failure.
    found = criteria({"egfr": 12})["kidney.egfr_reduced"]
    assert (found.severity, found.category, found.interpretation) == ("critical", "G5", "L")


def test_metabolic_syndrome_counts_known_conditions_as_components() -> None:
    # CDS 2020: treated diabetes and treated hypertension count as components.
    values = {"waist": 92, "tg": 1.2, "hdl": 1.3, "glu": 5.0, "sbp": 120, "dbp": 75}
    assert "mets.metabolic_syndrome" not in criteria(values)
    found = criteria(values, known=("diabetes", "hypertension"))["mets.metabolic_syndrome"]
    assert ("components_met", 3.0) in found.inputs, CDS


def test_unknown_known_condition_is_rejected() -> None:
    with pytest.raises(ValueError, match="hypertensio"):
        screen_one({}, MAN, None, ["hypertensio"])


def test_non_numeric_value_is_rejected_naming_the_code() -> None:
    with pytest.raises(ValueError, match="'hb'"):
        screen_one({"hb": "high"}, MAN)


def test_derived_values_are_computed_when_absent() -> None:
    # WHO BMI from height/weight; CKD-EPI 2021 eGFR from creatinine (NKF example: 55 y man,
    # Scr 1.2 mg/dL = 106.08 µmol/L -> 71).
    found = screen_one(
        {"weight": 90, "height": 175, "creat": 106.08}, Demographics("M", 55), include_normal=True
    )
    by_analyte = {f.analyte: f for f in found if f.kind == "grade"}
    # 90 / 1.75² = 29.387…, shown and graded at one decimal (ruleset 'display').
    assert by_analyte["bmi"].inputs == (("bmi", 29.4), ("weight", 90.0), ("height", 175.0))
    assert by_analyte["egfr"].inputs == (
        ("egfr", 71.0),
        ("creat", 106.08),
        ("sex", "M"),
        ("age", 55.0),
    )
