"""SCORE2 (2021): 10-year risk of fatal and non-fatal CVD in Europe, recalibrated by region.

Source: SCORE2 working group and ESC Cardiovascular Risk Collaboration. SCORE2 risk prediction
algorithms. Eur Heart J 2021;42:2439–2454, Supplementary Methods Table 2 (sex-specific
coefficients and centring, baseline survival) and Table 3 (region recalibration scales);
worked examples in Supplementary Methods Table 4. Age 40–69, without diabetes (those use
SCORE2-Diabetes). Bands: Visseren FLJ et al. 2021 ESC Guidelines on CVD prevention,
Eur Heart J 2021;42:3227, Table 3: under 50 years <2.5 / 2.5–<7.5 / ≥7.5 %; 50–69 years
<5 / 5–<10 / ≥10 % (low-to-moderate / high / very high).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ml.equations import inputs
from ml.equations.base import (
    Band,
    DomainRule,
    Equation,
    EquationSpec,
    FloatArray,
    IntArray,
    Validation,
    between,
)

# Supplementary Table 2: age, smoking, SBP, diabetes, TC, HDL, smoking×age, SBP×age, TC×age,
# HDL×age, diabetes×age; centring: cage=(age−60)/5, csbp=(SBP−120)/20, ctc=TC−6,
# chdl=(HDL−1.3)/0.5 (mmol/L).
COEFFICIENTS: dict[str, tuple[float, ...]] = {
    "M": (
        0.3742,
        0.6012,
        0.2777,
        0.6457,
        0.1458,
        -0.2698,
        -0.0755,
        -0.0255,
        -0.0281,
        0.0426,
        -0.0983,
    ),
    "F": (
        0.4648,
        0.7744,
        0.3131,
        0.8096,
        0.1002,
        -0.2606,
        -0.1088,
        -0.0277,
        -0.0226,
        0.0613,
        -0.1272,
    ),
}
REGIONS = ("low", "moderate", "high", "very_high")
BASELINE_SURVIVAL = {"M": 0.9605, "F": 0.9776}
# Supplementary Table 3: (scale1, scale2) per region and sex.
RECALIBRATION: dict[tuple[str, str], tuple[float, float]] = {
    ("low", "M"): (-0.5699, 0.7476),
    ("low", "F"): (-0.7380, 0.7019),
    ("moderate", "M"): (-0.1565, 0.8009),
    ("moderate", "F"): (-0.3143, 0.7701),
    ("high", "M"): (0.3207, 0.9360),
    ("high", "F"): (0.5710, 0.9369),
    ("very_high", "M"): (0.5836, 0.8294),
    ("very_high", "F"): (0.9412, 0.8329),
}


def compute(c: Mapping[str, Any]) -> FloatArray:
    """Uncalibrated 1 − S0^exp(lp), then 1 − exp(−exp(s1 + s2 ln(−ln(1 − risk))))."""
    cage = (c["age"] - 60) / 5
    csbp = (c["sbp"] - 120) / 20
    ctc = c["tc"] - 6
    chdl = (c["hdl"] - 1.3) / 0.5
    smoker = c["smoker"]
    diabetes = c["diabetes"]
    terms = np.stack(
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
    male = c["sex"] == "M"
    coefs = np.where(male[:, None], COEFFICIENTS["M"], COEFFICIENTS["F"])
    linear = np.einsum("ij,ij->i", terms, coefs)
    baseline = np.where(male, BASELINE_SURVIVAL["M"], BASELINE_SURVIVAL["F"])
    uncalibrated = 1 - baseline ** np.exp(linear)
    region = pd.Index(REGIONS).get_indexer(pd.Index(np.asarray(c["region"], dtype=object)))
    scales = np.array(
        [[RECALIBRATION[(r, sex)] for r in REGIONS] for sex in ("F", "M")] + [[(np.nan,) * 2] * 4]
    )
    sex_row = np.where(male, 1, np.where(c["sex"] == "F", 0, 2))
    chosen = scales[sex_row, np.where(region >= 0, region, 0)]
    chosen[region < 0] = np.nan
    scale1, scale2 = chosen[:, 0], chosen[:, 1]
    return np.asarray(
        1 - np.exp(-np.exp(scale1 + scale2 * np.log(-np.log(1 - uncalibrated)))), dtype=np.float64
    )


def band_of(value: FloatArray, c: Mapping[str, Any]) -> IntArray:
    young = c["age"] < 50
    low_edge = np.where(young, 0.025, 0.05)
    high_edge = np.where(young, 0.075, 0.10)
    return ((value >= low_edge).astype(np.int64) + (value >= high_edge)).astype(np.int64)


SPEC = EquationSpec(
    id="score2_2021",
    version="score2_2021/1",
    name="SCORE2",
    outcome="10-year risk of fatal and non-fatal cardiovascular disease",
    result_unit="1",
    citation=(
        "SCORE2 working group and ESC Cardiovascular Risk Collaboration. Eur Heart J "
        "2021;42:2439-2454, Supplementary Methods Tables 2-3"
    ),
    validation=Validation.VALIDATED,
    validation_source=(
        "SCORE2 Supplementary Methods Table 4 (50 y smoker, SBP 140, TC 6.3, HDL 1.4: men/women "
        "6/4 % low, 8/5 % moderate, 9/7 % high, 15/14 % very high region), as also tested by "
        "the RiskScorescvd R package"
    ),
    inputs=(
        inputs.AGE,
        inputs.SEX,
        inputs.REGION,
        inputs.TC,
        inputs.HDL,
        inputs.SBP,
        inputs.SMOKER,
        inputs.DIABETES,
    ),
    domain=(
        DomainRule(
            "age 40–69 years (SCORE2; SCORE2-OP from 70)", lambda c: between(c["age"], 40, 69)
        ),
        DomainRule(
            "not for people with diabetes (use SCORE2-Diabetes)",
            lambda c: ~(c["diabetes"] == 1),
        ),
    ),
    bands=(
        Band("low_moderate", "low to moderate", "低至中危", "low"),
        Band("high", "high", "高危", "moderate"),
        Band("very_high", "very high", "极高危", "high"),
    ),
    notes=(
        "Calibrated to European risk regions; no region covers China, so stored checkups "
        "are scored only when a region is given.",
    ),
)

EQUATION = Equation(SPEC, compute, band_of)
