"""SCORE2 against the SCORE2 Supplementary Methods Table 4 worked examples and its domain."""

from __future__ import annotations

import numpy as np
import pytest

from ml.equations import EQUATIONS, evaluate
from ml.equations.base import outside_reasons

SCORE2 = EQUATIONS["score2_2021"]
TABLE_4 = (
    "SCORE2 working group, Eur Heart J 2021;42:2439, Supplementary Methods Table 4: 50 y, "
    "smoker, SBP 140 mmHg, TC 6.3, HDL 1.4 mmol/L, no diabetes (whole percent, as published)"
)


def _row(**overrides: object) -> dict[str, list[object]]:
    row: dict[str, object] = {
        "age": 50,
        "sex": "M",
        "region": "low",
        "tc": 6.3,
        "hdl": 1.4,
        "sbp": 140,
        "smoker": 1,
        "diabetes": 0,
    }
    row.update(overrides)
    return {k: [v] for k, v in row.items()}


@pytest.mark.parametrize(
    ("region", "sex", "percent"),
    [
        ("low", "M", 6),
        ("low", "F", 4),
        ("moderate", "M", 8),
        ("moderate", "F", 5),
        ("high", "M", 9),
        ("high", "F", 7),
        ("very_high", "M", 15),
        ("very_high", "F", 14),
    ],
)
def test_score2_reproduces_supplementary_table_4(region: str, sex: str, percent: int) -> None:
    value = evaluate(SCORE2, _row(region=region, sex=sex)).value[0]
    assert round(value * 100) == percent, TABLE_4


@pytest.mark.parametrize(("age", "inside"), [(39.9, False), (40, True), (69, True), (69.1, False)])
def test_score2_age_domain_40_to_69(age: float, inside: bool) -> None:
    assert bool(evaluate(SCORE2, _row(age=age)).applicable[0]) is inside


def test_score2_is_not_applicable_with_diabetes() -> None:
    result = evaluate(SCORE2, _row(diabetes=1))
    assert np.isnan(result.value[0])
    assert "diabetes" in outside_reasons(SCORE2.spec, int(result.outside[0]))[0]


def test_score2_without_region_names_the_missing_region() -> None:
    result = evaluate(SCORE2, _row(region=None))
    assert int(result.missing[0]) == 1 << [s.name for s in SCORE2.spec.inputs].index("region")


@pytest.mark.parametrize(
    ("age", "risk_pct", "band"),
    [
        (45, 2.49, "low_moderate"),
        (45, 2.5, "high"),
        (45, 7.49, "high"),
        (45, 7.5, "very_high"),
        (55, 4.99, "low_moderate"),
        (55, 5.0, "high"),
        (55, 9.99, "high"),
        (55, 10.0, "very_high"),
    ],
)
def test_score2_bands_depend_on_age(age: float, risk_pct: float, band: str) -> None:
    """2021 ESC prevention guideline Table 3 (<50 y: 2.5 / 7.5 %; 50-69 y: 5 / 10 %)."""
    index = SCORE2.band_of(np.array([risk_pct / 100]), {"age": np.array([age])})[0]
    assert SCORE2.spec.bands[index].code == band
