"""Realistic checkups: whole rows resampled from the NHANES 2017-2018 adults.

Data: ``../shared/data/nhanes_2017_2018_checkup/nhanes_j_adult_checkup.csv`` (see its
SOURCE.txt): a column subset of the public-use files DEMO_J, BMX_J, GHB_J, GLU_J, HDL_J and
BIOPRO_J of the US National Health and Nutrition Examination Survey 2017-2018, published by the
CDC's National Center for Health Statistics (NCHS), https://wwwn.cdc.gov/nchs/nhanes/ - a US
Government work, public domain in the US; NCHS asks users to cite NCHS/NHANES and not to attempt
re-identification (nothing here does: rows are only resampled as benchmark input).

Whole rows are drawn with replacement, so the correlations between an adult's values (sex,
age, body size, glucose, lipids, liver and kidney markers) hold and the finding density is
that of a real adult population. Only measured analytes are used, in their SI units as NCHS
published them. Left out, following SOURCE.txt's caveats: serum glucose and triglycerides of
the biochemistry profile (mostly non-fasting; fasting glucose comes from GLU_J). NHANES has no
blood pressure, blood count, urinalysis or ECG in this extract, so these checkups carry about
18 results instead of the synthetic session's 45.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

DATA = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "nhanes_2017_2018_checkup"
    / "nhanes_j_adult_checkup.csv"
)
# catalog code → NHANES column (SI unit = the catalog's canonical unit)
COLUMNS = {
    "height": "BMXHT",
    "weight": "BMXWT",
    "waist": "BMXWAIST",
    "hba1c": "LBXGH",
    "glu": "LBDGLUSI",
    "hdl": "LBDHDDSI",
    "alt": "LBXSATSI",
    "ast": "LBXSASSI",
    "alp": "LBXSAPSI",
    "ggt": "LBXSGTSI",
    "tbil": "LBDSTBSI",
    "tp": "LBDSTPSI",
    "alb": "LBDSALSI",
    "urea": "LBDSBUSI",
    "creat": "LBDSCRSI",
    "ua": "LBDSUASI",
    "tc": "LBDSCHSI",
}


def available() -> bool:
    return DATA.exists()


def adults() -> pd.DataFrame:
    """The extract: sex (M/F), age in years and one column per catalog code (NaN = missing)."""
    raw = pd.read_csv(DATA)
    frame = pd.DataFrame(
        {
            "sex": np.where(raw["RIAGENDR"] == 1, "M", "F"),
            "age": raw["RIDAGEYR"].astype(float),
        }
    )
    for code, column in COLUMNS.items():
        frame[code] = raw[column].astype(float)
        # NHANES "tiny zero" artefacts were set to 0; a zero is below any plausible value.
        frame.loc[frame[code] <= 0, code] = np.nan
    return frame


def resample(n: int, seed: int = 17) -> pd.DataFrame:
    """``n`` whole rows drawn with replacement (index 0..n-1)."""
    rng = np.random.default_rng(seed)
    source = adults()
    picked = source.iloc[rng.integers(0, len(source), n)]
    return picked.reset_index(drop=True)


def birth_dates(ages: pd.Series, exam: date, seed: int = 18) -> list[date]:
    """A birth date giving each age (whole years, NHANES top-codes 80) on the exam date."""
    rng = np.random.default_rng(seed)
    days = rng.integers(0, 365, len(ages))
    return [
        exam - timedelta(days=round(float(a) * 365.25) + int(d))
        for a, d in zip(ages, days, strict=True)
    ]
