"""Questionnaire answers read alike from catalog level indexes (stored) and codes (what-if)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ml.questionnaire import as_codes


def test_level_indexes_and_codes_give_the_same_answers() -> None:
    stored = pd.DataFrame(
        {"smoking": [2.0, 0.0, np.nan], "bp_treated": [1.0, 0.0, np.nan],
         "family_history_diabetes": [2.0, 1.0, np.nan]}
    )  # fmt: skip
    given = pd.DataFrame(
        {"smoking": ["current", "never", None], "bp_treated": [True, False, None],
         "family_history_diabetes": ["first_degree", "second_degree", None]}
    )  # fmt: skip
    a, b = as_codes(stored), as_codes(given)
    assert list(a["smoking"])[:2] == list(b["smoking"])[:2] == ["current", "never"]
    assert pd.isna(a["smoking"][2]) and pd.isna(b["smoking"][2])
    assert list(a["family_history_diabetes"])[:2] == ["first_degree", "second_degree"]
    assert np.array_equal(a["bp_treated"], b["bp_treated"], equal_nan=True)


def test_unknown_answers_are_missing_not_guessed() -> None:
    odd = pd.DataFrame({"smoking": ["sometimes", 7.0], "bp_treated": ["maybe", 3.0]})
    coded = as_codes(odd)
    assert coded["smoking"].isna().all()
    assert np.isnan(coded["bp_treated"]).all()
