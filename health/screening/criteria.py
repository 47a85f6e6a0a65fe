"""Guideline criteria across values: BP grade, glycaemia, lipids, urate, kidney, body, MetS.

Thresholds live in health.rules (each beside its citation); these modules decide which finding
each result pattern produces (metabolic families in criteria_metabolic).
"""

from __future__ import annotations

import numpy as np

from health.rules import blood_pressure as bp
from health.rules import body, kidney, metabolic_syndrome
from health.rules._arrays import YES
from health.screening.batch import Batch
from health.screening.criteria_emit import Emitter, flag, pick
from health.screening.criteria_metabolic import (
    glucose_criteria,
    lipid_criteria,
    uric_acid_criteria,
)
from health.screening.hits import Hits
from health.screening.ruleset import Ruleset

BP_GRADES = {
    bp.BPCategory.GRADE_1: (
        "bp.grade_1",
        f"SBP {bp.SBP_GRADE_1:g}–{bp.SBP_GRADE_2 - 1:g} and/or "
        f"DBP {bp.DBP_GRADE_1:g}–{bp.DBP_GRADE_2 - 1:g} mmHg",
    ),
    bp.BPCategory.GRADE_2: (
        "bp.grade_2",
        f"SBP {bp.SBP_GRADE_2:g}–{bp.SBP_GRADE_3 - 1:g} and/or "
        f"DBP {bp.DBP_GRADE_2:g}–{bp.DBP_GRADE_3 - 1:g} mmHg",
    ),
    bp.BPCategory.GRADE_3: (
        "bp.grade_3",
        f"SBP ≥{bp.SBP_GRADE_3:g} and/or DBP ≥{bp.DBP_GRADE_3:g} mmHg",
    ),
}
BP_LABELS = np.array(["normal", "high_normal", "grade_1", "grade_2", "grade_3"], dtype=object)


def _blood_pressure(b: Batch, emit: Emitter) -> None:
    sbp, dbp = b.value("sbp"), b.value("dbp")
    category = bp.bp_category(sbp, dbp)
    inputs = [("sbp", sbp), ("dbp", dbp)]
    treated = b.is_known("hypertension")
    emit(
        "bp.high_normal",
        ~treated & (category == bp.BPCategory.HIGH_NORMAL),
        severity="borderline",
        interpretation="H",
        category="high_normal",
        threshold=f"SBP {bp.SBP_HIGH_NORMAL:g}–{bp.SBP_GRADE_1 - 1:g} and/or DBP "
        f"{bp.DBP_HIGH_NORMAL:g}–{bp.DBP_GRADE_1 - 1:g} mmHg",
        source=bp.SOURCE,
        inputs=inputs,
    )
    isolated = bp.isolated_systolic(sbp, dbp) == YES
    for grade, (rule_id, threshold) in BP_GRADES.items():
        emit(
            rule_id,
            ~treated & (category == grade),
            severity="abnormal",
            interpretation="H",
            category=pick(isolated, "isolated_systolic_hypertension", "hypertension"),
            threshold=threshold + "; diagnosis needs readings on 3 separate days",
            source=bp.SOURCE,
            inputs=inputs,
        )
    emit(
        "bp.not_at_goal",
        treated & (bp.at_goal(sbp, dbp) == 0),
        severity="abnormal",
        interpretation="H",
        category=BP_LABELS[np.clip(category, 0, 4)],
        threshold=f"treated goal SBP <{bp.GOAL_SBP:g} and DBP <{bp.GOAL_DBP:g} mmHg",
        source=bp.SOURCE,
        inputs=inputs,
        kind="control",
    )


BMI_RULES = (
    (
        "body.underweight",
        body.BMICategory.UNDERWEIGHT,
        "abnormal",
        "L",
        f"BMI < {body.BMI_NORMAL:g}",
    ),
    (
        "body.overweight",
        body.BMICategory.OVERWEIGHT,
        "borderline",
        "H",
        f"{body.BMI_OVERWEIGHT:g} ≤ BMI < {body.BMI_OBESE:g}",
    ),
    ("body.obesity", body.BMICategory.OBESE, "abnormal", "H", f"BMI ≥ {body.BMI_OBESE:g}"),
)


