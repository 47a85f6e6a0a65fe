"""Chinese Diabetes Risk Score at every edge of the CDS 2020 guideline's Table 3."""

from __future__ import annotations

import numpy as np
import pytest

from ml.equations import EQUATIONS, evaluate

CDRS = EQUATIONS["cdrs"]
SOURCE = "中国2型糖尿病防治指南(2020年版) 表3 中国糖尿病风险评分表"


def _row(**overrides: object) -> dict[str, list[object]]:
    row: dict[str, object] = {
        "age": 22,
        "sex": "F",
        "bmi": 21,
        "waist": 65,
        "sbp": 105,
        "family_history_diabetes": "none",
        "diabetes": 0,
    }
    row.update(overrides)
    return {k: [v] for k, v in row.items()}


def _score(**overrides: object) -> float:
    return float(evaluate(CDRS, _row(**overrides)).value[0])


@pytest.mark.parametrize(
    ("age", "points"),
    [
        (20, 0),
        (24, 0),
        (25, 4),
        (34, 4),
        (35, 8),
        (39, 8),
        (40, 11),
        (44, 11),
        (45, 12),
        (49, 12),
        (50, 13),
        (54, 13),
        (55, 15),
        (59, 15),
        (60, 16),
        (64, 16),
        (65, 18),
        (74, 18),
    ],
)
def test_cdrs_age_points(age: int, points: int) -> None:
    assert _score(age=age) == points, SOURCE


@pytest.mark.parametrize(
    ("bmi", "points"), [(21.9, 0), (22, 1), (23.9, 1), (24, 3), (29.9, 3), (30, 5)]
)
def test_cdrs_bmi_points(bmi: float, points: int) -> None:
    assert _score(bmi=bmi) == points, SOURCE


@pytest.mark.parametrize(
    ("sex", "waist", "points"),
    [
        ("M", 74.9, 2),
        ("M", 75, 5),
        ("M", 80, 7),
        ("M", 85, 9),
        ("M", 90, 10),
        ("M", 94.9, 10),
        ("M", 95, 12),
        ("F", 69.9, 0),
        ("F", 70, 3),
        ("F", 75, 5),
        ("F", 80, 7),
        ("F", 85, 8),
        ("F", 89.9, 8),
        ("F", 90, 10),
    ],
)
def test_cdrs_waist_points_by_sex_with_2_for_men(sex: str, waist: float, points: int) -> None:
    """Men score 2 for sex plus their waist points (0/3/5/7/8/10 from 75/80/85/90/95 cm)."""
    assert _score(sex=sex, waist=waist) == points, SOURCE


@pytest.mark.parametrize(
    ("sbp", "points"),
    [
        (109, 0),
        (110, 1),
        (119, 1),
        (120, 3),
        (129, 3),
        (130, 6),
        (139, 6),
        (140, 7),
        (149, 7),
        (150, 8),
        (159, 8),
        (160, 10),
    ],
)
def test_cdrs_sbp_points(sbp: float, points: int) -> None:
    assert _score(sbp=sbp) == points, SOURCE


def test_cdrs_family_history_scores_6() -> None:
    assert _score(family_history_diabetes="first_degree") == 6, SOURCE
    assert _score(family_history_diabetes="second_degree") == 6, SOURCE


def test_cdrs_25_points_is_high_risk() -> None:
    """Guideline: total ≥25 should have an OGTT."""
    assert CDRS.spec.bands[CDRS.band_of(np.array([24.0]), {})[0]].code == "below_threshold"
    assert CDRS.spec.bands[CDRS.band_of(np.array([25.0]), {})[0]].code == "high"


@pytest.mark.parametrize(("age", "inside"), [(19, False), (20, True), (74.9, True), (75, False)])
def test_cdrs_domain_20_to_74(age: float, inside: bool) -> None:
    assert bool(evaluate(CDRS, _row(age=age)).applicable[0]) is inside


def test_cdrs_not_for_known_diabetes() -> None:
    assert not evaluate(CDRS, _row(diabetes=1)).applicable[0]
