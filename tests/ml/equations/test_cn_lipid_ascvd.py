"""Chinese dyslipidaemia guideline ASCVD stratification: every cell of Figure 1 (2016)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from ml.equations import EQUATIONS, evaluate

STRAT = EQUATIONS["cn_lipid_ascvd"]
SOURCE = "中国成人血脂异常防治指南(2016年修订版) 图1; 中国血脂管理指南(2023年) 图1"
L, M, H = "low", "moderate", "high"
# Figure 1 10-year table: [hypertension][risk factors][LDL-C stratum]
FIGURE_1 = {
    False: [[L, L, L], [L, L, L], [L, L, M], [L, M, M]],
    True: [[L, L, L], [L, M, M], [M, H, H], [H, H, H]],
}
LDL_OF_STRATUM = (2.0, 3.0, 4.0)  # 1.8–<2.6, 2.6–<3.4, 3.4–<4.9 mmol/L


def _row(**overrides: object) -> dict[str, list[object]]:
    row: dict[str, object] = {
        "age": 30,
        "sex": "M",
        "tc": 3.0,
        "ldl": 2.0,
        "hdl": 1.3,
        "non_hdl": 3.0,
        "sbp": 120,
        "dbp": 75,
        "bmi": 22,
        "smoker": 0,
        "hypertension": 0,
        "diabetes": 0,
    }
    row.update(overrides)
    return {k: [v] for k, v in row.items()}


def _band(**overrides: object) -> str:
    result = evaluate(STRAT, _row(**overrides))
    return STRAT.spec.bands[int(result.band[0])].code


def _factors(count: int) -> dict[str, object]:
    """Risk factors: age ≥ 45 (a man of 60, past the lifetime step's 55), smoking, HDL-C < 1.0."""
    return {
        "age": 60 if count >= 1 else 30,
        "smoker": int(count >= 2),
        "hdl": 0.9 if count >= 3 else 1.3,
    }


@pytest.mark.parametrize(
    ("hypertension", "factors", "stratum"),
    list(itertools.product([False, True], range(4), range(3))),
)
def test_every_cell_of_figure_1(hypertension: bool, factors: int, stratum: int) -> None:
    overrides = _factors(factors) | {
        "hypertension": int(hypertension),
        "ldl": LDL_OF_STRATUM[stratum],
    }
    assert _band(**overrides) == FIGURE_1[hypertension][factors][stratum], SOURCE


@pytest.mark.parametrize(
    ("field", "value", "stratum"),
    [
        ("ldl", 1.8, 1),
        ("ldl", 2.59, 1),
        ("ldl", 2.6, 2),
        ("ldl", 3.39, 2),
        ("ldl", 3.4, 3),
        ("ldl", 4.89, 3),
        ("tc", 3.1, 1),
        ("tc", 4.09, 1),
        ("tc", 4.1, 2),
        ("tc", 5.19, 2),
        ("tc", 5.2, 3),
        ("tc", 7.19, 3),
    ],
)
def test_ldl_or_tc_stratum_edges(field: str, value: float, stratum: int) -> None:
    """With hypertension and 1 factor the row reads L / M / M, so stratum 1 differs."""
    other = {"ldl": 1.0} if field == "tc" else {"tc": 2.0}
    band = _band(hypertension=1, smoker=1, age=30, **{field: value}, **other)
    assert band == (L if stratum == 1 else M), SOURCE


def test_ldl_4_9_or_tc_7_2_is_high_directly() -> None:
    assert _band(ldl=4.9) == H, SOURCE
    assert _band(ldl=4.89) == L
    assert _band(tc=7.2, ldl=1.0) == H, SOURCE


def test_diabetes_from_40_with_ldl_1_8_is_high() -> None:
    assert _band(diabetes=1, age=40, ldl=1.8) == H, SOURCE
    assert _band(diabetes=1, age=39, ldl=1.8) == L


def test_lifetime_step_raises_moderate_under_55_with_two_factors() -> None:
    """No hypertension, 3 risk factors (man ≥ 45, smoking, HDL-C < 1.0), LDL-C stratum 2 is
    moderate in the table; smoking and HDL-C < 1.0 are also two lifetime factors, so under 55
    the band is high, and at 55 it stays moderate."""
    base = {"smoker": 1, "hdl": 0.9, "ldl": 3.0}
    assert _band(**base, age=54) == H, SOURCE
    assert _band(**base, age=55) == M, SOURCE


def test_lifetime_step_needs_two_factors() -> None:
    """Hypertension and smoking (1 factor, man under 45), stratum 2: moderate; BMI ≥ 28 is the
    second lifetime factor."""
    base = {"hypertension": 1, "smoker": 1, "ldl": 3.0, "age": 40}
    assert _band(**base) == M
    assert _band(**base, bmi=27.9) == M
    assert _band(**base, bmi=28) == H, SOURCE
    assert _band(**base, sbp=160) == H, SOURCE
    assert _band(**base, dbp=100) == H, SOURCE
    assert _band(**base, non_hdl=5.2) == H, SOURCE


def test_below_the_table_is_not_applicable() -> None:
    result = evaluate(STRAT, _row(tc=3.0, ldl=1.7))
    assert not result.applicable[0]
    assert np.isnan(result.value[0])
