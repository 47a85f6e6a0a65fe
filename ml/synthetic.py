"""A SYNTHETIC multi-year police force: no real person, reproducible by seed.

Joint distributions follow the broad shape of Chinese adult survey data (age, sex, adiposity
driving blood pressure, triglycerides, glucose, urate and ALT, lowering HDL-C; smoking lowering
HDL-C), and each officer progresses year to year: weight drifts, pressure and glucose climb with
age and weight, and treatment starts the year after a value is in the treatment range (which
then lowers it). Every frame it returns carries ``synthetic = True``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ml.questionnaire import FAMILY_LEVELS, SMOKING_LEVELS

QUESTIONNAIRE = (
    "smoking",
    "bp_treated",
    "lipid_treated",
    "family_history_diabetes",
    "family_history_cvd",
    "physically_active",
    "daily_fruit_veg",
)
LABS = (
    "height",
    "weight",
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
    "ast",
    "ggt",
    "creat",
    "ua",
)


@dataclass(frozen=True)
class ForceShape:
    officers: int = 2000
    years: int = 5
    first_year: int = 2021
    seed: int = 7


def force(
    shape: ForceShape = ForceShape(),
    *,
    male: np.ndarray | None = None,
    birth_year: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per officer and year (all columns numeric or short codes; labelled synthetic).

    ``male`` and ``birth_year`` fix who the officers are (the demo's registered officers);
    otherwise they are drawn.
    """
    rng = np.random.default_rng(shape.seed)
    n = shape.officers
    drawn_male = rng.random(n) < 0.78
    drawn_birth = rng.integers(shape.first_year - 58, shape.first_year - 22, n)
    male = drawn_male if male is None else np.asarray(male, dtype=bool)
    birth_year = drawn_birth if birth_year is None else np.asarray(birth_year)
    height = np.where(male, rng.normal(172, 6, n), rng.normal(161, 5.5, n))
    bmi0 = np.clip(rng.normal(np.where(male, 24.6, 22.8), 3.2, n), 16.5, 42)
    smoking = np.where(
        male,
        rng.choice(3, n, p=(0.45, 0.15, 0.40)),
        rng.choice(3, n, p=(0.93, 0.03, 0.04)),
    )
    family_dm = rng.choice(3, n, p=(0.72, 0.10, 0.18))
    family_cvd = rng.random(n) < 0.15
    active = rng.random(n) < 0.45
    fruit_veg = rng.random(n) < 0.6
    # individual set points (persist across years)
    sbp_offset = rng.normal(0, 9, n)
    tc_offset = rng.normal(0, 0.7, n)
    glu_offset = rng.normal(0, 0.35, n)
    ua_offset = rng.normal(0, 55, n)
    alt_factor = rng.lognormal(0, 0.35, n)
    egfr_factor = rng.normal(1.0, 0.08, n)
    bp_treated = np.zeros(n, bool)
    lipid_treated = np.zeros(n, bool)
    bmi = bmi0.copy()
    high_glucose_seen = np.zeros(n, bool)
    frames = []
    for k in range(shape.years):
        year = shape.first_year + k
        age = year - birth_year + rng.random(n)
        bmi = np.clip(bmi + rng.normal(0.15, 0.45, n) - 0.25 * active, 16.5, 45)
        weight = bmi * (height / 100) ** 2
        waist = np.where(male, 3.45, 3.2) * bmi + rng.normal(0, 3, n)
        smoker = smoking == 2
        sbp = (
            100
            + 0.45 * age
            + 1.2 * (bmi - 22)
            + 4 * male
            + sbp_offset
            + rng.normal(0, 7, n)
            - 12 * bp_treated
        )
        dbp = 0.55 * sbp + 8 + 0.4 * (bmi - 22) + rng.normal(0, 5, n)
        tc = 3.6 + 0.025 * age + 0.05 * (bmi - 22) + tc_offset + rng.normal(0, 0.3, n)
        tc = tc - 1.2 * lipid_treated
        hdl = np.clip(
            1.55 - 0.25 * male - 0.025 * (bmi - 22) - 0.1 * smoker + rng.normal(0, 0.2, n),
            0.5,
            3.0,
        )
        tg = np.exp(np.log(1.1) + 0.06 * (bmi - 22) + 0.1 * smoker + rng.normal(0, 0.4, n))
        ldl = np.clip(tc - hdl - tg / 2.2, 0.5, None)
        glu = (
            4.7
            + 0.012 * age
            + 0.06 * (bmi - 22)
            + 0.25 * (family_dm == 2)
            + glu_offset
            + rng.normal(0, 0.3, n)
        )
        hba1c = 2.6 + 0.55 * glu + rng.normal(0, 0.2, n)
        ua = 250 + 70 * male + 9 * (bmi - 22) + ua_offset + rng.normal(0, 30, n)
        alt = (
            np.exp(np.log(18) + 0.06 * (bmi - 22) + 0.2 * male)
            * alt_factor
            * rng.lognormal(0, 0.25, n)
        )
        ast = 0.6 * alt + 10 + rng.normal(0, 3, n)
        ggt = np.exp(np.log(22) + 0.04 * (bmi - 22) + 0.3 * male) * rng.lognormal(0, 0.4, n)
        egfr = np.clip((125 - 0.8 * age) * egfr_factor + rng.normal(0, 5, n), 20, 140)
        creat = _creatinine_for(egfr, age, male)
        frames.append(
            pd.DataFrame(
                {
                    "officer": np.arange(n),
                    "year": year,
                    "age": np.round(age, 2),
                    "sex": np.where(male, "M", "F"),
                    "height": np.round(height, 1),
                    "weight": np.round(weight, 1),
                    "waist": np.round(waist, 1),
                    "bmi": np.round(bmi, 1),
                    "sbp": np.round(np.clip(sbp, 85, 230)),
                    "dbp": np.round(np.clip(dbp, 50, 140)),
                    "tc": np.round(np.clip(tc, 2.0, 12), 2),
                    "tg": np.round(np.clip(tg, 0.3, 20), 2),
                    "hdl": np.round(hdl, 2),
                    "ldl": np.round(ldl, 2),
                    "glu": np.round(np.clip(glu, 3.2, 20), 2),
                    "hba1c": np.round(np.clip(hba1c, 4.0, 14), 1),
                    "alt": np.round(alt),
                    "ast": np.round(np.clip(ast, 8, None)),
                    "ggt": np.round(ggt),
                    "creat": np.round(creat),
                    "ua": np.round(np.clip(ua, 120, 700)),
                    "smoking": np.asarray(SMOKING_LEVELS)[smoking],
                    "bp_treated": bp_treated.copy(),
                    "lipid_treated": lipid_treated.copy(),
                    "family_history_diabetes": np.asarray(FAMILY_LEVELS)[family_dm],
                    "family_history_cvd": family_cvd,
                    "physically_active": active.copy(),
                    "daily_fruit_veg": fruit_veg,
                    "high_glucose_history": high_glucose_seen.copy(),
                    "synthetic": True,
                }
            )
        )
        # what this year's checkup starts: treatment after a value in the treatment range
        # (2018 Chinese hypertension guideline ≥140/90; lipid guideline LDL-C ≥4.9 mmol/L)
        bp_treated |= (sbp >= 150) | (dbp >= 95)
        high_glucose_seen |= glu >= 6.1
        lipid_treated |= ldl >= 4.9
        quit_now = (smoking == 2) & (rng.random(n) < 0.05)
        smoking = np.where(quit_now, 1, smoking)
        active = np.where(rng.random(n) < 0.1, ~active, active)
    return pd.concat(frames, ignore_index=True)


def _creatinine_for(egfr: np.ndarray, age: np.ndarray, male: np.ndarray) -> np.ndarray:
    """Invert CKD-EPI 2021 (Inker 2021) for the creatinine (µmol/L) that gives ``egfr``."""
    kappa = np.where(male, 0.9, 0.7)
    alpha = np.where(male, -0.302, -0.241)
    sex_factor = np.where(male, 1.0, 1.012)
    base = egfr / (142 * 0.9938**age * sex_factor)
    # above kappa: ratio**-1.200 = base → ratio = base**(-1/1.2); below: ratio**alpha = base
    ratio_high = base ** (-1 / 1.2)
    ratio_low = base ** (1 / alpha)
    ratio = np.where(ratio_high >= 1, ratio_high, np.minimum(ratio_low, 1))
    return ratio * kappa * 88.42
