"""Issue 14: scoring N checkups (default 100,000) with every enabled equation and the active
model (``ml.scoring.score_frame``: inputs from checkup columns, missing-input and domain masks,
bands, tiers; the model's features and calibrated probabilities for every family), against a
bare numpy evaluation of the same equations' arithmetic on ready float arrays in the same run
(no masks, no bands, no model). Targets: equations ≥ 100,000 checkups/s; within 2× of bare."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ml.equations import cn_lipid_ascvd, framingham, pce, score2
from ml.registry import LoadedModel
from ml.scoring import score_frame
from ml.synthetic import ForceShape, force
from ml.training import train

MG = 38.665


def _best(fn: Callable[[], Any], reps: int = 3) -> float:
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bare_numpy(a: dict[str, np.ndarray]) -> list[np.ndarray]:
    """The same six equations as plain array arithmetic (inputs complete, in domain)."""
    male = a["male"]
    ln_age, ln_sbp = np.log(a["age"]), np.log(a["sbp"])
    ln_tc, ln_hdl = np.log(a["tc"] * MG), np.log(a["hdl"] * MG)
    treated, smoker, diabetes = a["treated"], a["smoker"], a["diabetes"]
    out = []
    # PCE (white equations; the force is 'other')
    wm, _, s0m = pce.COEFFICIENTS[("M", "white")]
    wf, _, s0f = pce.COEFFICIENTS[("F", "white")]
    terms = np.stack(
        [
            ln_age,
            ln_age**2,
            ln_tc,
            ln_age * ln_tc,
            ln_hdl,
            ln_age * ln_hdl,
            ln_sbp * treated,
            ln_age * ln_sbp * treated,
            ln_sbp * (1 - treated),
            ln_age * ln_sbp * (1 - treated),
            smoker,
            ln_age * smoker,
            diabetes,
        ],
        axis=1,
    )
    s = np.where(male, terms @ np.asarray(wm) - 61.18, terms @ np.asarray(wf) + 29.18)
    out.append(1 - np.where(male, s0m, s0f) ** np.exp(s))
    # Framingham
    fm, mm, f0m = framingham.COEFFICIENTS["M"]
    ff, mf, f0f = framingham.COEFFICIENTS["F"]
    t2 = np.stack(
        [ln_age, ln_tc, ln_hdl, ln_sbp * (1 - treated), ln_sbp * treated, smoker, diabetes], axis=1
    )
    out.append(
        1
        - np.where(
            male, f0m ** np.exp(t2 @ np.asarray(fm) - mm), f0f ** np.exp(t2 @ np.asarray(ff) - mf)
        )
    )
    # SCORE2 (moderate region)
    cage, csbp = (a["age"] - 60) / 5, (a["sbp"] - 120) / 20
    ctc, chdl = a["tc"] - 6, (a["hdl"] - 1.3) / 0.5
    t3 = np.stack(
        [
            cage,
            smoker,
            csbp,
            diabetes,
            ctc,
            chdl,
            smoker * cage,
            csbp * cage,
            ctc * cage,
            chdl * cage,
            diabetes * cage,
        ],
        axis=1,
    )
    lp = np.where(
        male, t3 @ np.asarray(score2.COEFFICIENTS["M"]), t3 @ np.asarray(score2.COEFFICIENTS["F"])
    )
    unc = 1 - np.where(male, 0.9605, 0.9776) ** np.exp(lp)
    s1 = np.where(male, -0.1565, -0.3143)
    s2 = np.where(male, 0.8009, 0.7701)
    out.append(1 - np.exp(-np.exp(s1 + s2 * np.log(-np.log(1 - unc)))))
    # Chinese lipid table
    column = np.maximum(
        np.searchsorted(cn_lipid_ascvd.TC_EDGES, a["tc"], "right"),
        np.searchsorted(cn_lipid_ascvd.LDL_EDGES, a["ldl"], "right"),
    )
    factors = smoker.astype(int) + (a["hdl"] < 1.0) + np.where(male, a["age"] >= 45, a["age"] >= 55)
    out.append(
        cn_lipid_ascvd.TABLE[
            a["hypertension"].astype(int), np.clip(factors, 0, 3), np.clip(column - 1, 0, 2)
        ]
    )
    # FINDRISC
    age_p = np.select([a["age"] < 45, a["age"] < 55, a["age"] < 65], [0, 2, 3], 4)
    bmi_p = np.select([a["bmi"] < 25, a["bmi"] <= 30], [0, 1], 3)
    waist_p = np.select(
        [a["waist"] < np.where(male, 94, 80), a["waist"] <= np.where(male, 102, 88)], [0, 3], 4
    )
    out.append(
        age_p
        + bmi_p
        + waist_p
        + 2 * (1 - a["active"])
        + (1 - a["fruit"])
        + 2 * treated
        + 5 * a["glucose_history"]
        + np.select([a["family"] == 2, a["family"] == 1], [5, 3], 0)
    )

    # CDRS
    def pts(v: np.ndarray, edges: tuple[float, ...], scores: tuple[int, ...]) -> np.ndarray:
        return np.asarray(scores)[np.searchsorted(edges, v, "right") - 1]

    waist = np.where(
        male,
        pts(a["waist"], (0, 75, 80, 85, 90, 95), (0, 3, 5, 7, 8, 10)),
        pts(a["waist"], (0, 70, 75, 80, 85, 90), (0, 3, 5, 7, 8, 10)),
    )
    out.append(
        pts(
            np.floor(a["age"]),
            (0, 25, 35, 40, 45, 50, 55, 60, 65),
            (0, 4, 8, 11, 12, 13, 15, 16, 18),
        )
        + 2 * male
        + pts(a["bmi"], (0, 22, 24, 30), (0, 1, 3, 5))
        + waist
        + pts(a["sbp"], (0, 110, 120, 130, 140, 150, 160), (0, 1, 3, 6, 7, 8, 10))
        + 6 * (a["family"] > 0)
    )
    return out


def _arrays(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    sbp = frame["sbp"].to_numpy(float)
    treated = frame["bp_treated"].to_numpy(float)
    return {
        "male": (frame["sex"] == "M").to_numpy(),
        "age": frame["age"].to_numpy(float),
        "sbp": sbp,
        "tc": frame["tc"].to_numpy(float),
        "hdl": frame["hdl"].to_numpy(float),
        "ldl": frame["ldl"].to_numpy(float),
        "bmi": frame["bmi"].to_numpy(float),
        "waist": frame["waist"].to_numpy(float),
        "treated": treated,
        "smoker": (frame["smoking"] == "current").to_numpy(float),
        "diabetes": (frame["glu"] >= 7.0).to_numpy(float),
        "hypertension": ((sbp >= 140) | (frame["dbp"].to_numpy() >= 90) | (treated == 1)),
        "active": frame["physically_active"].to_numpy(float),
        "fruit": frame["daily_fruit_veg"].to_numpy(float),
        "glucose_history": frame["high_glucose_history"].to_numpy(float),
        "family": frame["family_history_diabetes"]
        .map({"none": 0, "second_degree": 1, "first_degree": 2})
        .to_numpy(float),
    }


def run(n: int) -> dict[str, float]:
    """Best of 3 for each of: bare numpy, equations only, equations + the active model."""
    history = force(ForceShape(officers=n, years=2, seed=21))
    current = history[history.year == history.year.max()].reset_index(drop=True)
    previous = history[history.year == history.year.min()].reset_index(drop=True)
    trained, _ = train(force(ForceShape(officers=3000, years=4, seed=5)))
    model = LoadedModel("bench", {}, trained)
    arrays = _arrays(current)
    bare = _best(lambda: bare_numpy(arrays))
    equations = _best(lambda: score_frame(current, previous, None, model_status="bench"))
    with_model = _best(lambda: score_frame(current, previous, model, model_status="bench"))
    return {
        "n": n,
        "bare_s": bare,
        "equations_s": equations,
        "with_model_s": with_model,
        "bare_per_s": n / bare,
        "equations_per_s": n / equations,
        "with_model_per_s": n / with_model,
        "equations_ratio": equations / bare,
        "with_model_ratio": with_model / bare,
    }
