"""Chinese Diabetes Risk Score: points for undiagnosed type 2 diabetes, adults 20–74.

Source: Chinese Diabetes Society. Guideline for the prevention and treatment of type 2 diabetes
mellitus in China (2020 edition). Chin J Diabetes Mellit 2021;13:315–409, Table 3 (中国糖尿病
风险评分表), from Zhou X et al. Diabetes Care 2013;36:3944–3952. A total ≥25 calls for an
oral glucose tolerance test (high risk).
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
    between,
    cut,
)

# (lower edges of each category, points) — a value takes the points of the last edge ≤ it.
AGE = ((20, 25, 35, 40, 45, 50, 55, 60, 65), (0, 4, 8, 11, 12, 13, 15, 16, 18))
BMI = ((0, 22, 24, 30), (0, 1, 3, 5))
WAIST_M = ((0, 75, 80, 85, 90, 95), (0, 3, 5, 7, 8, 10))
WAIST_F = ((0, 70, 75, 80, 85, 90), (0, 3, 5, 7, 8, 10))
SBP = ((0, 110, 120, 130, 140, 150, 160), (0, 1, 3, 6, 7, 8, 10))
FAMILY_HISTORY = 6
MALE = 2
HIGH_RISK_FROM = 25


def points(values: FloatArray, table: tuple[tuple[float, ...], tuple[int, ...]]) -> FloatArray:
    """Points of the category each value falls in (categories closed below)."""
    edges, scores = table
    index = np.searchsorted(np.asarray(edges, dtype=float), values, side="right") - 1
    return np.asarray(scores, dtype=np.float64)[np.clip(index, 0, len(scores) - 1)]


def compute(c: Mapping[str, Any]) -> FloatArray:
    male = c["sex"] == "M"
    waist = np.where(male, points(c["waist"], WAIST_M), points(c["waist"], WAIST_F))
    history = c["family_history_diabetes"]
    family = (history == "first_degree") | (history == "second_degree")
    return np.asarray(
        points(np.floor(c["age"]), AGE)
        + np.where(male, MALE, 0)
        + points(c["bmi"], BMI)
        + waist
        + points(c["sbp"], SBP)
        + np.where(family, FAMILY_HISTORY, 0),
        dtype=np.float64,
    )


def band_of(value: FloatArray, _: Mapping[str, Any]) -> IntArray:
    return cut(value, (HIGH_RISK_FROM - 0.5,))


SPEC = EquationSpec(
    id="cdrs",
    version="cdrs_2020/1",
    name="Chinese Diabetes Risk Score",
    outcome="risk of undiagnosed type 2 diabetes (points 0–51; ≥25 high)",
    result_unit="{score}",
    citation=(
        "Chinese Diabetes Society. Guideline for the prevention and treatment of type 2 "
        "diabetes mellitus in China (2020 edition), Table 3; Zhou X et al. Diabetes Care "
        "2013;36:3944-3952"
    ),
    validation=Validation.VALIDATED,
    validation_source="points table (CDS 2020 guideline Table 3) reproduced at every edge",
    inputs=(
        inputs.AGE,
        inputs.SEX,
        inputs.BMI,
        inputs.WAIST,
        inputs.SBP,
        inputs.FAMILY_DIABETES,
        inputs.DIABETES,
    ),
    domain=(
        DomainRule("age 20–74 years", lambda c: between(np.floor(c["age"]), 20, 74)),
        DomainRule("not for people with known diabetes", lambda c: ~(c["diabetes"] == 1)),
    ),
    bands=(
        Band("below_threshold", "below 25 points", "低于25分", "low"),
        Band(
            "high",
            "25 points or more: oral glucose tolerance test advised",
            "≥25分：建议OGTT",
            "moderate",
        ),
    ),
)

EQUATION = Equation(SPEC, compute, band_of)
