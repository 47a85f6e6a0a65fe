"""Metabolic criteria: glycaemia (2020 T2DM guideline), lipids (2023), urate (2019).

A known condition suppresses the repeat diagnosis and tracks control instead; a diagnosis the
guideline says needs a second occasion is reported as needing confirmation unless the previous
checkup already showed it.
"""

from __future__ import annotations

import numpy as np

from health.rules import body, glucose, lipids, uric_acid
from health.rules._arrays import YES
from health.screening.batch import Batch
from health.screening.criteria_emit import Emitter, flag, pick


def glucose_criteria(b: Batch, emit: Emitter) -> None:
    """IFG, diabetes range (confirmed or not) and, if known, glycaemic control."""
    glu, a1c = b.value("glu"), b.value("hba1c")
    known = b.is_known("diabetes")
    now = glucose.diabetes_range(glu, a1c) == YES
    before = glucose.diabetes_range(b.prev("glu"), b.prev("hba1c")) == YES
    inputs = [("glu", glu), ("hba1c", a1c)]
    with_previous = [*inputs, ("prev.glu", b.prev("glu")), ("prev.hba1c", b.prev("hba1c"))]
    dx = (
        f"FPG ≥ {glucose.FPG_DIABETES:g} mmol/L or HbA1c ≥ {glucose.HBA1C_DIABETES:g} %, "
        "on two different days"
    )
    emit(
        "glucose.diabetes_range_unconfirmed",
        ~known & now & ~before,
        severity="abnormal",
        interpretation="H",
        category="needs_confirmation",
        threshold=dx,
        source=glucose.SOURCE,
        inputs=with_previous,
        kind="confirmation",
    )
    emit(
        "glucose.diabetes_confirmed",
        ~known & now & before,
        severity="abnormal",
        interpretation="H",
        category="diabetes",
        threshold=dx,
        source=glucose.SOURCE,
        inputs=with_previous,
    )
    emit(
        "glucose.ifg",
        ~known & ~now & (glucose.fpg_category(glu) == glucose.FPGCategory.IFG),
        severity="borderline",
        interpretation="H",
        category="ifg",
        threshold=f"{glucose.FPG_IFG:g} ≤ FPG < {glucose.FPG_DIABETES:g} mmol/L",
        source=glucose.SOURCE,
        inputs=inputs,
    )
    has_a1c = ~np.isnan(a1c)
    low = ~has_a1c & (glu < glucose.FPG_GOAL_LOW)
    emit(
        "glucose.not_at_goal",
        known & (glucose.at_goal(glu, a1c) == 0),
        severity="abnormal",
        interpretation=pick(low, "L", "H"),
        category=np.where(
            has_a1c, "hba1c_above_goal", np.where(low, "fpg_below_goal", "fpg_above_goal")
        ).astype(object),
        threshold=f"HbA1c < {glucose.HBA1C_GOAL:g} % (without HbA1c: FPG "
        f"{glucose.FPG_GOAL_LOW:g}–{glucose.FPG_GOAL_HIGH:g} mmol/L)",
        source=glucose.SOURCE,
        inputs=inputs,
        kind="control",
    )


