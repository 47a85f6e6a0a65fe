"""Lipid levels, dyslipidaemia and the LDL-C goal at every 2023-guideline cut-off."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pytest

from health.rules.lipids import (
    LipidLevel,
    borderline_only,
    dyslipidaemia,
    hdl_low,
    ldl_at_goal,
    ldl_level,
    non_hdl_level,
    severe_hypertriglyceridaemia,
    tc_level,
    tg_level,
)

REF = "中国血脂管理指南2023, 主要血脂指标的参考标准"
L = LipidLevel
Level = Callable[[npt.ArrayLike], npt.NDArray[np.int8]]

LEVEL_CASES: list[tuple[str, Level, float, LipidLevel, str]] = [
    ("tc", tc_level, 5.19, L.DESIRABLE, REF + ": TC 合适 <5.2"),
    ("tc", tc_level, 5.2, L.BORDERLINE, REF + ": TC 边缘升高 5.2–<6.2"),
    ("tc", tc_level, 5.21, L.BORDERLINE, REF),
    ("tc", tc_level, 6.19, L.BORDERLINE, REF),
    ("tc", tc_level, 6.2, L.HIGH, REF + ": TC 升高 ≥6.2"),
    ("tc", tc_level, 6.21, L.HIGH, REF),
    ("ldl", ldl_level, 3.39, L.DESIRABLE, REF + ": LDL-C 合适 <3.4"),
    ("ldl", ldl_level, 3.4, L.BORDERLINE, REF + ": LDL-C 边缘升高 3.4–<4.1"),
    ("ldl", ldl_level, 3.41, L.BORDERLINE, REF),
    ("ldl", ldl_level, 4.09, L.BORDERLINE, REF),
    ("ldl", ldl_level, 4.1, L.HIGH, REF + ": LDL-C 升高 ≥4.1"),
    ("ldl", ldl_level, 4.11, L.HIGH, REF),
    ("tg", tg_level, 1.69, L.DESIRABLE, REF + ": TG 合适 <1.7"),
    ("tg", tg_level, 1.7, L.BORDERLINE, REF + ": TG 边缘升高 1.7–<2.3"),
    ("tg", tg_level, 1.71, L.BORDERLINE, REF),
    ("tg", tg_level, 2.29, L.BORDERLINE, REF),
    ("tg", tg_level, 2.3, L.HIGH, REF + ": TG 升高 ≥2.3"),
    ("tg", tg_level, 2.31, L.HIGH, REF),
    ("non_hdl", non_hdl_level, 4.09, L.DESIRABLE, REF + ": 非HDL-C 合适 <4.1"),
    ("non_hdl", non_hdl_level, 4.1, L.BORDERLINE, REF + ": 非HDL-C 边缘升高 4.1–<4.9"),
    ("non_hdl", non_hdl_level, 4.11, L.BORDERLINE, REF),
    ("non_hdl", non_hdl_level, 4.89, L.BORDERLINE, REF),
    ("non_hdl", non_hdl_level, 4.9, L.HIGH, REF + ": 非HDL-C 升高 ≥4.9"),
    ("non_hdl", non_hdl_level, 4.91, L.HIGH, REF),
    ("tc", tc_level, np.nan, L.MISSING, "missing stays missing"),
]


@pytest.mark.parametrize(
    ("analyte", "level", "value", "expected", "source"),
    LEVEL_CASES,
    ids=[f"{c[0]}-{c[2]}" for c in LEVEL_CASES],
)
def test_lipid_level_at_each_cut_off(
    analyte: str, level: Level, value: float, expected: LipidLevel, source: str
) -> None:
    assert level([value])[0] == expected, f"{analyte}: {source}"


@pytest.mark.parametrize(
    ("hdl", "expected", "source"),
    [
        (0.99, 1, REF + ": HDL-C 降低 <1.0"),
        (1.0, 0, REF + ": HDL-C 1.0 is not low"),
        (1.01, 0, REF),
        (np.nan, -1, "missing is unknown"),
    ],
)
def test_hdl_low_below_1_0(hdl: float, expected: int, source: str) -> None:
    assert hdl_low([hdl])[0] == expected, source


@pytest.mark.parametrize(
    ("tc", "tg", "ldl", "hdl", "nonhdl", "expected", "source"),
    [
        (5.0, 1.5, 3.0, 1.2, 3.8, 0, REF + ": all desirable"),
        (6.2, 1.5, 3.0, 1.2, 3.8, 1, REF + ": TC high"),
        (5.0, 2.3, 3.0, 1.2, 3.8, 1, REF + ": TG high"),
        (5.0, 1.5, 4.1, 1.2, 3.8, 1, REF + ": LDL-C high"),
        (5.0, 1.5, 3.0, 0.99, 3.8, 1, REF + ": HDL-C low"),
        (5.0, 1.5, 3.0, 1.2, 4.9, 1, REF + ": non-HDL-C high"),
        (6.1, 2.2, 4.0, 1.0, 4.8, 0, REF + ": all borderline is not dyslipidaemia"),
        (np.nan, np.nan, np.nan, np.nan, np.nan, -1, "nothing measured"),
        (5.0, np.nan, np.nan, np.nan, np.nan, -1, "one normal value cannot rule it out"),
    ],
)
def test_dyslipidaemia_is_any_high_or_low_hdl(
    tc: float, tg: float, ldl: float, hdl: float, nonhdl: float, expected: int, source: str
) -> None:
    assert dyslipidaemia([tc], [tg], [ldl], [hdl], [nonhdl])[0] == expected, source


@pytest.mark.parametrize(
    ("tc", "tg", "ldl", "nonhdl", "expected", "source"),
    [
        (5.2, 1.0, 3.0, 3.5, 1, REF + ": TC borderline"),
        (5.2, 2.3, 3.0, 3.5, 0, REF + ": one high excludes borderline-only"),
        (5.1, 1.6, 3.3, 4.0, 0, REF + ": all desirable"),
    ],
)
def test_borderline_only(
    tc: float, tg: float, ldl: float, nonhdl: float, expected: int, source: str
) -> None:
    assert borderline_only([tc], [tg], [ldl], [nonhdl])[0] == expected, source


@pytest.mark.parametrize(("tg", "expected"), [(5.59, 0), (5.6, 1), (5.61, 1), (np.nan, -1)])
def test_severe_hypertriglyceridaemia_from_5_6(tg: float, expected: int) -> None:
    # 中国血脂管理指南2023: 严重高TG血症 TG ≥5.6 mmol/L.
    assert severe_hypertriglyceridaemia([tg])[0] == expected


@pytest.mark.parametrize(("ldl", "expected"), [(3.39, 1), (3.4, 0), (3.41, 0), (np.nan, -1)])
def test_ldl_goal_for_low_moderate_risk_is_below_3_4(ldl: float, expected: int) -> None:
    # 中国血脂管理指南2023: LDL-C target <3.4 mmol/L for low/moderate ASCVD risk.
    assert ldl_at_goal([ldl])[0] == expected
