"""Adult weight status by BMI and central obesity by waist circumference.

Source: WS/T 428-2013 成人体重判定 (Criteria of weight for adults), National Health and Family
Planning Commission of the PRC, 2013: Table 1 (BMI) and Table 2 (waist circumference).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Final

import numpy as np
import numpy.typing as npt

from health.rules._arrays import IntArray, as_float, as_sex

SOURCE: Final = "WS/T 428-2013 成人体重判定 (Criteria of weight for adults)"


class BMICategory(IntEnum):
    MISSING = -1
    UNDERWEIGHT = 0
    NORMAL = 1
    OVERWEIGHT = 2
    OBESE = 3


class WaistCategory(IntEnum):
    MISSING = -1
    NORMAL = 0
    PRE_CENTRAL_OBESITY = 1
    CENTRAL_OBESITY = 2


BMI_NORMAL: Final = 18.5  # WS/T 428-2013 Table 1: 体重过低 BMI <18.5
BMI_OVERWEIGHT: Final = 24.0  # WS/T 428-2013 Table 1: 超重 24.0 ≤ BMI <28.0
BMI_OBESE: Final = 28.0  # WS/T 428-2013 Table 1: 肥胖 BMI ≥28.0
# WS/T 428-2013 Table 2 (cm): 中心型肥胖前期 men 85 ≤ WC <90, women 80 ≤ WC <85;
# 中心型肥胖 men ≥90, women ≥85.
WAIST_PRE_CENTRAL: Final = {"M": 85.0, "F": 80.0}
WAIST_CENTRAL: Final = {"M": 90.0, "F": 85.0}


def bmi_category(bmi: npt.ArrayLike) -> IntArray:
    """WS/T 428-2013 BMI category (kg/m²)."""
    v = as_float(bmi)
    cuts = np.asarray((BMI_NORMAL, BMI_OVERWEIGHT, BMI_OBESE))
    category = np.searchsorted(cuts, v, side="right").astype(np.int8)
    return np.where(np.isnan(v), BMICategory.MISSING, category).astype(np.int8)


def waist_category(waist_cm: npt.ArrayLike, sex: npt.ArrayLike) -> IntArray:
    """WS/T 428-2013 central-obesity category; MISSING for an unknown sex."""
    v = as_float(waist_cm)
    s = as_sex(sex)
    pre = np.where(s == "M", WAIST_PRE_CENTRAL["M"], WAIST_PRE_CENTRAL["F"])
    central = np.where(s == "M", WAIST_CENTRAL["M"], WAIST_CENTRAL["F"])
    category = np.where(
        v >= central,
        WaistCategory.CENTRAL_OBESITY,
        np.where(v >= pre, WaistCategory.PRE_CENTRAL_OBESITY, WaistCategory.NORMAL),
    )
    known = ~np.isnan(v) & (s != "")
    return np.where(known, category, WaistCategory.MISSING).astype(np.int8)
