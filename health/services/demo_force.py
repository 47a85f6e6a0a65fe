"""Results for the demo's officers from the SYNTHETIC multi-year force model (``ml.synthetic``).

Each demo officer gets a trajectory conditioned on their sex and birth year: weight, pressure,
lipids, glucose and urate progress year to year, treatment starts after a value in the
treatment range, and the questionnaire answers (smoking, treatment, family history, activity)
are coded the way the catalog stores them. Every checkup's conclusion says it is synthetic.
"""

from __future__ import annotations

from datetime import date
from typing import cast

import numpy as np

from health.catalog import load_catalog
from health.ingest import ResultDraft
from ml.synthetic import LABS, QUESTIONNAIRE, ForceShape, force

SYNTHETIC_LABEL = "合成演示数据，非真实人员 / SYNTHETIC demo data, no real person"


def trajectories(
    sexes: list[str], birth_dates: list[date], years: int, today: date, seed: int
) -> list[list[dict[str, ResultDraft]]]:
    """Per officer, one result set per year, oldest first (``years`` years ending ``today``)."""
    catalog = load_catalog()
    first = today.year - years + 1
    frame = force(
        ForceShape(officers=len(sexes), years=years, first_year=first, seed=seed),
        male=np.array([s == "M" for s in sexes]),
        birth_year=np.array([b.year for b in birth_dates]),
    )
    out: list[list[dict[str, ResultDraft]]] = [[] for _ in sexes]
    for row in frame.itertuples(index=False):
        results: dict[str, ResultDraft] = {
            code: ResultDraft(float(getattr(row, code))) for code in LABS
        }
        for code in (*QUESTIONNAIRE, "high_glucose_history"):
            value = getattr(row, code)
            label = value if isinstance(value, str) else ("yes" if value else "no")
            results[code] = ResultDraft(catalog.parse_ordinal(code, label))
        results["conclusion"] = ResultDraft(SYNTHETIC_LABEL)
        out[int(cast(int, row.officer))].append(results)
    return out