def lipid_criteria(b: Batch, emit: Emitter) -> None:
    """Dyslipidaemia and its type, borderline lipids, severe TG and, if known, the LDL goal."""
    tc, tg, ldl, hdl, non_hdl = (b.value(c) for c in ("tc", "tg", "ldl", "hdl", "non_hdl"))
    inputs = [("tc", tc), ("tg", tg), ("ldl", ldl), ("hdl", hdl), ("non_hdl", non_hdl)]
    known = b.is_known("dyslipidaemia")
    chol = lipids.high_cholesterol(tc, ldl, non_hdl) == YES
    trig = lipids.high_triglycerides(tg) == YES
    category = np.where(
        chol & trig,
        "mixed",
        np.where(chol, "hypercholesterolaemia", np.where(trig, "hypertriglyceridaemia", "low_hdl")),
    ).astype(object)
    emit(
        "lipids.dyslipidaemia",
        ~known & (lipids.dyslipidaemia(tc, tg, ldl, hdl, non_hdl) == YES),
        severity="abnormal",
        interpretation="A",
        category=category,
        threshold=f"TC ≥ {lipids.TC_HIGH:g}, LDL-C ≥ {lipids.LDL_HIGH:g}, non-HDL-C ≥ "
        f"{lipids.NON_HDL_HIGH:g}, TG ≥ {lipids.TG_HIGH:g} or HDL-C < {lipids.HDL_LOW:g} mmol/L",
        source=lipids.SOURCE,
        inputs=inputs,
    )
    emit(
        "lipids.borderline",
        ~known & (lipids.borderline_only(tc, tg, ldl, non_hdl) == YES),
        severity="borderline",
        interpretation="H",
        category="borderline_high",
        threshold="a lipid in the 边缘升高 (borderline high) range and none 升高",
        source=lipids.SOURCE,
        inputs=inputs,
    )
    emit(
        "lipids.severe_hypertriglyceridaemia",
        lipids.severe_hypertriglyceridaemia(tg) == YES,
        severity="abnormal",
        interpretation="H",
        category="severe_hypertriglyceridaemia",
        threshold=f"TG ≥ {lipids.TG_SEVERE:g} mmol/L",
        source=lipids.SOURCE,
        inputs=[("tg", tg)],
    )
    emit(
        "lipids.ldl_not_at_goal",
        known & (lipids.ldl_at_goal(ldl) == 0),
        severity="abnormal",
        interpretation="H",
        category="ldl_above_goal",
        threshold=f"LDL-C < {lipids.LDL_GOAL_LOW_MODERATE_RISK:g} mmol/L (low/moderate risk)",
        source=lipids.SOURCE,
        inputs=[("ldl", ldl)],
        kind="control",
    )


def uric_acid_criteria(b: Batch, emit: Emitter) -> None:
    """Hyperuricaemia (confirmed or not) and, if known, the urate target."""
    ua, before_ua = b.value("ua"), b.prev("ua")
    known = b.is_known("hyperuricaemia")
    now = uric_acid.hyperuricaemia_range(ua) == YES
    before = uric_acid.hyperuricaemia_range(before_ua) == YES
    threshold = f"SUA > {uric_acid.HYPERURICAEMIA:g} µmol/L on two different days"
    inputs = [("ua", ua), ("prev.ua", before_ua)]
    emit(
        "uric_acid.hyperuricaemia_unconfirmed",
        ~known & now & ~before,
        severity="abnormal",
        interpretation="H",
        category="needs_confirmation",
        threshold=threshold,
        source=uric_acid.SOURCE,
        inputs=inputs,
        kind="confirmation",
    )
    emit(
        "uric_acid.hyperuricaemia_confirmed",
        ~known & now & before,
        severity="abnormal",
        interpretation="H",
        category="hyperuricaemia",
        threshold=threshold,
        source=uric_acid.SOURCE,
        inputs=inputs,
    )
    comorbid = (
        b.is_known("hypertension")
        | b.is_known("diabetes")
        | b.is_known("dyslipidaemia")
        | b.is_known("ckd")
        | (body.bmi_category(b.value("bmi")) == body.BMICategory.OBESE)
    )
    emit(
        "uric_acid.not_at_goal",
        known & (uric_acid.at_goal(ua, comorbid) == 0),
        severity="abnormal",
        interpretation="H",
        category="above_goal",
        threshold=pick(
            comorbid,
            f"SUA < {uric_acid.GOAL_WITH_COMORBIDITY:g} µmol/L (with comorbidity)",
            f"SUA < {uric_acid.GOAL:g} µmol/L",
        ),
        source=uric_acid.SOURCE,
        inputs=[("ua", ua), ("comorbidity", flag(comorbid))],
        kind="control",
    )
