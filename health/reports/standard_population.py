"""Age bands of the force analysis and the standard population used to age-standardise.

Standard: the WHO World Standard Population 2000–2025 (Ahmad OB, Boschi-Pinto C, Lopez AD,
Murray CJL, Lozano R, Inoue M. Age standardization of rates: a new WHO standard. GPE Discussion
Paper Series No. 31. Geneva: WHO; 2001, Table 4), per 100 000, in 5-year groups. Officers are
adults of working age, so only the groups from 15 upward are used, folded into the analysis
bands; the 15–19 group counts 2/5 towards 18–29 (ages 18 and 19, assuming ages are spread
evenly within a 5-year group). Weights are renormalised over the bands a cell actually has.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

# WHO World Standard Population 2000–2025 (Ahmad et al. 2001, Table 4), per 100 000.
WHO_2000_2025: Final[dict[str, float]] = {
    "15-19": 8470,
    "20-24": 8220,
    "25-29": 7930,
    "30-34": 7610,
    "35-39": 7150,
    "40-44": 6590,
    "45-49": 6040,
    "50-54": 5370,
    "55-59": 4550,
    "60-64": 3720,
    "65-69": 2960,
    "70-74": 2210,
    "75-79": 1520,
    "80-84": 910,
    "85-89": 440,
    "90-94": 150,
    "95-99": 40,
    "100+": 5,
}
STANDARD_NAME: Final = "WHO World Standard Population 2000–2025 (Ahmad et al., WHO 2001)"

AGE_BANDS: Final[tuple[str, ...]] = ("18-29", "30-39", "40-49", "50-59", "60+")
_EDGES: Final = (18, 30, 40, 50, 60)
_W = WHO_2000_2025
BAND_WEIGHTS: Final[dict[str, float]] = {
    "18-29": _W["15-19"] * 2 / 5 + _W["20-24"] + _W["25-29"],
    "30-39": _W["30-34"] + _W["35-39"],
    "40-49": _W["40-44"] + _W["45-49"],
    "50-59": _W["50-54"] + _W["55-59"],
    "60+": sum(_W[k] for k in ("60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90-94"))
    + _W["95-99"]
    + _W["100+"],
}


def age_band(ages: npt.ArrayLike) -> pd.Series:
    """The analysis band of each age in completed years (missing under 18 or unknown)."""
    values = pd.Series(np.asarray(ages, dtype="float64"))
    codes = np.searchsorted(np.asarray(_EDGES, dtype="float64"), values.to_numpy(), side="right")
    labels = np.array([None, *AGE_BANDS], dtype=object)
    out = pd.Series(labels[codes], dtype=object)
    return out.where(values.notna(), None)
