"""Office blood-pressure classification and treatment goal.

Source: 中国高血压防治指南修订委员会. 中国高血压防治指南2018年修订版 (Chinese Guidelines for the
Prevention and Treatment of Hypertension, 2018 revision). 中国心血管杂志 2019;24(1):24-56,
section 血压水平分类和定义 (classification) and 降压目标 (treatment goal).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Final

import numpy as np
import numpy.typing as npt

from health.rules._arrays import IntArray, as_float, tri

SOURCE: Final = (
    "中国高血压防治指南2018年修订版 (Chinese Guidelines for the Prevention and Treatment of "
    "Hypertension, 2018 revision), 中国心血管杂志 2019;24(1):24-56"
)


class BPCategory(IntEnum):
    """Blood-pressure level; the higher of the SBP and DBP categories applies (2018 guideline)."""

    MISSING = -1
    NORMAL = 0
    HIGH_NORMAL = 1
    GRADE_1 = 2
    GRADE_2 = 3
    GRADE_3 = 4


# 2018 guideline, 血压水平分类和定义 (mmHg): normal <120 and <80; high-normal 120–139 and/or
# 80–89; grade 1 140–159 and/or 90–99; grade 2 160–179 and/or 100–109; grade 3 ≥180 and/or ≥110.
SBP_HIGH_NORMAL: Final = 120.0  # 2018 guideline: 正常高值 SBP 120–139
SBP_GRADE_1: Final = 140.0  # 2018 guideline: 1级高血压 SBP 140–159
SBP_GRADE_2: Final = 160.0  # 2018 guideline: 2级高血压 SBP 160–179
SBP_GRADE_3: Final = 180.0  # 2018 guideline: 3级高血压 SBP ≥180
DBP_HIGH_NORMAL: Final = 80.0  # 2018 guideline: 正常高值 DBP 80–89
DBP_GRADE_1: Final = 90.0  # 2018 guideline: 1级高血压 DBP 90–99
DBP_GRADE_2: Final = 100.0  # 2018 guideline: 2级高血压 DBP 100–109
DBP_GRADE_3: Final = 110.0  # 2018 guideline: 3级高血压 DBP ≥110
# 2018 guideline, 单纯收缩期高血压: SBP ≥140 and DBP <90.
ISH_SBP: Final = 140.0
ISH_DBP: Final = 90.0
# 2018 guideline, 降压目标: general hypertensive patients <140/90 mmHg.
GOAL_SBP: Final = 140.0
GOAL_DBP: Final = 90.0


def _grade(values: npt.ArrayLike, cuts: tuple[float, float, float, float]) -> IntArray:
    v = as_float(values)
    grade = np.searchsorted(np.asarray(cuts), v, side="right").astype(np.int8)
    return np.where(np.isnan(v), BPCategory.MISSING, grade).astype(np.int8)


def sbp_category(sbp: npt.ArrayLike) -> IntArray:
    """Category by systolic pressure alone (2018 guideline cut-offs)."""
    return _grade(sbp, (SBP_HIGH_NORMAL, SBP_GRADE_1, SBP_GRADE_2, SBP_GRADE_3))


def dbp_category(dbp: npt.ArrayLike) -> IntArray:
    """Category by diastolic pressure alone (2018 guideline cut-offs)."""
    return _grade(dbp, (DBP_HIGH_NORMAL, DBP_GRADE_1, DBP_GRADE_2, DBP_GRADE_3))


def bp_category(sbp: npt.ArrayLike, dbp: npt.ArrayLike) -> IntArray:
    """Category of the pair: the higher of the two; MISSING unless both were measured."""
    s, d = sbp_category(sbp), dbp_category(dbp)
    both = (s != BPCategory.MISSING) & (d != BPCategory.MISSING)
    return np.where(both, np.maximum(s, d), BPCategory.MISSING).astype(np.int8)


def isolated_systolic(sbp: npt.ArrayLike, dbp: npt.ArrayLike) -> IntArray:
    """Tri-state: SBP ≥140 with DBP <90 (isolated systolic hypertension, 2018 guideline)."""
    s, d = as_float(sbp), as_float(dbp)
    return tri(~np.isnan(s) & ~np.isnan(d), (s >= ISH_SBP) & (d < ISH_DBP))


def at_goal(sbp: npt.ArrayLike, dbp: npt.ArrayLike) -> IntArray:
    """Tri-state: treated BP below the general goal of <140/90 mmHg (2018 guideline)."""
    s, d = as_float(sbp), as_float(dbp)
    return tri(~np.isnan(s) & ~np.isnan(d), (s < GOAL_SBP) & (d < GOAL_DBP))
