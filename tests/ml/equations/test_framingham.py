"""Framingham general CVD (D'Agostino 2008): coefficients, a reference value, domain edges."""

from __future__ import annotations

import numpy as np
import pytest

from ml.equations import EQUATIONS, evaluate
from ml.equations.base import CHOLESTEROL_MG_DL_PER_MMOL_L, Validation

FRS = EQUATIONS["framingham_cvd_2008"]
MG = CHOLESTEROL_MG_DL_PER_MMOL_L


def _row(**overrides: object) -> dict[str, list[object]]:
    row: dict[str, object] = {
        "age": 55,
        "sex": "M",
        "tc": 213 / MG,
        "hdl": 50 / MG,
        "sbp": 140,
        "bp_treated": 0,
        "smoker": 0,
        "diabetes": 0,
    }
    row.update(overrides)
    return {k: [v] for k, v in row.items()}


def test_framingham_55_year_old_man_is_13_53_percent() -> None:
    """CVrisk R package test ascvd_10y_frs (55 y man, TC 213, HDL 50, SBP 140 untreated) =
    13.53 %; by hand from D'Agostino 2008 Table 2: Σβx = 24.1955, 1 − 0.88936^e^0.2153."""
    assert round(evaluate(FRS, _row()).value[0] * 100, 2) == 13.53


def test_framingham_is_listed_unvalidated_until_a_paper_example_is_reproduced() -> None:
    assert FRS.spec.validation is Validation.UNVALIDATED


@pytest.mark.parametrize(("age", "inside"), [(29.9, False), (30, True), (74, True), (74.1, False)])
def test_framingham_age_domain_30_to_74(age: float, inside: bool) -> None:
    """D'Agostino 2008: participants aged 30-74 at the examination."""
    result = evaluate(FRS, _row(age=age))
    assert bool(result.applicable[0]) is inside
    assert np.isnan(result.value[0]) is not inside


def test_framingham_women_use_their_own_coefficients() -> None:
    assert evaluate(FRS, _row(sex="F")).value[0] < evaluate(FRS, _row()).value[0]