def _body(b: Batch, emit: Emitter) -> None:
    bmi = b.value("bmi")
    category = body.bmi_category(bmi)
    for rule_id, wanted, severity, code, threshold in BMI_RULES:
        emit(
            rule_id,
            category == wanted,
            severity=severity,
            interpretation=code,
            category=rule_id.split(".")[1],
            threshold=threshold + " kg/m2",
            source=body.SOURCE,
            inputs=[("bmi", bmi)],
        )
    waist = b.value("waist")
    waist_category = body.waist_category(waist, b.sex)
    male = b.sex == "M"
    pre, central = body.WAIST_PRE_CENTRAL, body.WAIST_CENTRAL
    emit(
        "body.pre_central_obesity",
        waist_category == body.WaistCategory.PRE_CENTRAL_OBESITY,
        severity="borderline",
        interpretation="H",
        category="pre_central_obesity",
        threshold=pick(
            male,
            f"{pre['M']:g} ≤ waist < {central['M']:g} cm (men)",
            f"{pre['F']:g} ≤ waist < {central['F']:g} cm (women)",
        ),
        source=body.SOURCE,
        inputs=[("waist", waist), ("sex", b.sex)],
    )
    emit(
        "body.central_obesity",
        waist_category == body.WaistCategory.CENTRAL_OBESITY,
        severity="abnormal",
        interpretation="H",
        category="central_obesity",
        threshold=pick(
            male, f"waist ≥ {central['M']:g} cm (men)", f"waist ≥ {central['F']:g} cm (women)"
        ),
        source=body.SOURCE,
        inputs=[("waist", waist), ("sex", b.sex)],
    )


GFR_LABELS = np.array(["G1", "G2", "G3a", "G3b", "G4", "G5"], dtype=object)


def _kidney(b: Batch, emit: Emitter) -> None:
    egfr, before = b.value("egfr"), b.prev("egfr")
    known = b.is_known("ckd")
    now = kidney.reduced(egfr) == YES
    was = kidney.reduced(before) == YES
    stage = kidney.gfr_category(egfr)
    label = GFR_LABELS[np.clip(stage, 0, 5)]
    severity = pick(stage == kidney.GFRCategory.G5, "critical", "abnormal")
    inputs = [("egfr", egfr), ("prev.egfr", before)]
    below = f"eGFR < {kidney.CKD_BELOW:g} mL/min/1.73m2"
    emit(
        "kidney.egfr_reduced",
        ~known & now & ~was,
        severity=severity,
        interpretation="L",
        category=label,
        threshold=below + "; CKD needs >3 months",
        source=kidney.SOURCE,
        inputs=inputs,
        kind="confirmation",
    )
    emit(
        "kidney.egfr_reduced_persistent",
        ~known & now & was,
        severity=severity,
        interpretation="L",
        category=label,
        threshold=below + " at this and the previous checkup",
        source=kidney.SOURCE,
        inputs=inputs,
    )


def _metabolic_syndrome(b: Batch, emit: Emitter) -> None:
    mets = metabolic_syndrome.assess(
        waist_cm=b.value("waist"),
        sex=b.sex,
        glu=b.value("glu"),
        known_diabetes=b.is_known("diabetes"),
        sbp=b.value("sbp"),
        dbp=b.value("dbp"),
        known_hypertension=b.is_known("hypertension"),
        tg=b.value("tg"),
        hdl=b.value("hdl"),
    )
    emit(
        "mets.metabolic_syndrome",
        mets.status == YES,
        severity="abnormal",
        interpretation="A",
        category="metabolic_syndrome",
        threshold=f"≥ {metabolic_syndrome.REQUIRED} of 5 CDS 2020 components",
        source=metabolic_syndrome.SOURCE,
        inputs=[
            ("waist", b.value("waist")),
            ("sex", b.sex),
            ("glu", b.value("glu")),
            ("sbp", b.value("sbp")),
            ("dbp", b.value("dbp")),
            ("tg", b.value("tg")),
            ("hdl", b.value("hdl")),
            ("known.diabetes", flag(b.is_known("diabetes"))),
            ("known.hypertension", flag(b.is_known("hypertension"))),
            ("components_met", mets.count.astype(np.float64)),
        ],
    )


def criteria_hits(batch: Batch, ruleset: Ruleset) -> list[Hits]:
    """Every enabled guideline criterion, in a fixed order."""
    emit = Emitter(ruleset)
    for family in (
        _blood_pressure,
        _body,
        glucose_criteria,
        lipid_criteria,
        uric_acid_criteria,
        _kidney,
        _metabolic_syndrome,
    ):
        family(batch, emit)
    return emit.blocks
