"""ASCVD risk stratification of the Chinese adult dyslipidaemia guideline (2016, 2023).

Source: Joint committee for guideline revision. 2016 Chinese guidelines for the management of
dyslipidemia in adults. Chin Circ J 2016;31:937–953, Figure 1 (中国成人ASCVD总体发病风险评估
流程图); kept in the Chinese guidelines for lipid management 2023 (Chin Circ J 2023;38:237),
Figure 1. It is a table, traced cell by cell:

- high directly: LDL-C ≥ 4.9 or TC ≥ 7.2 mmol/L; diabetes, age ≥ 40 and LDL-C ≥ 1.8 or TC ≥ 3.1;
- otherwise the 10-year table by hypertension, the count of risk factors (smoking, HDL-C < 1.0
  mmol/L, age ≥ 45 men / ≥ 55 women) and the LDL-C/TC stratum (1.8–<2.6 / 2.6–<3.4 / 3.4–<4.9
  LDL-C, or 3.1–<4.1 / 4.1–<5.2 / 5.2–<7.2 TC): low < 5 %, moderate 5–9 %, high ≥ 10 %;
- lifetime step: moderate and age < 55 with ≥ 2 of SBP ≥ 160 or DBP ≥ 100 mmHg, non-HDL-C ≥ 5.2,
  HDL-C < 1.0 mmol/L, BMI ≥ 28 kg/m², smoking → high (remaining-lifetime risk).

Not for established ASCVD (very high risk by definition; the record does not hold it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ml.equations import inputs
from ml.equations.base import (
    Band,
    DomainRule,
    Equation,
    EquationSpec,
    FloatArray,
    IntArray,
    Validation,
)

LOW, MODERATE, HIGH = 0, 1, 2
TC_EDGES = (3.1, 4.1, 5.2, 7.2)
LDL_EDGES = (1.8, 2.6, 3.4, 4.9)
# TABLE[hypertension][risk factors 0..3][stratum 1..3] (Figure 1, 10-year risk table).
TABLE = np.array(
    [
        [[LOW, LOW, LOW], [LOW, LOW, LOW], [LOW, LOW, MODERATE], [LOW, MODERATE, MODERATE]],
        [[LOW, LOW, LOW], [LOW, MODERATE, MODERATE], [MODERATE, HIGH, HIGH], [HIGH, HIGH, HIGH]],
    ],
    dtype=np.int64,
)


def stratum(c: Mapping[str, Any]) -> IntArray:
    """0 below the table, 1–3 the table's columns, 4 at or above LDL-C 4.9 / TC 7.2."""
    by_tc = np.searchsorted(np.asarray(TC_EDGES), c["tc"], side="right")
    by_ldl = np.searchsorted(np.asarray(LDL_EDGES), c["ldl"], side="right")
    column: IntArray = np.maximum(by_tc, by_ldl).astype(np.int64)
    return column


def risk_factors(c: Mapping[str, Any]) -> IntArray:
    older = np.where(c["sex"] == "M", c["age"] >= 45, c["age"] >= 55)
    count: IntArray = ((c["smoker"] == 1).astype(np.int64) + (c["hdl"] < 1.0) + older).astype(
        np.int64
    )
    return count


def compute(c: Mapping[str, Any]) -> FloatArray:
    """The band index (0 low, 1 moderate, 2 high) as a number."""
    column = stratum(c)
    htn = (c["hypertension"] == 1).astype(np.int64)
    table = TABLE[htn, np.clip(risk_factors(c), 0, 3), np.clip(column - 1, 0, 2)]
    lifetime = (
        ((c["sbp"] >= 160) | (c["dbp"] >= 100)).astype(np.int64)
        + (c["non_hdl"] >= 5.2)
        + (c["hdl"] < 1.0)
        + (c["bmi"] >= 28)
        + (c["smoker"] == 1)
    )
    table = np.where((table == MODERATE) & (c["age"] < 55) & (lifetime >= 2), HIGH, table)
    direct = (column == 4) | ((c["diabetes"] == 1) & (c["age"] >= 40) & (column >= 1))
    return np.where(direct, HIGH, table).astype(np.float64)


def band_of(value: FloatArray, _: Mapping[str, Any]) -> IntArray:
    return np.nan_to_num(value, nan=-1).astype(np.int64)


def _in_table(c: Mapping[str, Any]) -> Any:
    below = (c["tc"] < TC_EDGES[0]) & (c["ldl"] < LDL_EDGES[0])
    return ~below


SPEC = EquationSpec(
    id="cn_lipid_ascvd",
    version="cn_lipid_ascvd_2016/1",
    name="Chinese dyslipidaemia guideline ASCVD risk stratification",
    outcome="10-year ASCVD risk band (low <5 %, moderate 5–9 %, high ≥10 %) with lifetime step",
    result_unit="{category}",
    citation=(
        "2016 Chinese guidelines for the management of dyslipidemia in adults, Chin Circ J "
        "2016;31:937-953, Figure 1; Chinese guidelines for lipid management 2023, Figure 1"
    ),
    validation=Validation.VALIDATED,
    validation_source=(
        "every cell of Figure 1 (2016) traced by a test, with the direct and lifetime steps"
    ),
    inputs=(
        inputs.AGE,
        inputs.SEX,
        inputs.TC,
        inputs.LDL,
        inputs.HDL,
        inputs.NON_HDL,
        inputs.SBP,
        inputs.DBP,
        inputs.BMI,
        inputs.SMOKER,
        inputs.HYPERTENSION,
        inputs.DIABETES,
    ),
    domain=(
        DomainRule("adults (18 years or older)", lambda c: np.isnan(c["age"]) | (c["age"] >= 18)),
        DomainRule(
            "below the table: TC < 3.1 and LDL-C < 1.8 mmol/L has no cell in Figure 1",
            _in_table,
        ),
    ),
    bands=(
        Band("low", "low (<5 %)", "低危 (<5%)", "low"),
        Band("moderate", "moderate (5–9 %)", "中危 (5–9%)", "moderate"),
        Band("high", "high (≥10 % or lifetime)", "高危 (≥10%或余生风险高)", "high"),
    ),
)

EQUATION = Equation(SPEC, compute, band_of)
