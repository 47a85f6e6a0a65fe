"""Which families of a checkup need follow-up, by the same rule functions screening uses.

A family needs follow-up when its rule says so on that checkup: blood pressure grade 1
hypertension or above (2018 Chinese hypertension guideline); glucose IFG or the
diabetes range (2020 Chinese T2DM guideline); dyslipidaemia (2023 Chinese lipid guideline);
liver ALT above the upper reference limit, 50 U/L men / 40 U/L women (WS/T 404.1-2012);
kidney eGFR < 60 mL/min/1.73 m² (KDIGO 2012 G3a+).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from health.derived import egfr_ckd_epi_2021
from health.rules import blood_pressure, glucose, lipids

NEEDED = ("sbp", "dbp", "glu", "tc", "tg", "ldl", "hdl", "alt", "creat", "age", "sex")
FAMILIES = ("bp", "glucose", "lipids", "liver", "kidney")
ALT_ULN_MEN = 50.0  # WS/T 404.1-2012: ALT reference interval men 9–50 U/L
ALT_ULN_WOMEN = 40.0  # WS/T 404.1-2012: ALT reference interval women 7–40 U/L
EGFR_REDUCED = 60.0  # KDIGO 2012: G3a below 60 mL/min/1.73 m²


def with_columns(frame: pd.DataFrame, names: tuple[str, ...]) -> pd.DataFrame:
    """``frame`` with every column in ``names`` (absent ones all missing)."""
    absent = [name for name in names if name not in frame]
    if not absent:
        return frame
    return frame.assign(**dict.fromkeys(absent, np.nan))


def family_flags(frame: pd.DataFrame) -> pd.DataFrame:
    """0/1 per family and ``overall``; a family whose values are missing counts as 0."""
    frame = with_columns(frame, NEEDED)
    grade = blood_pressure.bp_category(frame["sbp"], frame["dbp"])
    bp = grade >= blood_pressure.BPCategory.GRADE_1
    glu = glucose.fpg_category(frame["glu"]) >= glucose.FPGCategory.IFG
    lipid = (
        lipids.dyslipidaemia(
            frame["tc"], frame["tg"], frame["ldl"], frame["hdl"], frame["tc"] - frame["hdl"]
        )
        == 1
    )
    uln = np.where(frame["sex"].to_numpy() == "M", ALT_ULN_MEN, ALT_ULN_WOMEN)
    liver = frame["alt"].to_numpy(dtype=float) > uln
    egfr = egfr_ckd_epi_2021(frame["creat"], frame["age"], frame["sex"])
    kidney = np.nan_to_num(egfr, nan=np.inf) < EGFR_REDUCED
    flags = pd.DataFrame(
        {"bp": bp, "glucose": glu, "lipids": lipid, "liver": liver, "kidney": kidney},
        index=frame.index,
    ).astype(np.int8)
    flags["overall"] = flags.max(axis=1)
    return flags
