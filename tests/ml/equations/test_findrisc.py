"""FINDRISC points at every category edge of Lindström & Tuomilehto 2003, Table 2."""

from __future__ import annotations

import numpy as np
import pytest

from ml.equations import EQUATIONS, evaluate
from ml.equations.findrisc import age_points, bmi_points, waist_points

FINDRISC = EQUATIONS["findrisc"]
SOURCE = "Lindström J, Tuomilehto J. Diabetes Care 2003;26:725, Table 2 / FINDRISC form"


@pytest.mark.parametrize(
    ("age", "points"), [(44.9, 0), (45, 2), (54.9, 2), (55, 3), (64.9, 3), (65, 4)]
)
def test_findrisc_age_points(age: float, points: int) -> None:
    assert age_points(np.array([age]))[0] == points, SOURCE


@pytest.mark.parametrize(("bmi", "points"), [(24.9, 0), (25, 1), (30, 1), (30.1, 3)])
def test_findrisc_bmi_points(bmi: float, points: int) -> None:
    assert bmi_points(np.array([bmi]))[0] == points, SOURCE


@pytest.mark.parametrize(
    ("waist", "male", "points"),
    [
        (93.9, True, 0),
        (94, True, 3),
        (102, True, 3),
        (102.1, True, 4),
        (79.9, False, 0),
        (80, False, 3),
        (88, False, 3),
        (88.1, False, 4),
    ],
)
def test_findrisc_waist_points(waist: float, male: bool, points: int) -> None:
    assert waist_points(np.array([waist]), np.array([male]))[0] == points, SOURCE


def _row(**overrides: object) -> dict[str, list[object]]:
    row: dict[str, object] = {
        "age": 40,
        "sex": "M",
        "bmi": 22,
        "waist": 80,
        "physically_active": 1,
        "daily_fruit_veg": 1,
        "bp_treated": 0,
        "high_glucose_history": 0,
        "family_history_diabetes": "none",
        "diabetes": 0,
    }
    row.update(overrides)
    return {k: [v] for k, v in row.items()}


def test_findrisc_lowest_is_zero_and_highest_is_26() -> None:
    assert evaluate(FINDRISC, _row()).value[0] == 0
    worst = _row(
        age=70,
        bmi=31,
        waist=110,
        physically_active=0,
        daily_fruit_veg=0,
        bp_treated=1,
        high_glucose_history=1,
        family_history_diabetes="first_degree",
    )
    assert evaluate(FINDRISC, worst).value[0] == 26, SOURCE


@pytest.mark.parametrize(
    ("family", "points"), [("none", 0), ("second_degree", 3), ("first_degree", 5)]
)
def test_findrisc_family_history_points(family: str, points: int) -> None:
    assert evaluate(FINDRISC, _row(family_history_diabetes=family)).value[0] == points


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (6, "low"),
        (7, "slightly_elevated"),
        (11, "slightly_elevated"),
        (12, "moderate"),
        (14, "moderate"),
        (15, "high"),
        (20, "high"),
        (21, "very_high"),
    ],
)
def test_findrisc_bands(score: int, band: str) -> None:
    index = FINDRISC.band_of(np.array([float(score)]), {})[0]
    assert FINDRISC.spec.bands[index].code == band, SOURCE


def test_findrisc_not_for_known_diabetes_nor_minors() -> None:
    assert not evaluate(FINDRISC, _row(diabetes=1)).applicable[0]
    assert not evaluate(FINDRISC, _row(age=17)).applicable[0]
    assert evaluate(FINDRISC, _row(age=18)).applicable[0]
