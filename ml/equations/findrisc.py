"""FINDRISC: Finnish Diabetes Risk Score, points for the 10-year risk of type 2 diabetes.

Source: Lindström J, Tuomilehto J. The Diabetes Risk Score: a practical tool to predict type 2
diabetes risk. Diabetes Care 2003;26:725–731, Table 2 (points) and the FINDRISC form
(bands: <7 low ≈1 %, 7–11 slightly elevated ≈4 %, 12–14 moderate ≈17 %, 15–20 high ≈33 %,
>20 very high ≈50 %). For adults without known diabetes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ml.equations import inputs
from ml.equations.base import (
    Band,
    DomainRule,
    Equation,
    EquationSpec,
    FloatArray,
    IntArray,
    Validation,
    cut,
)


def age_points(age: FloatArray) -> FloatArray:
    """<45: 0, 45–54: 2, 55–64: 3, >64: 4 (completed years)."""
    years = np.floor(age)
    return np.select([years < 45, years < 55, years < 65], [0, 2, 3], 4).astype(np.float64)


def bmi_points(bmi: FloatArray) -> FloatArray:
    """<25: 0, 25–30: 1, >30: 3 kg/m²."""
    return np.select([bmi < 25, bmi <= 30], [0, 1], 3).astype(np.float64)


def waist_points(waist: FloatArray, male: Any) -> FloatArray:
    """Men <94 / 94–102 / >102 cm, women <80 / 80–88 / >88 cm: 0 / 3 / 4."""
    low = np.where(male, 94, 80)
    high = np.where(male, 102, 88)
    return np.select([waist < low, waist <= high], [0, 3], 4).astype(np.float64)


def compute(c: Mapping[str, Any]) -> FloatArray:
    family = c["family_history_diabetes"]
    return np.asarray(
        age_points(c["age"])
        + bmi_points(c["bmi"])
        + waist_points(c["waist"], c["sex"] == "M")
        + np.where(c["physically_active"] == 1, 0, 2)
        + np.where(c["daily_fruit_veg"] == 1, 0, 1)
        + np.where(c["bp_treated"] == 1, 2, 0)
        + np.where(c["high_glucose_history"] == 1, 5, 0)
        + np.select([family == "first_degree", family == "second_degree"], [5, 3], 0),
        dtype=np.float64,
    )


def band_of(value: FloatArray, _: Mapping[str, Any]) -> IntArray:
    return cut(value, (6.5, 11.5, 14.5, 20.5))


SPEC = EquationSpec(
    id="findrisc",
    version="findrisc_2003/1",
    name="FINDRISC",
    outcome="10-year risk of type 2 diabetes (points 0–26)",
    result_unit="{score}",
    citation=(
        "Lindström J, Tuomilehto J. The Diabetes Risk Score. Diabetes Care 2003;26:725-731, "
        "Table 2 and the FINDRISC form"
    ),
    validation=Validation.VALIDATED,
    validation_source="points table of Lindström 2003 Table 2 reproduced at every category edge",
    inputs=(
        inputs.AGE,
        inputs.SEX,
        inputs.BMI,
        inputs.WAIST,
        inputs.ACTIVE,
        inputs.FRUIT_VEG,
        inputs.BP_TREATED,
        inputs.HIGH_GLUCOSE_HISTORY,
        inputs.FAMILY_DIABETES,
        inputs.DIABETES,
    ),
    domain=(
        DomainRule("adults (18 years or older)", lambda c: np.isnan(c["age"]) | (c["age"] >= 18)),
        DomainRule("not for people with known diabetes", lambda c: ~(c["diabetes"] == 1)),
    ),
    bands=(
        Band("low", "low (<7)", "低 (<7分)", "low"),
        Band("slightly_elevated", "slightly elevated (7–11)", "略高 (7–11分)", "low"),
        Band("moderate", "moderate (12–14)", "中等 (12–14分)", "moderate"),
        Band("high", "high (15–20)", "高 (15–20分)", "high"),
        Band("very_high", "very high (>20)", "很高 (>20分)", "high"),
    ),
)

EQUATION = Equation(SPEC, compute, band_of)
