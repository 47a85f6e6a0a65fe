"""Questionnaire answers as codes, whether they come as catalog level indexes or as codes.

Stored checkups hold an ordinal's level index (the catalog scales ``smoking``, ``yes_no``,
``family_degree``); the synthetic force and the what-if hold codes. Both end up as codes here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SMOKING_LEVELS = ("never", "former", "current")
FAMILY_LEVELS = ("none", "second_degree", "first_degree")
YES_NO = (
    "bp_treated",
    "lipid_treated",
    "family_history_cvd",
    "physically_active",
    "daily_fruit_veg",
    "high_glucose_history",
)


def _levels(series: pd.Series, levels: tuple[str, ...]) -> pd.Series:
    def one(value: object) -> object:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return None
        if isinstance(value, int | float | np.integer | np.floating):
            index = int(value)
            return levels[index] if 0 <= index < len(levels) else None
        return value if value in levels else None

    return series.map(one).astype(object)


def _yes_no(series: pd.Series) -> pd.Series:
    def one(value: object) -> object:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return None
        return bool(value)

    return series.map(one).astype(object)


def as_codes(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with questionnaire columns as codes (``current``, ``first_degree``, True...)."""
    out = frame.copy()
    if "smoking" in out:
        out["smoking"] = _levels(out["smoking"], SMOKING_LEVELS)
    if "family_history_diabetes" in out:
        out["family_history_diabetes"] = _levels(out["family_history_diabetes"], FAMILY_LEVELS)
    for name in YES_NO:
        if name in out:
            out[name] = _yes_no(out[name])
    return out
