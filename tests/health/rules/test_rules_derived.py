"""BMI, non-HDL-C and CKD-EPI 2021 eGFR against published and hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from health.derived import (
    bmi,
    egfr_ckd_epi_2021,
    fill_derived,
    non_hdl,
    round_half_up,
)

INKER = "Inker LA et al. N Engl J Med 2021;385:1737-49 (CKD-EPI 2021 creatinine equation)"
NKF = "NKF CKD-EPI 2021 calculator (kidney.org) worked example"
WHO_BMI = "WHO TRS 894 (2000): BMI = kg/m²"
LIPID = "中国血脂管理指南2023: 非HDL-C = TC − HDL-C"


def _hand_egfr(scr_mg_dl: float, age: float, female: bool) -> float:
    """Independent scalar transcription of Inker 2021 to check the vectorised one against."""
    kappa, alpha = (0.7, -0.241) if female else (0.9, -0.302)
    ratio = scr_mg_dl / kappa
    value = 142.0 * min(ratio, 1.0) ** alpha * max(ratio, 1.0) ** -1.2 * 0.9938**age
    return float(value * 1.012 if female else value)


# (scr mg/dL, age, sex, expected eGFR, tolerance, source)
EGFR_CASES = [
    (1.2, 55, "M", 71.0, 0.5, NKF + ": 55 y man, Scr 1.2 mg/dL -> 71"),
    (1.0, 50, "M", 91.69, 0.01, INKER + ", hand-computed 142*(1/0.9)^-1.2*0.9938^50"),
    (0.9, 40, "M", 110.73, 0.01, INKER + ", Scr = kappa (M): 142*0.9938^40"),
    (0.7, 40, "F", 112.05, 0.01, INKER + ", Scr = kappa (F): 142*0.9938^40*1.012"),
    (0.5, 30, "F", 142 * (0.5 / 0.7) ** -0.241 * 0.9938**30 * 1.012, 1e-9, INKER + ", below kappa"),
    (2.5, 70, "M", 142 * (2.5 / 0.9) ** -1.2 * 0.9938**70, 1e-9, INKER + ", above kappa"),
]


@pytest.mark.parametrize(("scr", "age", "sex", "expected", "tol", "source"), EGFR_CASES)
def test_egfr_ckd_epi_2021_matches_published_and_hand_values(
    scr: float, age: float, sex: str, expected: float, tol: float, source: str
) -> None:
    got = egfr_ckd_epi_2021([scr * 88.4], [age], [sex])[0]
    assert got == pytest.approx(expected, abs=tol), source
    assert got == pytest.approx(_hand_egfr(scr, age, sex == "F"), rel=1e-12)


@pytest.mark.parametrize("sex", ["M", "F"])
@pytest.mark.parametrize("delta", [-1e-6, 0.0, 1e-6])
def test_egfr_is_continuous_at_scr_equal_kappa(sex: str, delta: float) -> None:
    """Inker 2021: both branches equal 1 at Scr = kappa, so the curve has no step there."""
    kappa = 0.7 if sex == "F" else 0.9
    at_kappa = _hand_egfr(kappa, 45, sex == "F")
    got = egfr_ckd_epi_2021([(kappa + delta) * 88.4], [45], [sex])[0]
    assert got == pytest.approx(at_kappa, rel=1e-5)


def test_egfr_uses_the_lower_exponent_only_below_kappa() -> None:
    # Inker 2021: alpha applies to min(Scr/k, 1); -1.200 to max(Scr/k, 1).
    below = egfr_ckd_epi_2021([0.89 * 88.4], [45], ["M"])[0]
    above = egfr_ckd_epi_2021([0.91 * 88.4], [45], ["M"])[0]
    assert below == pytest.approx(142 * (0.89 / 0.9) ** -0.302 * 0.9938**45)
    assert above == pytest.approx(142 * (0.91 / 0.9) ** -1.2 * 0.9938**45)


def test_egfr_propagates_missing_and_rejects_non_adults_and_unknown_sex() -> None:
    got = egfr_ckd_epi_2021(
        [88.4, np.nan, 88.4, 88.4, 0.0, 88.4],
        [40, 40, np.nan, 17.9, 40, 40],
        ["M", "M", "M", "M", "M", "X"],
    )
    assert not math.isnan(got[0])
    assert np.isnan(got[1:]).all()


def test_egfr_accepts_pandas_columns() -> None:
    frame = pd.DataFrame({"creat": [79.56, 106.08], "age": [40.0, 55.0], "sex": ["M", "M"]})
    got = egfr_ckd_epi_2021(frame["creat"], frame["age"], frame["sex"])
    assert got.shape == (2,)
    assert round(got[1]) == 71  # NKF example: 1.2 mg/dL = 106.08 µmol/L


@pytest.mark.parametrize(
    ("weight", "height", "expected", "source"),
    [
        (70.0, 175.0, 22.857142857, WHO_BMI),
        (60.0, 160.0, 23.4375, WHO_BMI),
        (np.nan, 170.0, np.nan, WHO_BMI + "; missing weight"),
        (70.0, 0.0, np.nan, WHO_BMI + "; height 0 is not a body"),
    ],
)
def test_bmi_is_weight_over_height_squared(
    weight: float, height: float, expected: float, source: str
) -> None:
    np.testing.assert_allclose(bmi([weight], [height]), [expected], err_msg=source)


def test_non_hdl_is_tc_minus_hdl() -> None:
    np.testing.assert_allclose(non_hdl([5.2, np.nan], [1.3, 1.0]), [3.9, np.nan], err_msg=LIPID)


@pytest.mark.parametrize(
    ("value", "expected"), [(59.5, 60.0), (59.49, 59.0), (60.5, 61.0), (-0.5, -1.0)]
)
def test_round_half_up_rounds_halves_away_from_zero(value: float, expected: float) -> None:
    assert round_half_up([value])[0] == expected


def test_fill_derived_keeps_supplied_values_and_fills_missing_ones() -> None:
    values = {
        "weight": np.array([70.0, 70.0]),
        "height": np.array([175.0, 175.0]),
        "bmi": np.array([np.nan, 30.0]),
        "tc": np.array([5.0, 5.0]),
        "hdl": np.array([1.0, 1.0]),
        "creat": np.array([106.08, 106.08]),
    }
    out = fill_derived(values, ["M", "M"], [55.0, 55.0])
    np.testing.assert_allclose(out["bmi"], [22.857142857, 30.0])
    np.testing.assert_allclose(out["non_hdl"], [4.0, 4.0])
    np.testing.assert_allclose(out["egfr"], [71.0, 71.0])  # NKF example, whole number
