"""Hyperuricaemia range and urate control target at the 2019-guideline cut-offs."""

from __future__ import annotations

import numpy as np
import pytest

from health.rules.uric_acid import at_goal, hyperuricaemia_range

HUA = "中国高尿酸血症与痛风诊疗指南2019: SUA >420 µmol/L, both sexes"
GOAL = "中国高尿酸血症与痛风诊疗指南2019: target <420, <360 with comorbidity"


@pytest.mark.parametrize(
    ("ua", "expected", "source"),
    [
        (419.9, 0, HUA),
        (420.0, 0, HUA + ": 420 itself is not >420"),
        (420.1, 1, HUA),
        (np.nan, -1, "missing is unknown"),
    ],
)
def test_hyperuricaemia_range_is_above_420(ua: float, expected: int, source: str) -> None:
    assert hyperuricaemia_range([ua])[0] == expected, source


@pytest.mark.parametrize(
    ("ua", "comorbid", "expected", "source"),
    [
        (419.9, False, 1, GOAL),
        (420.0, False, 0, GOAL),
        (420.1, False, 0, GOAL),
        (359.9, True, 1, GOAL),
        (360.0, True, 0, GOAL),
        (360.1, True, 0, GOAL),
        (np.nan, True, -1, "missing is unknown"),
    ],
)
def test_urate_goal_depends_on_comorbidity(
    ua: float, comorbid: bool, expected: int, source: str
) -> None:
    assert at_goal([ua], [comorbid])[0] == expected, source
