"""CDS 2020 metabolic syndrome: each component at its cut-off, both sexes, and the count."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from health.rules.metabolic_syndrome import assess

CDS = "中国2型糖尿病防治指南2020, 代谢综合征诊断标准"

# A man meeting no component; each case changes one or more inputs.
BASE: dict[str, Any] = {
    "waist_cm": 80.0,
    "sex": "M",
    "glu": 5.0,
    "known_diabetes": False,
    "sbp": 120.0,
    "dbp": 75.0,
    "known_hypertension": False,
    "tg": 1.2,
    "hdl": 1.3,
}


def _assess(**overrides: Any) -> Any:
    args = {**BASE, **overrides}
    return assess(**{k: [v] for k, v in args.items()})


@pytest.mark.parametrize(
    ("component", "overrides", "expected", "source"),
    [
        ("waist", {"waist_cm": 89.9}, 0, CDS + ": men waist ≥90"),
        ("waist", {"waist_cm": 90.0}, 1, CDS + ": men waist ≥90"),
        ("waist", {"waist_cm": 90.1}, 1, CDS),
        ("waist", {"sex": "F", "waist_cm": 84.9}, 0, CDS + ": women waist ≥85"),
        ("waist", {"sex": "F", "waist_cm": 85.0}, 1, CDS + ": women waist ≥85"),
        ("waist", {"sex": "F", "waist_cm": 85.1}, 1, CDS),
        ("glucose", {"glu": 6.09}, 0, CDS + ": FPG ≥6.1"),
        ("glucose", {"glu": 6.1}, 1, CDS + ": FPG ≥6.1"),
        ("glucose", {"glu": 6.11}, 1, CDS),
        ("glucose", {"glu": 5.0, "known_diabetes": True}, 1, CDS + ": treated diabetes counts"),
        ("blood_pressure", {"sbp": 129.9}, 0, CDS + ": BP ≥130/85"),
        ("blood_pressure", {"sbp": 130.0}, 1, CDS + ": SBP ≥130"),
        ("blood_pressure", {"sbp": 130.1}, 1, CDS),
        ("blood_pressure", {"dbp": 84.9}, 0, CDS),
        ("blood_pressure", {"dbp": 85.0}, 1, CDS + ": DBP ≥85"),
        ("blood_pressure", {"dbp": 85.1}, 1, CDS),
        ("blood_pressure", {"known_hypertension": True}, 1, CDS + ": treated hypertension"),
        ("triglycerides", {"tg": 1.69}, 0, CDS + ": TG ≥1.70"),
        ("triglycerides", {"tg": 1.70}, 1, CDS + ": TG ≥1.70"),
        ("triglycerides", {"tg": 1.71}, 1, CDS),
        ("hdl", {"hdl": 1.03}, 1, CDS + ": HDL-C <1.04"),
        ("hdl", {"hdl": 1.04}, 0, CDS + ": HDL-C 1.04 is not low"),
        ("hdl", {"hdl": 1.05}, 0, CDS),
    ],
)
def test_metabolic_syndrome_component_at_cut_off(
    component: str, overrides: dict[str, Any], expected: int, source: str
) -> None:
    assert getattr(_assess(**overrides), component)[0] == expected, source


@pytest.mark.parametrize(
    ("overrides", "count", "status", "source"),
    [
        ({"waist_cm": 95.0, "tg": 2.0}, 2, 0, CDS + ": two components are not enough"),
        ({"waist_cm": 95.0, "tg": 2.0, "hdl": 1.0}, 3, 1, CDS + ": three components"),
        (
            {"waist_cm": 95.0, "tg": 2.0, "hdl": 1.0, "glu": 6.5, "sbp": 140.0},
            5,
            1,
            CDS + ": all five",
        ),
        ({"waist_cm": 95.0, "tg": 2.0, "hdl": np.nan}, 2, -1, "a missing value could decide it"),
        ({"tg": np.nan, "hdl": np.nan}, 0, 0, "two unknowns cannot reach three"),
        ({"sex": "", "waist_cm": 95.0, "tg": 2.0, "hdl": 1.0}, 2, -1, "waist needs the sex"),
    ],
)
def test_metabolic_syndrome_needs_three_components(
    overrides: dict[str, Any], count: int, status: int, source: str
) -> None:
    result = _assess(**overrides)
    assert (int(result.count[0]), int(result.status[0])) == (count, status), source
