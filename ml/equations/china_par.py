"""China-PAR 10-year ASCVD risk (Yang X et al. Circulation 2016;134:1430–1440): DISABLED.

Shipped disabled and unvalidated: this build could not trace every sex-specific coefficient and
baseline survival to Yang et al. 2016 (Table 2 and its supplement) nor reproduce the authors'
calculator values, so it holds no coefficients and never answers with a number. It is listed
so the equation catalogue is honest about it; enabling it needs the coefficients from the paper
and a test reproducing published examples.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ml.equations import inputs
from ml.equations.base import (
    Band,
    Equation,
    EquationSpec,
    FloatArray,
    InputKind,
    InputSpec,
    IntArray,
    Validation,
    cut,
)

DISABLED_REASON = (
    "coefficients and baseline survival not yet traced to Yang et al. Circulation 2016 and no "
    "published example reproduced; disabled until they are"
)


def compute(c: Mapping[str, Any]) -> FloatArray:
    """Never a number: the equation is disabled (see module docstring)."""
    return np.full(len(c["age"]), np.nan)


def band_of(value: FloatArray, _: Mapping[str, Any]) -> IntArray:
    return cut(value, (0.05, 0.10))


SPEC = EquationSpec(
    id="china_par",
    version="china_par_2016/0",
    name="China-PAR",
    outcome="10-year ASCVD risk (<5 / 5–<10 / ≥10 %)",
    result_unit="1",
    citation="Yang X et al. Circulation 2016;134:1430-1440",
    validation=Validation.UNVALIDATED,
    validation_source="none: see disabled_reason",
    inputs=(
        inputs.AGE,
        inputs.SEX,
        inputs.TC,
        inputs.HDL,
        inputs.SBP,
        inputs.BP_TREATED,
        inputs.SMOKER,
        inputs.DIABETES,
        inputs.WAIST,
        InputSpec(
            "geography", InputKind.CHOICE, "northern or southern China", choices=("north", "south")
        ),
        InputSpec("urban", InputKind.BOOLEAN, "lives in an urban area"),
        InputSpec("family_history_ascvd", InputKind.BOOLEAN, "family history of ASCVD"),
    ),
    domain=(),
    bands=(
        Band("low", "low (<5 %)", "低危 (<5%)", "low"),
        Band("moderate", "moderate (5–<10 %)", "中危 (5–<10%)", "moderate"),
        Band("high", "high (≥10 %)", "高危 (≥10%)", "high"),
    ),
    enabled=False,
    disabled_reason=DISABLED_REASON,
)

EQUATION = Equation(SPEC, compute, band_of)
