"""Blood-lipid levels, dyslipidaemia and the LDL-C goal.

Source: 中国血脂管理指南修订联合专家委员会. 中国血脂管理指南(2023年) (Chinese guideline for lipid
management, 2023). 中国循环杂志 2023;38(3):237-71: Table 中国ASCVD一级预防低危人群主要血脂指标的
参考标准 (same cut-offs as the 2016 revision, 中国成人血脂异常防治指南2016年修订版), the
clinical classification of dyslipidaemia, and LDL-C targets by ASCVD risk.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Final

import numpy as np
import numpy.typing as npt

from health.rules._arrays import IntArray, as_float, tri, tri_any

SOURCE: Final = (
    "中国血脂管理指南(2023年) (Chinese guideline for lipid management, 2023), "
    "中国循环杂志 2023;38(3):237-71"
)


class LipidLevel(IntEnum):
    MISSING = -1
    DESIRABLE = 0
    BORDERLINE = 1
    HIGH = 2


# 2023 guideline reference table (mmol/L): 合适 / 边缘升高 / 升高.
TC_BORDERLINE: Final = 5.2  # TC 边缘升高 5.2 ≤ TC <6.2
TC_HIGH: Final = 6.2  # TC 升高 ≥6.2
LDL_BORDERLINE: Final = 3.4  # LDL-C 边缘升高 3.4 ≤ LDL-C <4.1
LDL_HIGH: Final = 4.1  # LDL-C 升高 ≥4.1
TG_BORDERLINE: Final = 1.7  # TG 边缘升高 1.7 ≤ TG <2.3
TG_HIGH: Final = 2.3  # TG 升高 ≥2.3
NON_HDL_BORDERLINE: Final = 4.1  # 非HDL-C 边缘升高 4.1 ≤ non-HDL-C <4.9
NON_HDL_HIGH: Final = 4.9  # 非HDL-C 升高 ≥4.9
HDL_LOW: Final = 1.0  # HDL-C 降低 <1.0
# 2023 guideline, 严重高TG血症: TG ≥5.6 mmol/L raises the risk of acute pancreatitis.
TG_SEVERE: Final = 5.6
# 2023 guideline, LDL-C targets: <3.4 mmol/L for low- and moderate-risk adults (high risk <2.6,
# very high <1.8); the engine has no ASCVD risk tier, so it checks the least strict target.
LDL_GOAL_LOW_MODERATE_RISK: Final = 3.4


def _level(values: npt.ArrayLike, borderline: float, high: float) -> IntArray:
    v = as_float(values)
    level = np.where(
        v >= high, LipidLevel.HIGH, np.where(v >= borderline, LipidLevel.BORDERLINE, 0)
    )
    return np.where(np.isnan(v), LipidLevel.MISSING, level).astype(np.int8)


def tc_level(tc: npt.ArrayLike) -> IntArray:
    """TC level by the 2023 guideline reference table."""
    return _level(tc, TC_BORDERLINE, TC_HIGH)


def ldl_level(ldl: npt.ArrayLike) -> IntArray:
    """LDL-C level by the 2023 guideline reference table."""
    return _level(ldl, LDL_BORDERLINE, LDL_HIGH)


def tg_level(tg: npt.ArrayLike) -> IntArray:
    """TG level by the 2023 guideline reference table."""
    return _level(tg, TG_BORDERLINE, TG_HIGH)


def non_hdl_level(non_hdl: npt.ArrayLike) -> IntArray:
    """Non-HDL-C level by the 2023 guideline reference table."""
    return _level(non_hdl, NON_HDL_BORDERLINE, NON_HDL_HIGH)


def hdl_low(hdl: npt.ArrayLike) -> IntArray:
    """Tri-state: HDL-C <1.0 mmol/L (2023 guideline)."""
    v = as_float(hdl)
    return tri(~np.isnan(v), v < HDL_LOW)


def _is(level: IntArray, wanted: LipidLevel) -> IntArray:
    return tri(level != LipidLevel.MISSING, level == wanted)


def high_cholesterol(tc: npt.ArrayLike, ldl: npt.ArrayLike, non_hdl: npt.ArrayLike) -> IntArray:
    """Tri-state: TC, LDL-C or non-HDL-C in the 升高 range (hypercholesterolaemia)."""
    high = LipidLevel.HIGH
    return tri_any(
        _is(tc_level(tc), high), _is(ldl_level(ldl), high), _is(non_hdl_level(non_hdl), high)
    )


def high_triglycerides(tg: npt.ArrayLike) -> IntArray:
    """Tri-state: TG ≥2.3 mmol/L."""
    return _is(tg_level(tg), LipidLevel.HIGH)


def dyslipidaemia(
    tc: npt.ArrayLike,
    tg: npt.ArrayLike,
    ldl: npt.ArrayLike,
    hdl: npt.ArrayLike,
    non_hdl: npt.ArrayLike,
) -> IntArray:
    """Tri-state: any lipid in the 升高 range or HDL-C 降低 (2023 guideline)."""
    return tri_any(high_cholesterol(tc, ldl, non_hdl), high_triglycerides(tg), hdl_low(hdl))


def borderline_only(
    tc: npt.ArrayLike,
    tg: npt.ArrayLike,
    ldl: npt.ArrayLike,
    non_hdl: npt.ArrayLike,
) -> IntArray:
    """Tri-state: some lipid 边缘升高 (borderline high) and none 升高."""
    levels = np.vstack([tc_level(tc), tg_level(tg), ldl_level(ldl), non_hdl_level(non_hdl)])
    known = (levels != LipidLevel.MISSING).any(axis=0)
    return tri(
        known,
        (levels == LipidLevel.BORDERLINE).any(axis=0) & ~(levels == LipidLevel.HIGH).any(axis=0),
    )


def severe_hypertriglyceridaemia(tg: npt.ArrayLike) -> IntArray:
    """Tri-state: TG ≥5.6 mmol/L (2023 guideline, pancreatitis risk)."""
    v = as_float(tg)
    return tri(~np.isnan(v), v >= TG_SEVERE)


def ldl_at_goal(ldl: npt.ArrayLike) -> IntArray:
    """Tri-state: LDL-C <3.4 mmol/L, the low/moderate-risk target (2023 guideline)."""
    v = as_float(ldl)
    return tri(~np.isnan(v), v < LDL_GOAL_LOW_MODERATE_RISK)
