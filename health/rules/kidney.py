"""GFR categories and the 'certain drift' of eGFR between two occasions.

Source: Kidney Disease: Improving Global Outcomes (KDIGO) CKD Work Group. KDIGO 2012 Clinical
Practice Guideline for the Evaluation and Management of Chronic Kidney Disease. Kidney Int Suppl
2013;3:1-150: Rec 1.2.4 (GFR categories G1–G5), Rec 2.1.3 (a certain drift is a drop
in GFR category accompanied by a ≥25 % drop in eGFR from baseline), and the CKD definition
(abnormality present for >3 months).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Final

import numpy as np
import numpy.typing as npt

from health.rules._arrays import IntArray, as_float, tri

SOURCE: Final = (
    "KDIGO 2012 Clinical Practice Guideline for the Evaluation and Management of Chronic "
    "Kidney Disease, Kidney Int Suppl 2013;3:1-150"
)


class GFRCategory(IntEnum):
    MISSING = -1
    G1 = 0
    G2 = 1
    G3A = 2
    G3B = 3
    G4 = 4
    G5 = 5


LABELS: Final = {
    GFRCategory.G1: "G1",
    GFRCategory.G2: "G2",
    GFRCategory.G3A: "G3a",
    GFRCategory.G3B: "G3b",
    GFRCategory.G4: "G4",
    GFRCategory.G5: "G5",
}

# KDIGO 2012 Rec 1.2.4 (mL/min/1.73 m²): G1 ≥90, G2 60–89, G3a 45–59, G3b 30–44, G4 15–29, G5 <15.
G1_FROM: Final = 90.0
G2_FROM: Final = 60.0
G3A_FROM: Final = 45.0
G3B_FROM: Final = 30.0
G4_FROM: Final = 15.0
# KDIGO 2012 Rec 2.1.3: a certain drift needs a category drop AND a fall of ≥25 % from baseline.
CERTAIN_DRIFT_FALL: Final = 0.25
# KDIGO 2012 CKD definition: GFR <60 (G3a–G5) for >3 months is CKD even without other markers.
CKD_BELOW: Final = 60.0


def gfr_category(egfr: npt.ArrayLike) -> IntArray:
    """KDIGO 2012 GFR category; higher number = worse."""
    v = as_float(egfr)
    cuts = np.asarray((G4_FROM, G3B_FROM, G3A_FROM, G2_FROM, G1_FROM))
    worse_steps = 5 - np.searchsorted(cuts, v, side="right")
    return np.where(np.isnan(v), GFRCategory.MISSING, worse_steps).astype(np.int8)


def reduced(egfr: npt.ArrayLike) -> IntArray:
    """Tri-state: eGFR <60 (categories G3a–G5)."""
    v = as_float(egfr)
    return tri(~np.isnan(v), v < CKD_BELOW)


def fall_fraction(previous: npt.ArrayLike, current: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Relative fall from the previous eGFR (positive = fell); NaN if either is missing."""
    p, c = as_float(previous), as_float(current)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p > 0, (p - c) / p, np.nan)


def certain_drift(previous: npt.ArrayLike, current: npt.ArrayLike) -> IntArray:
    """Tri-state KDIGO 2012 certain drift: a worse category and a fall of ≥25 %."""
    p, c = as_float(previous), as_float(current)
    fall = fall_fraction(p, c)
    dropped = gfr_category(c) > gfr_category(p)
    known = ~np.isnan(p) & ~np.isnan(c) & (p > 0)
    return tri(known, dropped & (fall >= CERTAIN_DRIFT_FALL))
