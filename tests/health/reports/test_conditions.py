"""Condition criteria at their boundaries, each row citing its source."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from health.reports.conditions import classify


@pytest.mark.parametrize(
    ("values", "condition", "expected"),
    [
        # 中国高血压防治指南2018年修订版: SBP ≥ 140 or DBP ≥ 90 mmHg.
        ({"sbp": 140, "dbp": 80}, "hypertension", True),
        ({"sbp": 139, "dbp": 89}, "hypertension", False),
        ({"dbp": 90}, "hypertension", True),
        # 中国2型糖尿病防治指南2020年版: FPG ≥ 7.0 or HbA1c ≥ 6.5 %; IFG 6.1–6.9.
        ({"glu": 7.0}, "diabetes", True),
        ({"glu": 6.99, "hba1c": 6.4}, "diabetes", False),
        ({"hba1c": 6.5}, "diabetes", True),
        ({"glu": 6.1}, "prediabetes", True),
        ({"glu": 6.09}, "prediabetes", False),
        ({"glu": 7.0}, "prediabetes", False),
        ({"glu": 6.5, "hba1c": 6.6}, "prediabetes", False),
        # 中国成人血脂异常防治指南2016年修订版.
        ({"tc": 6.2}, "dyslipidaemia", True),
        ({"tc": 6.19, "ldl": 4.09, "tg": 2.29, "hdl": 1.0}, "dyslipidaemia", False),
        ({"hdl": 0.99}, "dyslipidaemia", True),
        # 中国高尿酸血症与痛风诊疗指南2019: > 420 µmol/L.
        ({"ua": 420}, "hyperuricaemia", False),
        ({"ua": 421}, "hyperuricaemia", True),
        # WS/T 428-2013.
        ({"bmi": 24.0}, "overweight_obesity", True),
        ({"bmi": 23.9}, "overweight_obesity", False),
        ({"bmi": 28.0}, "obesity", True),
        ({"bmi": 27.9}, "obesity", False),
        # KDIGO 2012.
        ({"egfr": 59}, "ckd", True),
        ({"egfr": 60, "u_pro": 1}, "ckd", False),
        ({"egfr": 90, "u_pro": 2}, "ckd", True),
        ({"ecg": ["sinus_arrhythmia"]}, "abnormal_ecg", False),
        ({"ecg": ["pvc"]}, "abnormal_ecg", True),
        ({"us_abd": ["fatty_liver_mild"]}, "fatty_liver", True),
        ({"us_abd": ["gallstone"]}, "fatty_liver", False),
    ],
)
def test_condition_boundaries(values: dict[str, Any], condition: str, expected: bool) -> None:
    assert bool(classify(pd.DataFrame([values]))[condition].iloc[0]) is expected


def test_a_condition_none_of_whose_measures_was_taken_is_missing() -> None:
    out = classify(pd.DataFrame([{"sbp": 120}]))
    assert not out["hypertension"].iloc[0]
    assert out["diabetes"].isna().all() and out["fatty_liver"].isna().all()
