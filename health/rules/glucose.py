"""Glycaemic status from fasting plasma glucose and HbA1c, and glycaemic control.

Source: 中华医学会糖尿病学分会. 中国2型糖尿病防治指南(2020年版) (Guideline for the prevention
and treatment of type 2 diabetes mellitus in China, 2020 edition). 中华糖尿病杂志
2021;13(4):315-409: 糖代谢状态分类 (Table: glucose metabolism status), 糖尿病的诊断标准
(diagnostic criteria; without typical symptoms a diagnosis needs confirmation on another day),
and 综合控制目标 (HbA1c <7.0 %, FPG 4.4–7.0 mmol/L).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Final

import numpy as np
import numpy.typing as npt

from health.rules._arrays import NO, UNKNOWN, YES, IntArray, as_float, tri, tri_any

SOURCE: Final = (
    "中国2型糖尿病防治指南(2020年版) (Chinese guideline for type 2 diabetes, 2020 edition), "
    "中华糖尿病杂志 2021;13(4):315-409"
)


class FPGCategory(IntEnum):
    MISSING = -1
    NORMAL = 0
    IFG = 1
    DIABETES_RANGE = 2


FPG_IFG: Final = 6.1  # 2020 guideline, 糖代谢状态分类: 空腹血糖受损 6.1 ≤ FPG <7.0 mmol/L
FPG_DIABETES: Final = 7.0  # 2020 guideline, 诊断标准: FPG ≥7.0 mmol/L
HBA1C_DIABETES: Final = 6.5  # 2020 guideline, 诊断标准: HbA1c ≥6.5 % (standardised assay)
HBA1C_GOAL: Final = 7.0  # 2020 guideline, 综合控制目标: HbA1c <7.0 % for most adults
FPG_GOAL_LOW: Final = 4.4  # 2020 guideline, 综合控制目标: FPG 4.4–7.0 mmol/L
FPG_GOAL_HIGH: Final = 7.0  # 2020 guideline, 综合控制目标: FPG 4.4–7.0 mmol/L


def fpg_category(glu: npt.ArrayLike) -> IntArray:
    """Glucose-metabolism status by fasting plasma glucose (2020 guideline)."""
    v = as_float(glu)
    category = np.where(
        v >= FPG_DIABETES,
        FPGCategory.DIABETES_RANGE,
        np.where(v >= FPG_IFG, FPGCategory.IFG, FPGCategory.NORMAL),
    )
    return np.where(np.isnan(v), FPGCategory.MISSING, category).astype(np.int8)


def hba1c_diabetes_range(hba1c: npt.ArrayLike) -> IntArray:
    """Tri-state: HbA1c ≥6.5 % (2020 guideline diagnostic criterion)."""
    v = as_float(hba1c)
    return tri(~np.isnan(v), v >= HBA1C_DIABETES)


def diabetes_range(glu: npt.ArrayLike, hba1c: npt.ArrayLike) -> IntArray:
    """Tri-state: FPG or HbA1c in the diabetes range on this occasion."""
    fpg = fpg_category(glu)
    by_fpg = np.where(
        fpg == FPGCategory.MISSING, UNKNOWN, np.where(fpg == FPGCategory.DIABETES_RANGE, YES, NO)
    ).astype(np.int8)
    return tri_any(by_fpg, hba1c_diabetes_range(hba1c))


def at_goal(glu: npt.ArrayLike, hba1c: npt.ArrayLike) -> IntArray:
    """Tri-state control for known diabetes: HbA1c <7.0 %, else FPG 4.4–7.0 if no HbA1c."""
    g, a = as_float(glu), as_float(hba1c)
    by_a1c = a < HBA1C_GOAL
    by_fpg = (g >= FPG_GOAL_LOW) & (g <= FPG_GOAL_HIGH)
    has_a1c = ~np.isnan(a)
    return tri(has_a1c | ~np.isnan(g), np.where(has_a1c, by_a1c, by_fpg))
