"""Features from an officer's current and previous checkups; labels from the next one.

Input is one row per officer and checkup year (columns as in ``ml.synthetic``: results in the
catalog's canonical units, questionnaire answers as codes). Output rows are checkups that have
a next checkup: that one decides the labels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ml.labels import FAMILIES, family_flags, with_columns

CURRENT = (
    "age",
    "bmi",
    "waist",
    "sbp",
    "dbp",
    "tc",
    "tg",
    "hdl",
    "ldl",
    "glu",
    "hba1c",
    "alt",
    "ggt",
    "ua",
    "creat",
)
CHANGED = ("bmi", "sbp", "dbp", "tc", "tg", "ldl", "glu", "alt")
FEATURES = (
    *CURRENT,
    *(f"change_{name}" for name in CHANGED),
    "has_previous",
    "male",
    "current_smoker",
    "former_smoker",
    "bp_treated",
    "lipid_treated",
    "family_history_diabetes",
    "family_history_cvd",
    "physically_active",
    *(f"flag_{family}" for family in FAMILIES),
)
TARGETS = ("overall", *FAMILIES)


@dataclass(frozen=True)
class Pairs:
    """Feature matrix, next-checkup labels, the label year, and this checkup's rule flags."""

    features: pd.DataFrame
    labels: pd.DataFrame
    label_year: np.ndarray
    current_flags: pd.DataFrame
    current: pd.DataFrame


def _yes(series: pd.Series) -> pd.Series:
    return series.map(lambda v: np.nan if v is None or v != v else float(bool(v))).astype(float)


def feature_frame(frame: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """The model's inputs for checkups ``frame``, given each one's previous checkup (or NaN)."""
    frame = with_columns(frame, (*CURRENT, "sex"))
    if previous is not None:
        previous = with_columns(previous, (*CHANGED, "sbp"))
    out = pd.DataFrame(index=frame.index)
    for name in CURRENT:
        out[name] = pd.to_numeric(frame[name], errors="coerce")
    for name in CHANGED:
        before = (
            pd.to_numeric(previous[name], errors="coerce").to_numpy()
            if previous is not None
            else np.full(len(frame), np.nan)
        )
        out[f"change_{name}"] = out[name].to_numpy() - before
    out["has_previous"] = (
        previous["sbp"].notna().to_numpy().astype(float) if previous is not None else 0.0
    )
    out["male"] = (frame["sex"] == "M").astype(float)
    smoking = frame.get("smoking", pd.Series(None, index=frame.index))
    out["current_smoker"] = np.where(smoking.isna(), np.nan, smoking == "current")
    out["former_smoker"] = np.where(smoking.isna(), np.nan, smoking == "former")
    for name in ("bp_treated", "lipid_treated", "family_history_cvd", "physically_active"):
        out[name] = _yes(frame.get(name, pd.Series(None, index=frame.index)))
    family = frame.get("family_history_diabetes", pd.Series(None, index=frame.index))
    out["family_history_diabetes"] = family.map(
        {"none": 0.0, "second_degree": 1.0, "first_degree": 2.0}
    )
    flags = family_flags(frame)
    for family_name in FAMILIES:
        out[f"flag_{family_name}"] = flags[family_name].to_numpy(dtype=float)
    return out[list(FEATURES)].astype(float)


def pairs(history: pd.DataFrame) -> Pairs:
    """(previous, current, next) triples per officer, from consecutive checkup years."""
    ordered = history.sort_values(["officer", "year"]).reset_index(drop=True)
    same_prev = ordered["officer"].shift(1) == ordered["officer"]
    same_next = ordered["officer"].shift(-1) == ordered["officer"]
    previous = ordered.shift(1).where(same_prev)
    following = ordered.shift(-1)
    keep = same_next.to_numpy()
    current = ordered[keep]
    features = feature_frame(current, previous[keep])
    next_rows = following[keep].copy()
    next_rows["sex"] = current["sex"].to_numpy()
    labels = family_flags(next_rows)[list(TARGETS)].reset_index(drop=True)
    return Pairs(
        features=features.reset_index(drop=True),
        labels=labels,
        label_year=next_rows["year"].to_numpy(dtype=int),
        current_flags=family_flags(current).reset_index(drop=True),
        current=current.reset_index(drop=True),
    )
