"""Questionnaire answers as codes, whether they come as catalog level indexes or as codes.

Stored checkups hold an ordinal's level index (the catalog scales ``smoking``, ``yes_no``,
``family_degree``); the synthetic force and the what-if hold codes. Both end up as codes here,
column-wise (no Python call per row: this runs on the bulk path).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

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
_YES_NO_CODES = {True: 1.0, False: 0.0, "yes": 1.0, "no": 0.0}


def level_index(series: pd.Series, levels: tuple[str, ...]) -> np.ndarray:
    """Float level index per row (NaN when missing or not a level), from indexes or codes."""
    if is_numeric_dtype(series.dtype) or is_bool_dtype(series.dtype):
        numbers = series.to_numpy(dtype=float, copy=True)
    else:
        named = pd.Index(levels).get_indexer(pd.Index(series.astype(object))).astype(float)
        named[named < 0] = np.nan
        rest = np.isnan(named) & series.notna().to_numpy()
        numbers = named
        if rest.any():
            numbers[rest] = pd.to_numeric(series[rest], errors="coerce").to_numpy(dtype=float)
    numbers[(numbers < 0) | (numbers >= len(levels)) | (numbers != np.floor(numbers))] = np.nan
    index: np.ndarray = numbers
    return index


def _as_levels(series: pd.Series, levels: tuple[str, ...]) -> np.ndarray:
    index = level_index(series, levels)
    out = np.full(len(series), None, dtype=object)
    known = ~np.isnan(index)
    out[known] = np.asarray(levels, dtype=object)[index[known].astype(np.int64)]
    return out


def yes_no(series: pd.Series) -> np.ndarray:
    """1.0 / 0.0 / NaN from booleans, 0/1 level indexes or 'yes'/'no'."""
    if is_numeric_dtype(series.dtype) or is_bool_dtype(series.dtype):
        numbers = series.to_numpy(dtype=float, copy=True)
    else:
        numbers = series.map(_YES_NO_CODES).to_numpy(dtype=float, copy=True)
    numbers[(numbers != 0) & (numbers != 1)] = np.nan
    answers: np.ndarray = numbers
    return answers


def as_codes(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with smoking and family history as codes and yes/no answers as 1.0 / 0.0 / NaN."""
    out = frame.copy()
    if "smoking" in out:
        out["smoking"] = _as_levels(out["smoking"], SMOKING_LEVELS)
    if "family_history_diabetes" in out:
        out["family_history_diabetes"] = _as_levels(out["family_history_diabetes"], FAMILY_LEVELS)
    for name in YES_NO:
        if name in out:
            out[name] = yes_no(out[name])
    return out
