"""ACC/AHA Pooled Cohort Equations (2013): 10-year risk of a first hard ASCVD event.

Source: Goff DC Jr et al. 2013 ACC/AHA Guideline on the Assessment of Cardiovascular Risk.
Circulation 2014;129(25 Suppl 2):S49–S73, Appendix 7 Table A (coefficients, mean of the sums,
baseline survival) and its worked example (55 y, TC 213 mg/dL, HDL 50 mg/dL, untreated SBP
120 mmHg, non-smoker, no diabetes). Bands: Grundy SM et al. 2018 AHA/ACC Guideline on the
Management of Blood Cholesterol, Circulation 2019;139:e1082, section 4.4.1 (<5 % low,
5–<7.5 % borderline, 7.5–<20 % intermediate, ≥20 % high).
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

# Appendix 7 Table A, column order: ln age, ln age², ln TC, ln age×ln TC, ln HDL,
# ln age×ln HDL, ln treated SBP, ln age×ln treated SBP, ln untreated SBP,
# ln age×ln untreated SBP, smoker, ln age×smoker, diabetes; then mean sum, S0(10).
TERMS = (
    "ln_age",
    "ln_age_sq",
    "ln_tc",
    "ln_age_ln_tc",
    "ln_hdl",
    "ln_age_ln_hdl",
    "ln_treated_sbp",
    "ln_age_ln_treated_sbp",
    "ln_untreated_sbp",
    "ln_age_ln_untreated_sbp",
    "smoker",
    "ln_age_smoker",
    "diabetes",
)
COEFFICIENTS: dict[tuple[str, str], tuple[tuple[float, ...], float, float]] = {
    ("F", "white"): (
        (-29.799, 4.884, 13.540, -3.114, -13.578, 3.149, 2.019, 0, 1.957, 0, 7.574, -1.665, 0.661),
        -29.18,
        0.9665,
    ),
    ("F", "african_american"): (
        (17.114, 0, 0.940, 0, -18.920, 4.475, 29.291, -6.432, 27.820, -6.087, 0.691, 0, 0.874),
        86.61,
        0.9533,
    ),
    ("M", "white"): (
        (12.344, 0, 11.853, -2.664, -7.990, 1.769, 1.797, 0, 1.764, 0, 7.837, -1.795, 0.658),
        61.18,
        0.9144,
    ),
    ("M", "african_american"): (
        (2.469, 0, 0.302, 0, -0.307, 0, 1.916, 0, 1.809, 0, 0.549, 0, 0.645),
        19.54,
        0.8954,
    ),
}


def _mg_dl(mmol_l: FloatArray) -> FloatArray:
    return np.round(mmol_l * CHOLESTEROL_MG_DL_PER_MMOL_L, 6)


def _terms(c: Mapping[str, Any]) -> FloatArray:
    ln_age = np.log(c["age"])
    ln_tc = np.log(_mg_dl(c["tc"]))
    ln_hdl = np.log(_mg_dl(c["hdl"]))
    ln_sbp = np.log(c["sbp"])
    treated = c["bp_treated"]
    smoker = c["smoker"]
    return np.stack(
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
            c["diabetes"],
        ],
        axis=1,
    )


def _groups(c: Mapping[str, Any]) -> list[tuple[Any, tuple[float, ...], float, float]]:
    """(rows, coefficients, mean sum, S0) per equation; other races use the white equations."""
    black = np.asarray(c["race"] == "african_american", dtype=bool)
    male = np.asarray(c["sex"] == "M", dtype=bool)
    female = np.asarray(c["sex"] == "F", dtype=bool)
    out = []
    for (sex, group), (coefs, mean, s0) in COEFFICIENTS.items():
        of_sex = male if sex == "M" else female
        rows = of_sex & (black if group == "african_american" else ~black)
        out.append((rows, coefs, mean, s0))
    return out


def individual_sum(c: Mapping[str, Any]) -> FloatArray:
    """Σ coefficient × value, per row, with the row's sex/race equation."""
    terms = _terms(c)
    out = np.full(len(terms), np.nan)
    for rows, coefs, _, _ in _groups(c):
        out[rows] = terms[rows] @ np.asarray(coefs)
    return out


def compute(c: Mapping[str, Any]) -> FloatArray:
    """1 − S0(10)^exp(sum − mean sum) (Goff 2013, Appendix 7)."""
    terms = _terms(c)
    out = np.full(len(terms), np.nan)
    for rows, coefs, mean, s0 in _groups(c):
        out[rows] = 1 - s0 ** np.exp(terms[rows] @ np.asarray(coefs) - mean)
    return out


def band_of(value: FloatArray, _: Mapping[str, Any]) -> IntArray:
    return cut(value, (0.05, 0.075, 0.20))


SPEC = EquationSpec(
    id="pce_2013",
    version="pce_2013/1",
    name="ACC/AHA Pooled Cohort Equations",
    outcome="10-year risk of a first hard ASCVD event (CHD death, non-fatal MI, stroke)",
    result_unit="1",
    citation=(
        "Goff DC Jr et al. 2013 ACC/AHA Guideline on the Assessment of Cardiovascular Risk. "
        "Circulation 2014;129(25 Suppl 2):S49-S73, Appendix 7 Table A"
    ),
    validation=Validation.VALIDATED,
    validation_source=(
        "Goff 2013 Appendix 7 Table A worked example: 2.1 % white woman, 3.0 % African "
        "American woman, 5.3 % white man, 6.1 % African American man"
    ),
    inputs=(
        inputs.AGE,
        inputs.SEX,
        inputs.RACE,
        inputs.TC,
        inputs.HDL,
        inputs.SBP,
        inputs.BP_TREATED,
        inputs.SMOKER,
        inputs.DIABETES,
    ),
    domain=(
        DomainRule("age 40–79 years (Goff 2013)", lambda c: between(c["age"], 40, 79)),
        DomainRule(
            "total cholesterol 130–320 mg/dL (3.36–8.28 mmol/L), ACC/AHA risk estimator range",
            lambda c: between(_mg_dl(c["tc"]), 130, 320),
        ),
        DomainRule(
            "HDL cholesterol 20–100 mg/dL (0.52–2.59 mmol/L), ACC/AHA risk estimator range",
            lambda c: between(_mg_dl(c["hdl"]), 20, 100),
        ),
        DomainRule(
            "systolic blood pressure 90–200 mmHg, ACC/AHA risk estimator range",
            lambda c: between(c["sbp"], 90, 200),
        ),
    ),
    bands=(
        Band("low", "low (<5 %)", "低危 (<5%)", "low"),
        Band("borderline", "borderline (5–<7.5 %)", "临界 (5–<7.5%)", "moderate"),
        Band("intermediate", "intermediate (7.5–<20 %)", "中危 (7.5–<20%)", "moderate"),
        Band("high", "high (≥20 %)", "高危 (≥20%)", "high"),
    ),
    notes=(
        "Derived in white and African American US adults; for other groups the guideline "
        "suggests the white equations, which may over- or underestimate risk (race 'other').",
    ),
)

EQUATION = Equation(SPEC, compute, band_of)
