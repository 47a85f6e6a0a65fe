"""Values computed from measured ones: BMI, non-HDL cholesterol and eGFR.

Vectorised over numpy arrays or pandas columns; a missing (NaN) or physically meaningless input
gives NaN rather than an error, so one bad row never stops a whole screening session.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from health.rules._arrays import FloatArray, as_float, as_sex

# 1 mg/dL creatinine = 88.4 µmol/L (molar mass 113.12 g/mol); the factor used by Inker et al.
# N Engl J Med 2021;385:1737-49 and by the NKF eGFR calculator.
CREATININE_UMOL_PER_MG_DL = 88.4

# CKD-EPI 2021 race-free creatinine equation, Inker LA et al. N Engl J Med 2021;385:1737-49,
# Table 1 / Supplementary Appendix: eGFR = 142 × min(Scr/κ,1)^α × max(Scr/κ,1)^−1.200
# × 0.9938^age × 1.012 [if female].
CKD_EPI_2021_CONSTANT = 142.0
CKD_EPI_2021_KAPPA = {"F": 0.7, "M": 0.9}
CKD_EPI_2021_ALPHA = {"F": -0.241, "M": -0.302}
CKD_EPI_2021_EXPONENT_ABOVE_KAPPA = -1.200
CKD_EPI_2021_AGE_BASE = 0.9938
CKD_EPI_2021_FEMALE_FACTOR = 1.012
# The equation was developed and validated in adults (Inker 2021, Methods: age ≥18 years).
CKD_EPI_2021_MIN_AGE = 18.0


# What each derived value is computed from, so a finding or a record can show its inputs.
DERIVED_INPUTS: dict[str, tuple[str, ...]] = {
    "bmi": ("weight", "height"),
    "non_hdl": ("tc", "hdl"),
    "egfr": ("creat", "age", "sex"),
}


# Shown in the record with their inputs but not graded: this ruleset sets no screening threshold
# on them. Globulin is calculated as total protein − albumin and A/G as albumin / globulin, as
# Chinese liver panels print them (全国临床检验操作规程, 第4版, 2015); TC/HDL-C is the total to
# HDL cholesterol ratio that cardiovascular risk charts use.
RATIO_INPUTS: dict[str, tuple[str, str]] = {
    "globulin": ("tp", "alb"),
    "ag_ratio": ("alb", "globulin"),
    "tc_hdl_ratio": ("tc", "hdl"),
}
RATIO_DECIMALS: dict[str, int] = {"globulin": 1, "ag_ratio": 2, "tc_hdl_ratio": 2}


def ratios(values: Mapping[str, float]) -> dict[str, float]:
    """Globulin, A/G and TC/HDL-C from one checkup's values, where the inputs are present."""
    out: dict[str, float] = {}
    known = dict(values)
    if "tp" in known and "alb" in known and known["tp"] > known["alb"]:
        out["globulin"] = known["globulin"] = known["tp"] - known["alb"]
        out["ag_ratio"] = known["alb"] / out["globulin"]
    if "tc" in known and known.get("hdl", 0.0) > 0:
        out["tc_hdl_ratio"] = known["tc"] / known["hdl"]
    return out


def bmi(weight_kg: npt.ArrayLike, height_cm: npt.ArrayLike) -> FloatArray:
    """Body-mass index, weight (kg) / height (m)²: the WHO definition (WHO TRS 894, 2000)."""
    weight = as_float(weight_kg)
    height_m = as_float(height_cm) / 100.0
    with np.errstate(divide="ignore", invalid="ignore"):
        value = weight / (height_m * height_m)
    return np.where((height_m > 0) & (weight > 0), value, np.nan)


def non_hdl(tc: npt.ArrayLike, hdl: npt.ArrayLike) -> FloatArray:
    """Non-HDL-C = TC − HDL-C (中国血脂管理指南2023年, 血脂检测项目: 非HDL-C)."""
    return as_float(tc) - as_float(hdl)


def egfr_ckd_epi_2021(
    creat_umol_l: npt.ArrayLike, age_years: npt.ArrayLike, sex: npt.ArrayLike
) -> FloatArray:
    """eGFR (mL/min/1.73 m²) by the race-free CKD-EPI 2021 creatinine equation (Inker 2021).

    Unrounded; NaN for a missing or non-positive creatinine, an unknown sex or age under 18.
    """
    scr_mg_dl = as_float(creat_umol_l) / CREATININE_UMOL_PER_MG_DL
    age = as_float(age_years)
    sexes = as_sex(sex)
    female = sexes == "F"
    known = female | (sexes == "M")
    kappa = np.where(female, CKD_EPI_2021_KAPPA["F"], CKD_EPI_2021_KAPPA["M"])
    alpha = np.where(female, CKD_EPI_2021_ALPHA["F"], CKD_EPI_2021_ALPHA["M"])
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = scr_mg_dl / kappa
        value = (
            CKD_EPI_2021_CONSTANT
            * np.minimum(ratio, 1.0) ** alpha
            * np.maximum(ratio, 1.0) ** CKD_EPI_2021_EXPONENT_ABOVE_KAPPA
            * CKD_EPI_2021_AGE_BASE**age
            * np.where(female, CKD_EPI_2021_FEMALE_FACTOR, 1.0)
        )
    valid = known & (scr_mg_dl > 0) & (age >= CKD_EPI_2021_MIN_AGE)
    return np.where(valid, value, np.nan)


def round_half_up(values: npt.ArrayLike, decimals: int = 0) -> FloatArray:
    """Round halves away from zero (as laboratories report), not numpy's half-to-even."""
    scale = 10.0**decimals
    array = as_float(values)
    return np.sign(array) * np.floor(np.abs(array) * scale + 0.5) / scale


def fill_derived(
    values: Mapping[str, FloatArray], sex: npt.ArrayLike, age_years: npt.ArrayLike
) -> dict[str, FloatArray]:
    """Return ``values`` with bmi, non_hdl and egfr filled in where absent and computable.

    A value that was supplied (e.g. by the lab) is kept. eGFR is reported as a whole number, as
    the NKF Laboratory Engagement Working Group recommends (Miller WG et al., Clin Chem
    2022;68:511-20), so grading sees the number the officer sees.
    """
    out = dict(values)
    n = len(as_float(age_years))
    missing = np.full(n, np.nan)

    def fill(code: str, computed: FloatArray) -> None:
        given = as_float(out.get(code, missing))
        out[code] = np.where(np.isnan(given), computed, given)

    fill("bmi", bmi(out.get("weight", missing), out.get("height", missing)))
    fill("non_hdl", non_hdl(out.get("tc", missing), out.get("hdl", missing)))
    egfr = egfr_ckd_epi_2021(out.get("creat", missing), age_years, sex)
    fill("egfr", round_half_up(egfr))
    return out
