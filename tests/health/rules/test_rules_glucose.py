"""FPG and HbA1c categories and glycaemic control at every 2020-guideline cut-off."""

from __future__ import annotations

import numpy as np
import pytest

from health.rules.glucose import (
    FPGCategory,
    at_goal,
    diabetes_range,
    fpg_category,
    hba1c_diabetes_range,
)

STATUS = "中国2型糖尿病防治指南2020, 糖代谢状态分类"
DX = "中国2型糖尿病防治指南2020, 糖尿病的诊断标准"
GOAL = "中国2型糖尿病防治指南2020, 综合控制目标 (HbA1c <7.0 %, FPG 4.4–7.0)"
F = FPGCategory


@pytest.mark.parametrize(
    ("glu", "expected", "source"),
    [
        (6.0, F.NORMAL, STATUS + ": normal FPG <6.1"),
        (6.09, F.NORMAL, STATUS),
        (6.1, F.IFG, STATUS + ": IFG 6.1 ≤ FPG <7.0"),
        (6.11, F.IFG, STATUS),
        (6.99, F.IFG, STATUS),
        (7.0, F.DIABETES_RANGE, DX + ": FPG ≥7.0"),
        (7.01, F.DIABETES_RANGE, DX),
        (np.nan, F.MISSING, "missing stays missing"),
    ],
)
def test_fpg_category_at_each_cut_off(glu: float, expected: FPGCategory, source: str) -> None:
    assert fpg_category([glu])[0] == expected, source


@pytest.mark.parametrize(
    ("hba1c", "expected", "source"),
    [
        (6.4, 0, DX + ": HbA1c below 6.5"),
        (6.49, 0, DX),
        (6.5, 1, DX + ": HbA1c ≥6.5 %"),
        (6.51, 1, DX),
        (np.nan, -1, "missing is unknown"),
    ],
)
def test_hba1c_diabetes_range_at_cut_off(hba1c: float, expected: int, source: str) -> None:
    assert hba1c_diabetes_range([hba1c])[0] == expected, source


@pytest.mark.parametrize(
    ("glu", "hba1c", "expected", "source"),
    [
        (7.0, np.nan, 1, DX + ": FPG alone"),
        (5.0, 6.5, 1, DX + ": HbA1c alone"),
        (5.0, 6.4, 0, DX + ": neither"),
        (5.0, np.nan, -1, "HbA1c not measured: it cannot be ruled out"),
        (np.nan, np.nan, -1, "nothing measured"),
    ],
)
def test_diabetes_range_is_either_criterion(
    glu: float, hba1c: float, expected: int, source: str
) -> None:
    assert diabetes_range([glu], [hba1c])[0] == expected, source


@pytest.mark.parametrize(
    ("glu", "hba1c", "expected", "source"),
    [
        (9.0, 6.99, 1, GOAL + ": HbA1c decides when present"),
        (5.0, 7.0, 0, GOAL + ": HbA1c 7.0 is not <7.0"),
        (5.0, 7.01, 0, GOAL),
        (7.0, np.nan, 1, GOAL + ": FPG 7.0 is within 4.4–7.0"),
        (7.01, np.nan, 0, GOAL + ": FPG above 7.0"),
        (4.4, np.nan, 1, GOAL + ": FPG 4.4 is within 4.4–7.0"),
        (4.39, np.nan, 0, GOAL + ": FPG below 4.4"),
        (np.nan, np.nan, -1, "nothing measured"),
    ],
)
def test_glycaemic_control_goal(glu: float, hba1c: float, expected: int, source: str) -> None:
    assert at_goal([glu], [hba1c])[0] == expected, source
