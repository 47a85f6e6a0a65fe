"""Hyperuricaemia and the serum urate control target.

Source: 中华医学会内分泌学分会. 中国高尿酸血症与痛风诊疗指南(2019) (Guideline for the diagnosis
and management of hyperuricemia and gout in China, 2019). 中华内分泌代谢杂志 2020;36(1):1-13:
hyperuricaemia is a fasting serum uric acid >420 µmol/L on two occasions on different days,
regardless of sex; control targets <420 µmol/L, or <360 µmol/L with comorbidities.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from health.rules._arrays import IntArray, as_float, tri

SOURCE: Final = (
    "中国高尿酸血症与痛风诊疗指南(2019) (Chinese guideline for hyperuricemia and gout, 2019), "
    "中华内分泌代谢杂志 2020;36(1):1-13"
)

HYPERURICAEMIA: Final = 420.0  # 2019 guideline: SUA >420 µmol/L (both sexes), twice
GOAL: Final = 420.0  # 2019 guideline: target <420 µmol/L without comorbidity
GOAL_WITH_COMORBIDITY: Final = 360.0  # 2019 guideline: <360 µmol/L with comorbidities


def hyperuricaemia_range(ua: npt.ArrayLike) -> IntArray:
    """Tri-state: serum uric acid >420 µmol/L on this occasion."""
    v = as_float(ua)
    return tri(~np.isnan(v), v > HYPERURICAEMIA)


def at_goal(ua: npt.ArrayLike, comorbid: npt.ArrayLike) -> IntArray:
    """Tri-state control for known hyperuricaemia: <360 with comorbidity, else <420 µmol/L.

    Comorbidities named by the guideline include hypertension, dyslipidaemia, diabetes,
    obesity and CKD; the caller decides which it can see.
    """
    v = as_float(ua)
    target = np.where(np.asarray(comorbid, dtype=bool), GOAL_WITH_COMORBIDITY, GOAL)
    return tri(~np.isnan(v), v < target)


def goal_for(comorbid: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """The target that applies to each row (µmol/L)."""
    return np.where(np.asarray(comorbid, dtype=bool), GOAL_WITH_COMORBIDITY, GOAL)
