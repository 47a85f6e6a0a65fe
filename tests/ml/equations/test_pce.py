"""Pooled Cohort Equations against Goff 2013 Appendix 7 Table A's worked example, and its edges."""

from __future__ import annotations

import numpy as np
import pytest

from ml.equations import EQUATIONS, evaluate
from ml.equations.base import (
    CHOLESTEROL_MG_DL_PER_MMOL_L,
    missing_names,
    outside_reasons,
    prepare,
)
from ml.equations.pce import individual_sum

PCE = EQUATIONS["pce_2013"]
MG = CHOLESTEROL_MG_DL_PER_MMOL_L
TABLE_A = "Goff 2013, Circulation 2014;129(25 Suppl 2):S49, Appendix 7 Table A (p. S70-S71)"

# (sex, race, published 10-year risk %) of the Table A example: 55 years, TC 213 mg/dL,
# HDL 50 mg/dL, untreated SBP 120 mmHg, non-smoker, no diabetes.
WORKED = [
    ("F", "white", 2.1),
    ("F", "african_american", 3.0),
    ("M", "white", 5.3),
    ("M", "african_american", 6.1),
]


def _example(sex: str, race: str, **overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "age": 55,
        "sex": sex,
        "race": race,
        "tc": 213 / MG,
        "hdl": 50 / MG,
        "sbp": 120,
        "bp_treated": 0,
        "smoker": 0,
        "diabetes": 0,
    }
    row.update(overrides)
    return {k: [v] for k, v in row.items()}


@pytest.mark.parametrize(("sex", "race", "published_risk"), WORKED)
def test_pce_reproduces_table_a_worked_example(sex: str, race: str, published_risk: float) -> None:
    """Table A computes from logarithms and products rounded to 2 decimals, so its printed
    risks carry ±0.1 percentage point (white man: 5.38 % unrounded, 5.3 % printed)."""
    result = evaluate(PCE, _example(sex, race))
    assert abs(result.value[0] * 100 - published_risk) <= 0.1, TABLE_A


def test_pce_white_woman_individual_sum_is_minus_29_67() -> None:
    """Table A's individual sum for the white woman, reproduced to its 2 decimals."""
    total = individual_sum(prepare(PCE.spec, _example("F", "white"))[0])[0]
    assert round(total, 2) == -29.68 or round(total, 2) == -29.67, TABLE_A


def test_pce_other_race_uses_the_white_equations() -> None:
    white = evaluate(PCE, _example("M", "white")).value[0]
    other = evaluate(PCE, _example("M", "other")).value[0]
    assert other == white


def test_pce_smoking_and_treatment_raise_the_risk() -> None:
    base = evaluate(PCE, _example("M", "white")).value[0]
    assert evaluate(PCE, _example("M", "white", smoker=1)).value[0] > base
    assert evaluate(PCE, _example("M", "white", bp_treated=1, sbp=140)).value[0] > base


@pytest.mark.parametrize(
    ("field", "value", "inside"),
    [
        ("age", 39.9, False),
        ("age", 40, True),
        ("age", 79, True),
        ("age", 79.1, False),
        ("tc", 129.9 / MG, False),
        ("tc", 130 / MG, True),
        ("tc", 320 / MG, True),
        ("tc", 320.1 / MG, False),
        ("hdl", 19.9 / MG, False),
        ("hdl", 20 / MG, True),
        ("hdl", 100 / MG, True),
        ("hdl", 100.1 / MG, False),
        ("sbp", 89.9, False),
        ("sbp", 90, True),
        ("sbp", 200, True),
        ("sbp", 200.1, False),
    ],
)
def test_pce_domain_edges_answer_not_applicable_outside(
    field: str, value: float, inside: bool
) -> None:
    """Goff 2013: ages 40-79; ACC/AHA risk estimator input ranges for TC, HDL and SBP."""
    result = evaluate(PCE, _example("F", "white", **{field: value}))
    assert bool(result.applicable[0]) is inside
    assert np.isnan(result.value[0]) is not inside
    if not inside:
        assert outside_reasons(PCE.spec, int(result.outside[0]))


def test_pce_missing_smoking_is_named_not_guessed() -> None:
    result = evaluate(PCE, _example("M", "white", smoker=None, bp_treated=None))
    assert np.isnan(result.value[0])
    assert missing_names(PCE.spec, int(result.missing[0])) == ["bp_treated", "smoker"]


@pytest.mark.parametrize(
    ("risk_pct", "band"),
    [
        (4.99, "low"),
        (5.0, "borderline"),
        (7.49, "borderline"),
        (7.5, "intermediate"),
        (19.99, "intermediate"),
        (20.0, "high"),
    ],
)
def test_pce_bands_follow_the_2018_cholesterol_guideline(risk_pct: float, band: str) -> None:
    """Grundy 2018 AHA/ACC cholesterol guideline §4.4.1 risk categories."""
    index = PCE.band_of(np.array([risk_pct / 100]), {})[0]
    assert PCE.spec.bands[index].code == band
