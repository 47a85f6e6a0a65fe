"""Coded findings (ECG, imaging, eye) map to rules by exact code; severity decides urgency."""

from __future__ import annotations

from typing import Any

import pytest

from health.screening.engine import screen_one
from health.screening.finding import Demographics

OFFICER = Demographics("M", 40)


def coded(values: dict[str, Any], include_normal: bool = False) -> list[tuple[str, str, str]]:
    return [
        (f.rule_id, f.severity, f.interpretation)
        for f in screen_one(values, OFFICER, include_normal=include_normal)
        if f.kind == "coded"
    ]


@pytest.mark.parametrize(
    ("values", "expected", "source"),
    [
        (
            {"ecg": ["atrial_fibrillation"]},
            [("ecg.atrial_fibrillation", "abnormal", "A")],
            "ESC 2020 AF",
        ),
        ({"ecg": ["av_block_3"]}, [("ecg.av_block_3", "critical", "AA")], "ACC/AHA/HRS 2018"),
        ({"ecg": ["av_block_2"]}, [("ecg.av_block_2", "critical", "AA")], "ACC/AHA/HRS 2018"),
        ({"ecg": ["long_qt"]}, [("ecg.long_qt", "critical", "AA")], "ESC 2022 VA/SCD"),
        (
            {"us_abd": ["liver_mass"]},
            [("us_abd.liver_mass", "critical", "AA")],
            "原发性肝癌诊疗指南2022",
        ),
        ({"cxr": ["mass"]}, [("cxr.mass", "critical", "AA")], "肺结节诊治中国专家共识2018"),
        (
            {"us_abd": ["fatty_liver_moderate"]},
            [("us_abd.fatty_liver_moderate", "abnormal", "A")],
            "NAFLD 2018",
        ),
        (
            {"eye": ["glaucoma_suspect"]},
            [("eye.glaucoma_suspect", "abnormal", "A")],
            "中国青光眼指南2020",
        ),
        ({"ecg": ["sinus_bradycardia"]}, [], "ACC/AHA/HRS 2018: asymptomatic variant, normal"),
    ],
)
def test_coded_finding_severity(values: dict[str, Any], expected: list[Any], source: str) -> None:
    assert coded(values) == expected, source


def test_a_string_may_hold_several_codes_and_duplicates_count_once() -> None:
    found = coded({"ecg": "pvc; pac,pvc", "eye": ["cataract", "cataract"]})
    assert [r for r, _, _ in found] == ["ecg.pvc", "ecg.pac", "eye.cataract"]


def test_normal_codes_appear_only_when_asked_for() -> None:
    assert coded({"cxr": ["normal"]}) == []
    assert coded({"cxr": ["normal"]}, include_normal=True) == [("cxr.normal", "normal", "N")]


def test_an_unknown_code_is_ignored_not_guessed() -> None:
    assert coded({"ecg": ["brugada_pattern"]}) == []


def test_coded_finding_carries_code_input_and_advice() -> None:
    (finding,) = [f for f in screen_one({"ecg": ["wpw"]}, OFFICER) if f.kind == "coded"]
    assert finding.inputs == (("ecg", "wpw"),)
    assert finding.family == "ecg"
    assert finding.advice is not None and finding.advice.medic_en
