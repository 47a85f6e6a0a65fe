"""Framingham general cardiovascular disease risk (D'Agostino 2008), 10-year risk.

Source: D'Agostino RB Sr et al. General cardiovascular risk profile for use in primary care:
the Framingham Heart Study. Circulation 2008;117:743–753, Table 2 (regression coefficients,
mean of the sums, baseline survival S0(10)); participants 30–74 years free of CVD.
Bands: NCEP ATP III (JAMA 2001;285:2486) risk categories <10 %, 10–20 %, >20 %.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ml.equations import inputs
from ml.equations.base import (
    CHOLESTEROL_MG_DL_PER_MMOL_L,
    Band,
    DomainRule,
    Equation,
    EquationSpec,
    FloatArray,
    IntArray,
    Validation,
    between,
    cut,
)

# Table 2: ln age, ln TC, ln HDL, ln SBP untreated, ln SBP treated, smoker, diabetes;
# then the mean of the sums and S0(10).
COEFFICIENTS: dict[str, tuple[tuple[float, ...], float, float]] = {
    "F": ((2.32888, 1.20904, -0.70833, 2.76157, 2.82263, 0.52873, 0.69154), 26.1931, 0.95012),
    "M": ((3.06117, 1.12370, -0.93263, 1.93303, 1.99881, 0.65451, 0.57367), 23.9802, 0.88936),
}


def compute(c: Mapping[str, Any]) -> FloatArray:
    """1 − S0(10)^exp(Σβx − mean), Table 2."""
    ln_sbp = np.log(c["sbp"])
    treated = c["bp_treated"]
    terms = np.stack(
        [
            np.log(c["age"]),
            np.log(np.round(c["tc"] * CHOLESTEROL_MG_DL_PER_MMOL_L, 6)),
            np.log(np.round(c["hdl"] * CHOLESTEROL_MG_DL_PER_MMOL_L, 6)),
            ln_sbp * (1 - treated),
            ln_sbp * treated,
            c["smoker"],
            c["diabetes"],
        ],
        axis=1,
    )
    out = np.full(len(terms), np.nan)
    for sex, (coefs, mean, s0) in COEFFICIENTS.items():
        rows = c["sex"] == sex
        out[rows] = 1 - s0 ** np.exp(terms[rows] @ np.asarray(coefs) - mean)
    return out


def band_of(value: FloatArray, _: Mapping[str, Any]) -> IntArray:
    return cut(value, (0.10, 0.20))


SPEC = EquationSpec(
    id="framingham_cvd_2008",
    version="framingham_cvd_2008/1",
    name="Framingham general CVD risk",
    outcome=(
        "10-year risk of CVD (coronary, cerebrovascular, peripheral artery disease, heart failure)"
    ),
    result_unit="1",
    citation=(
        "D'Agostino RB Sr et al. General cardiovascular risk profile for use in primary care. "
        "Circulation 2008;117:743-753, Table 2"
    ),
    validation=Validation.UNVALIDATED,
    validation_source=(
        "No worked example of the paper was available to this build; the coefficients match "
        "Table 2 as reproduced by the CVrisk R package, whose test (55 y man, TC 213, HDL 50, "
        "untreated SBP 140 → 13.53 %) the tests reproduce"
    ),
    inputs=(
        inputs.AGE,
        inputs.SEX,
        inputs.TC,
        inputs.HDL,
        inputs.SBP,
        inputs.BP_TREATED,
        inputs.SMOKER,
        inputs.DIABETES,
    ),
    domain=(
        DomainRule("age 30–74 years (derivation cohort)", lambda c: between(c["age"], 30, 74)),
    ),
    bands=(
        Band("low", "low (<10 %)", "低危 (<10%)", "low"),
        Band("intermediate", "intermediate (10–<20 %)", "中危 (10–<20%)", "moderate"),
        Band("high", "high (≥20 %)", "高危 (≥20%)", "high"),
    ),
)

EQUATION = Equation(SPEC, compute, band_of)
