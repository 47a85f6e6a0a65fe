"""Our conventional-to-SI conversions agree with NCHS's own SI columns in NHANES 2017-2018.

Data: ../shared/data/nhanes_2017_2018_checkup/nhanes_j_adult_checkup.csv, a column subset of
the US CDC/NCHS National Health and Nutrition Examination Survey 2017-2018 ("J") public-use
files DEMO_J, BMX_J, GHB_J, GLU_J, HDL_J and BIOPRO_J, values exactly as NCHS published them
(see SOURCE.txt beside the file). NCHS publishes each analyte in conventional units and, in a
paired column, in SI units computed with its own (rounded) factors: 0.05551 glucose, 0.02586
cholesterol, 0.01129 triglycerides, 88.4 creatinine, 59.48 uric acid, 17.1 bilirubin, 10 for
g/dL -> g/L. Agreement is checked to the SI value's printed precision plus 0.1 % for the
rounding of those published factors.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from health.catalog import load_catalog

REPO = Path(__file__).resolve().parents[3]
DATA = REPO.parent / "shared" / "data" / "nhanes_2017_2018_checkup" / "nhanes_j_adult_checkup.csv"

PAIRS = [
    # (conventional column, SI column, analyte, conventional unit)
    ("LBXGLU", "LBDGLUSI", "glu", "mg/dL"),  # fasting plasma glucose
    ("LBXSGL", "LBDSGLSI", "glu", "mg/dL"),  # serum glucose (non-fasting): units only
    ("LBDHDD", "LBDHDDSI", "hdl", "mg/dL"),
    ("LBXSCR", "LBDSCRSI", "creat", "mg/dL"),
    ("LBXSUA", "LBDSUASI", "ua", "mg/dL"),
    ("LBXSCH", "LBDSCHSI", "tc", "mg/dL"),
    ("LBXSTR", "LBDSTRSI", "tg", "mg/dL"),
    ("LBXSTB", "LBDSTBSI", "tbil", "mg/dL"),
    ("LBXSTP", "LBDSTPSI", "tp", "g/dL"),
    ("LBXSAL", "LBDSALSI", "alb", "g/dL"),
]


@pytest.fixture(scope="module")
def nhanes() -> pd.DataFrame:
    if not DATA.exists():
        pytest.skip(f"NHANES extract not found at {DATA} (shared data folder absent)")
    return pd.read_csv(DATA, dtype=str, keep_default_na=False)


@pytest.mark.parametrize(("conventional", "si", "code", "unit"), PAIRS)
def test_conversion_agrees_with_nchs_si_column(
    nhanes: pd.DataFrame, conventional: str, si: str, code: str, unit: str
) -> None:
    rows = nhanes[(nhanes[conventional] != "") & (nhanes[si] != "")]
    assert len(rows) > 2000
    ours = load_catalog().to_canonical_array(code, rows[conventional].astype(float), unit)
    published = rows[si].astype(float).to_numpy()
    decimals = rows[si].str.partition(".")[2].str.len().to_numpy()
    tolerance = 0.5 * 10.0 ** (-decimals) + 1e-3 * np.abs(published)
    off = np.abs(ours - published) > tolerance
    assert not off.any(), rows[off][[conventional, si]].head().to_string()
