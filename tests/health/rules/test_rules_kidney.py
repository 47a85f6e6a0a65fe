"""KDIGO 2012 GFR categories and certain drift at every cut-off."""

from __future__ import annotations

import numpy as np
import pytest

from health.rules.kidney import GFRCategory, certain_drift, gfr_category, reduced

CAT = "KDIGO 2012 Rec 1.2.4, GFR categories"
DRIFT = "KDIGO 2012 Rec 2.1.3, certain drift: category drop and ≥25 % fall"
G = GFRCategory


@pytest.mark.parametrize(
    ("egfr", "expected", "source"),
    [
        (90.1, G.G1, CAT + ": G1 ≥90"),
        (90.0, G.G1, CAT),
        (89.9, G.G2, CAT + ": G2 60–89"),
        (60.1, G.G2, CAT),
        (60.0, G.G2, CAT),
        (59.9, G.G3A, CAT + ": G3a 45–59"),
        (45.1, G.G3A, CAT),
        (45.0, G.G3A, CAT),
        (44.9, G.G3B, CAT + ": G3b 30–44"),
        (30.1, G.G3B, CAT),
        (30.0, G.G3B, CAT),
        (29.9, G.G4, CAT + ": G4 15–29"),
        (15.1, G.G4, CAT),
        (15.0, G.G4, CAT),
        (14.9, G.G5, CAT + ": G5 <15"),
        (np.nan, G.MISSING, "missing stays missing"),
    ],
)
def test_gfr_category_at_each_cut_off(egfr: float, expected: GFRCategory, source: str) -> None:
    assert gfr_category([egfr])[0] == expected, source


@pytest.mark.parametrize(("egfr", "expected"), [(59.9, 1), (60.0, 0), (60.1, 0), (np.nan, -1)])
def test_reduced_egfr_is_below_60(egfr: float, expected: int) -> None:
    # KDIGO 2012 CKD definition: GFR <60 (G3a–G5).
    assert reduced([egfr])[0] == expected


@pytest.mark.parametrize(
    ("previous", "current", "expected", "source"),
    [
        (80.0, 60.0, 0, DRIFT + ": exactly 25 % but G2 → G2, no category drop"),
        (80.0, 59.0, 1, DRIFT + ": 26 % fall, G2 → G3a"),
        (78.0, 59.0, 0, DRIFT + ": G2 → G3a but only 24.4 % fall"),
        (100.0, 75.0, 1, DRIFT + ": exactly 25 % and G1 → G2"),
        (100.0, 75.1, 0, DRIFT + ": 24.9 % fall"),
        (100.0, 74.9, 1, DRIFT + ": 25.1 % fall"),
        (60.0, 40.0, 1, DRIFT + ": G2 → G3b, 33 % fall"),
        (50.0, 70.0, 0, DRIFT + ": a rise is not a drift"),
        (np.nan, 40.0, -1, "no baseline"),
    ],
)
def test_certain_drift_needs_category_drop_and_25_percent_fall(
    previous: float, current: float, expected: int, source: str
) -> None:
    assert certain_drift([previous], [current])[0] == expected, source
