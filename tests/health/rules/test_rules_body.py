"""BMI and waist categories at, just below and just above every WS/T 428-2013 cut-off."""

from __future__ import annotations

import numpy as np
import pytest

from health.rules.body import BMICategory, WaistCategory, bmi_category, waist_category

T1 = "WS/T 428-2013 Table 1 (BMI)"
T2 = "WS/T 428-2013 Table 2 (waist circumference)"
B = BMICategory
W = WaistCategory


@pytest.mark.parametrize(
    ("bmi", "expected", "source"),
    [
        (18.4, B.UNDERWEIGHT, T1 + ": underweight <18.5"),
        (18.5, B.NORMAL, T1 + ": normal 18.5 ≤ BMI <24"),
        (18.6, B.NORMAL, T1),
        (23.9, B.NORMAL, T1),
        (24.0, B.OVERWEIGHT, T1 + ": overweight 24 ≤ BMI <28"),
        (24.1, B.OVERWEIGHT, T1),
        (27.9, B.OVERWEIGHT, T1),
        (28.0, B.OBESE, T1 + ": obese ≥28"),
        (28.1, B.OBESE, T1),
        (np.nan, B.MISSING, "missing stays missing"),
    ],
)
def test_bmi_category_at_each_cut_off(bmi: float, expected: BMICategory, source: str) -> None:
    assert bmi_category([bmi])[0] == expected, source


@pytest.mark.parametrize(
    ("waist", "sex", "expected", "source"),
    [
        (84.9, "M", W.NORMAL, T2 + ": men normal <85"),
        (85.0, "M", W.PRE_CENTRAL_OBESITY, T2 + ": men pre-central 85–<90"),
        (85.1, "M", W.PRE_CENTRAL_OBESITY, T2),
        (89.9, "M", W.PRE_CENTRAL_OBESITY, T2),
        (90.0, "M", W.CENTRAL_OBESITY, T2 + ": men central ≥90"),
        (90.1, "M", W.CENTRAL_OBESITY, T2),
        (79.9, "F", W.NORMAL, T2 + ": women normal <80"),
        (80.0, "F", W.PRE_CENTRAL_OBESITY, T2 + ": women pre-central 80–<85"),
        (80.1, "F", W.PRE_CENTRAL_OBESITY, T2),
        (84.9, "F", W.PRE_CENTRAL_OBESITY, T2),
        (85.0, "F", W.CENTRAL_OBESITY, T2 + ": women central ≥85"),
        (85.1, "F", W.CENTRAL_OBESITY, T2),
        (95.0, "", W.MISSING, "sex decides the cut-off: unknown without it"),
        (np.nan, "M", W.MISSING, "missing stays missing"),
    ],
)
def test_waist_category_by_sex_at_each_cut_off(
    waist: float, sex: str, expected: WaistCategory, source: str
) -> None:
    assert waist_category([waist], [sex])[0] == expected, source
