"""Blood-pressure classification at, just below and just above every 2018-guideline cut-off."""

from __future__ import annotations

import numpy as np
import pytest

from health.rules.blood_pressure import (
    BPCategory,
    at_goal,
    bp_category,
    dbp_category,
    isolated_systolic,
    sbp_category,
)

CLASS = "中国高血压防治指南2018年修订版, 血压水平分类和定义"
ISH = "中国高血压防治指南2018年修订版, 单纯收缩期高血压 SBP ≥140 and DBP <90"
GOAL = "中国高血压防治指南2018年修订版, 降压目标 <140/90 mmHg"

C = BPCategory

SBP_CASES = [
    (119.9, C.NORMAL, CLASS + ": normal SBP <120"),
    (120.0, C.HIGH_NORMAL, CLASS + ": high-normal SBP 120–139"),
    (120.1, C.HIGH_NORMAL, CLASS),
    (139.9, C.HIGH_NORMAL, CLASS),
    (140.0, C.GRADE_1, CLASS + ": grade 1 SBP 140–159"),
    (140.1, C.GRADE_1, CLASS),
    (159.9, C.GRADE_1, CLASS),
    (160.0, C.GRADE_2, CLASS + ": grade 2 SBP 160–179"),
    (160.1, C.GRADE_2, CLASS),
    (179.9, C.GRADE_2, CLASS),
    (180.0, C.GRADE_3, CLASS + ": grade 3 SBP ≥180"),
    (180.1, C.GRADE_3, CLASS),
    (np.nan, C.MISSING, "missing stays missing"),
]

DBP_CASES = [
    (79.9, C.NORMAL, CLASS + ": normal DBP <80"),
    (80.0, C.HIGH_NORMAL, CLASS + ": high-normal DBP 80–89"),
    (80.1, C.HIGH_NORMAL, CLASS),
    (89.9, C.HIGH_NORMAL, CLASS),
    (90.0, C.GRADE_1, CLASS + ": grade 1 DBP 90–99"),
    (90.1, C.GRADE_1, CLASS),
    (99.9, C.GRADE_1, CLASS),
    (100.0, C.GRADE_2, CLASS + ": grade 2 DBP 100–109"),
    (100.1, C.GRADE_2, CLASS),
    (109.9, C.GRADE_2, CLASS),
    (110.0, C.GRADE_3, CLASS + ": grade 3 DBP ≥110"),
    (110.1, C.GRADE_3, CLASS),
    (np.nan, C.MISSING, "missing stays missing"),
]


@pytest.mark.parametrize(("sbp", "expected", "source"), SBP_CASES)
def test_sbp_category_at_each_cut_off(sbp: float, expected: BPCategory, source: str) -> None:
    assert sbp_category([sbp])[0] == expected, source


@pytest.mark.parametrize(("dbp", "expected", "source"), DBP_CASES)
def test_dbp_category_at_each_cut_off(dbp: float, expected: BPCategory, source: str) -> None:
    assert dbp_category([dbp])[0] == expected, source


@pytest.mark.parametrize(
    ("sbp", "dbp", "expected", "source"),
    [
        (119, 79, C.NORMAL, CLASS + ": normal needs both <120 and <80"),
        (119, 80, C.HIGH_NORMAL, CLASS + ": the higher category applies"),
        (150, 70, C.GRADE_1, CLASS + ": the higher category applies (SBP)"),
        (130, 105, C.GRADE_2, CLASS + ": the higher category applies (DBP)"),
        (175, 112, C.GRADE_3, CLASS + ": the higher category applies (DBP grade 3)"),
        (185, 60, C.GRADE_3, CLASS),
        (np.nan, 85, C.MISSING, "a pair needs both values"),
        (150, np.nan, C.MISSING, "a pair needs both values"),
    ],
)
def test_bp_category_takes_the_higher_of_sbp_and_dbp(
    sbp: float, dbp: float, expected: BPCategory, source: str
) -> None:
    assert bp_category([sbp], [dbp])[0] == expected, source


@pytest.mark.parametrize(
    ("sbp", "dbp", "expected", "source"),
    [
        (139.9, 70, 0, ISH + ": SBP below 140"),
        (140.0, 89.9, 1, ISH + ": SBP at 140, DBP just below 90"),
        (140.1, 70, 1, ISH),
        (160.0, 90.0, 0, ISH + ": DBP at 90 is not isolated"),
        (160.0, 90.1, 0, ISH),
        (np.nan, 70, -1, "unknown without SBP"),
    ],
)
def test_isolated_systolic_hypertension(sbp: float, dbp: float, expected: int, source: str) -> None:
    assert isolated_systolic([sbp], [dbp])[0] == expected, source


@pytest.mark.parametrize(
    ("sbp", "dbp", "expected", "source"),
    [
        (139.9, 89.9, 1, GOAL + ": just below both"),
        (140.0, 80.0, 0, GOAL + ": SBP at 140 is not at goal"),
        (140.1, 80.0, 0, GOAL),
        (130.0, 90.0, 0, GOAL + ": DBP at 90 is not at goal"),
        (130.0, 90.1, 0, GOAL),
        (130.0, np.nan, -1, "unknown without DBP"),
    ],
)
def test_treated_bp_goal_is_below_140_over_90(
    sbp: float, dbp: float, expected: int, source: str
) -> None:
    assert at_goal([sbp], [dbp])[0] == expected, source
