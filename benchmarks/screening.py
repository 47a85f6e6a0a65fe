"""Issue 4: grading N checkups (~45 results each) with the default ruleset (screen_frame: grades,
guideline criteria, delta checks against the previous checkup, full provenance per finding),
against a plain vectorised pandas pass over the same thresholds that only counts flags.
Target: ≥ 50,000 checkups/s and within 2× of the baseline."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from benchmarks import nhanes
from health.followup.plans import plan_frame
from health.screening.engine import screen_columns, screen_frame
from health.screening.ruleset import default_ruleset

# (code, mean, sd) roughly like a working-age police population
NUMERIC = [
    ("height", 170, 7), ("weight", 72, 12), ("waist", 86, 10), ("sbp", 128, 16), ("dbp", 80, 11),
    ("pulse", 74, 11), ("wbc", 6.3, 1.7), ("rbc", 4.9, 0.5), ("hb", 145, 15), ("hct", 43, 4),
    ("plt", 230, 55), ("neut_pct", 58, 9), ("lymph_pct", 32, 8), ("mono_pct", 6.5, 1.8),
    ("eos_pct", 2.5, 1.8), ("baso_pct", 0.5, 0.3), ("neut_abs", 3.7, 1.2),
    ("lymph_abs", 2.0, 0.6), ("alt", 28, 15), ("ast", 24, 9), ("ggt", 35, 25), ("alp", 75, 20),
    ("tbil", 13, 5), ("tp", 73, 4.5), ("alb", 46, 3), ("urea", 5.2, 1.3), ("creat", 78, 15),
    ("ua", 360, 85), ("tc", 4.9, 0.9), ("tg", 1.6, 1.0), ("hdl", 1.3, 0.3), ("ldl", 2.9, 0.8),
    ("glu", 5.5, 0.9), ("hba1c", 5.6, 0.6), ("u_pro", 0.2, 0.6), ("u_glu", 0.1, 0.5),
    ("u_bld", 0.2, 0.6), ("u_ket", 0.1, 0.4),
]  # fmt: skip
CODES = {
    "ecg": ["normal"] * 12
    + ["sinus_bradycardia", "pvc", "st_t_change", "rbbb", "atrial_fibrillation"],
    "us_abd": ["normal"] * 6
    + ["fatty_liver_mild", "fatty_liver_moderate", "gallstone", "liver_cyst"],
    "cxr": ["normal"] * 15 + ["nodule", "old_tb_lesion"],
    "eye": ["normal"] * 10 + ["reduced_acuity", "cataract", "fundus_arteriosclerosis"],
}  # fmt: skip


def synthetic(n: int, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    cols: dict[str, object] = {
        "sex": rng.choice(np.array(["M", "F"], dtype=object), n, p=[0.8, 0.2]),
        "age": rng.uniform(20, 60, n).round(1),
    }
    for code, mean, sd in NUMERIC:
        v = rng.normal(mean, sd, n)
        if code.startswith("u_"):
            v = np.clip(np.round(np.abs(v)), 0, 5)
        cols[code] = np.abs(v).round(2)
    for modality, pool in CODES.items():
        arr = np.array(pool, dtype=object)
        cols[modality] = [[c] for c in rng.choice(arr, n)]
    conditions = np.array(
        [None, None, None, None, "hypertension", "diabetes", "hypertension;dyslipidaemia"],
        dtype=object,
    )
    cols["known_conditions"] = rng.choice(conditions, n)
    df = pd.DataFrame(cols, index=pd.RangeIndex(n, name="checkup"))
    prev = df[[c for c, _, _ in NUMERIC]].copy()
    prev = prev * rng.normal(1.0, 0.08, prev.shape)
    prev["age"] = df["age"] - 1
    prev = prev.sample(frac=0.8, random_state=seed)
    return df, prev


def plain_pandas(df: pd.DataFrame) -> int:
    """The same thresholds, vectorised, counting flags only (no provenance, no findings rows)."""
    rs = default_ruleset()
    male = (df["sex"] == "M").to_numpy()
    age = df["age"].to_numpy()
    flags = 0
    for rule in rs.document.reference_ranges:
        if rule.analyte not in df.columns:
            continue
        v = df[rule.analyte].to_numpy()
        for s in rule.strata:
            m = np.ones(len(v), bool) if s.sex == "any" else (male if s.sex == "M" else ~male)
            m = m & (age >= s.age_from) & (age < (s.age_to or np.inf))
            bad = np.zeros(len(v), bool)
            if s.low is not None:
                bad |= v < s.low
            if s.high is not None:
                bad |= v > s.high
            for b in s.bands:
                bad |= (v >= (b.from_ if b.from_ is not None else -np.inf)) & (
                    v < (b.to if b.to is not None else np.inf)
                )
            flags += int((bad & m).sum())

    def col(code: str) -> pd.Series:
        return df[code] if code in df.columns else pd.Series(np.nan, index=df.index)

    sbp, dbp = col("sbp").to_numpy(), col("dbp").to_numpy()
    grade = np.maximum(
        np.searchsorted([120, 140, 160, 180], sbp, "right"),
        np.searchsorted([80, 90, 100, 110], dbp, "right"),
    )
    flags += int((grade >= 2).sum())
    bmi = col("weight") / (col("height") / 100) ** 2
    flags += int((bmi >= 24).sum())
    flags += int(((col("glu") >= 7) | (col("hba1c") >= 6.5)).sum())
    flags += int(
        ((col("tc") >= 6.2) | (col("tg") >= 2.3) | (col("ldl") >= 4.1) | (col("hdl") < 1.0)).sum()
    )
    flags += int((col("ua") > 420).sum())
    for modality in CODES:
        if modality in df.columns:
            ex = df[modality].explode()
            flags += int((ex != "normal").sum())
    return flags


def nhanes_frames(n: int, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """NHANES adults resampled whole (benchmarks/nhanes.py); a previous checkup for 80 %, the
    same values with the synthetic session's year-on-year drift."""
    rng = np.random.default_rng(seed)
    df = nhanes.resample(n)
    df.index = pd.RangeIndex(n, name="checkup")
    codes = list(nhanes.COLUMNS)
    prev = df[codes] * rng.normal(1.0, 0.08, (n, len(codes)))
    prev["age"] = df["age"] - 1
    return df, prev.sample(frac=0.8, random_state=seed)


def best_of(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def run(n: int, source: str = "synthetic") -> dict[str, float]:
    df, prev = nhanes_frames(n) if source == "nhanes" else synthetic(n)
    default_ruleset()
    t_plain, flags = best_of(lambda: plain_pandas(df))
    t_screen, frame = best_of(lambda: screen_frame(df, previous_df=prev))
    t_columns, _ = best_of(lambda: screen_columns(df, previous_df=prev))
    exam = pd.Series(date(2026, 3, 1), index=df.index)
    t_plan, plans = best_of(lambda: plan_frame(frame, exam))
    return {
        "plain_s": t_plain,
        "screen_s": t_screen,
        "columns_s": t_columns,
        "plan_s": t_plan,
        "flags": float(flags),
        "findings": float(len(frame)),
        "tasks": float(len(plans)),
        "results": float(sum(1 for c in df.columns if c not in ("sex", "age", "known_conditions"))),
    }
