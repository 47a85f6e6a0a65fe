"""Metabolic syndrome by the Chinese Diabetes Society (CDS) criteria.

Source: 中华医学会糖尿病学分会. 中国2型糖尿病防治指南(2020年版), section 代谢综合征 (diagnostic
criteria), 中华糖尿病杂志 2021;13(4):315-409: three or more of (1) waist ≥90 cm men / ≥85 cm
women; (2) FPG ≥6.1 mmol/L or 2hPG ≥7.8 and/or diagnosed, treated diabetes; (3) BP ≥130/85 mmHg
and/or diagnosed, treated hypertension; (4) fasting TG ≥1.70 mmol/L; (5) fasting HDL-C
<1.04 mmol/L.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from health.rules._arrays import NO, UNKNOWN, YES, IntArray, as_float, as_sex, tri, tri_any

SOURCE: Final = (
    "中国2型糖尿病防治指南(2020年版), 代谢综合征诊断标准 (Chinese Diabetes Society criteria), "
    "中华糖尿病杂志 2021;13(4):315-409"
)

WAIST: Final = {"M": 90.0, "F": 85.0}  # CDS 2020: 腹型肥胖 waist ≥90 cm men, ≥85 cm women
FPG: Final = 6.1  # CDS 2020: 高血糖 FPG ≥6.1 mmol/L
SBP: Final = 130.0  # CDS 2020: 高血压 BP ≥130/85 mmHg
DBP: Final = 85.0  # CDS 2020: 高血压 BP ≥130/85 mmHg
TG: Final = 1.70  # CDS 2020: 空腹TG ≥1.70 mmol/L
HDL: Final = 1.04  # CDS 2020: 空腹HDL-C <1.04 mmol/L
REQUIRED: Final = 3  # CDS 2020: 以上具备3项或更多项即可诊断


@dataclass(frozen=True, slots=True)
class MetabolicSyndrome:
    """Tri-state components, the count met, and the overall tri-state status."""

    waist: IntArray
    glucose: IntArray
    blood_pressure: IntArray
    triglycerides: IntArray
    hdl: IntArray
    count: npt.NDArray[np.int8]
    status: IntArray


def assess(
    *,
    waist_cm: npt.ArrayLike,
    sex: npt.ArrayLike,
    glu: npt.ArrayLike,
    known_diabetes: npt.ArrayLike,
    sbp: npt.ArrayLike,
    dbp: npt.ArrayLike,
    known_hypertension: npt.ArrayLike,
    tg: npt.ArrayLike,
    hdl: npt.ArrayLike,
) -> MetabolicSyndrome:
    """CDS 2020 metabolic syndrome; UNKNOWN while missing components could still decide it."""
    w, s = as_float(waist_cm), as_sex(sex)
    threshold = np.where(s == "M", WAIST["M"], WAIST["F"])
    waist = tri(~np.isnan(w) & (s != ""), w >= threshold)

    g = as_float(glu)
    diabetes = np.asarray(known_diabetes, dtype=bool)
    glucose = tri_any(tri(~np.isnan(g), g >= FPG), np.where(diabetes, YES, NO).astype(np.int8))

    sb, db = as_float(sbp), as_float(dbp)
    by_sbp = tri(~np.isnan(sb), sb >= SBP)
    by_dbp = tri(~np.isnan(db), db >= DBP)
    hypertension = np.where(np.asarray(known_hypertension, dtype=bool), YES, NO).astype(np.int8)
    blood_pressure = tri_any(by_sbp, by_dbp, hypertension)

    t, h = as_float(tg), as_float(hdl)
    triglycerides = tri(~np.isnan(t), t >= TG)
    low_hdl = tri(~np.isnan(h), h < HDL)

    parts = np.vstack([waist, glucose, blood_pressure, triglycerides, low_hdl])
    met = (parts == YES).sum(axis=0).astype(np.int8)
    unknown = (parts == UNKNOWN).sum(axis=0)
    status = np.where(met >= REQUIRED, YES, np.where(met + unknown < REQUIRED, NO, UNKNOWN)).astype(
        np.int8
    )
    return MetabolicSyndrome(waist, glucose, blood_pressure, triglycerides, low_hdl, met, status)
