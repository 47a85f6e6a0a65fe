"""The published equations' outputs as columns, for the equation-only baseline and scoring."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ml.equations import EQUATIONS, evaluate
from ml.questionnaire import SMOKING_LEVELS, level_index, yes_no

EQUATION_FEATURES = ("framingham_cvd_2008", "pce_2013", "cn_lipid_ascvd", "cdrs", "findrisc")


def equation_inputs(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """Equation inputs from checkup columns; a missing answer stays missing (NaN/None)."""
    n = len(frame)

    def col(name: str) -> np.ndarray:
        if name not in frame:
            return np.full(n, np.nan)
        values: np.ndarray = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)
        return values

    def yes(name: str) -> np.ndarray:
        return yes_no(frame[name]) if name in frame else np.full(n, np.nan)

    smoker = np.full(n, np.nan)
    if "smoking" in frame:
        index = level_index(frame["smoking"], SMOKING_LEVELS)
        smoker = np.where(np.isnan(index), np.nan, (index == 2).astype(float))
    sbp, dbp, glu = col("sbp"), col("dbp"), col("glu")
    hba1c = col("hba1c")
    # diabetes on the checkup: FPG ≥ 7.0 mmol/L or HbA1c ≥ 6.5 % (2020 Chinese T2DM guideline)
    diabetes = np.where(
        np.isnan(glu) & np.isnan(hba1c), np.nan, ((glu >= 7.0) | (hba1c >= 6.5)).astype(float)
    )
    treated = yes("bp_treated")
    # hypertension: ≥ 140/90 mmHg or treated (2018 Chinese hypertension guideline)
    hypertension = np.where(
        np.isnan(sbp), np.nan, ((sbp >= 140) | (dbp >= 90) | (treated == 1)).astype(float)
    )
    family = frame.get("family_history_diabetes")
    return {
        "age": col("age"),
        "sex": frame["sex"].to_numpy(dtype=object),
        "race": np.full(n, "other", dtype=object),
        "tc": col("tc"),
        "hdl": col("hdl"),
        "ldl": col("ldl"),
        "non_hdl": col("tc") - col("hdl"),
        "sbp": sbp,
        "dbp": dbp,
        "bmi": col("bmi"),
        "waist": col("waist"),
        "smoker": smoker,
        "bp_treated": treated,
        "diabetes": diabetes,
        "hypertension": hypertension,
        "family_history_diabetes": np.full(n, None, dtype=object)
        if family is None
        else family.to_numpy(dtype=object),
        "physically_active": yes("physically_active"),
        "daily_fruit_veg": yes("daily_fruit_veg"),
        "high_glucose_history": yes("high_glucose_history"),
        "region": np.full(n, None, dtype=object),
    }


def equation_features(frame: pd.DataFrame) -> np.ndarray:
    """One column per equation in ``EQUATION_FEATURES`` (NaN where it does not apply)."""
    inputs = equation_inputs(frame)
    return np.column_stack([evaluate(EQUATIONS[e], inputs).value for e in EQUATION_FEATURES])
