"""Delta checks against the previous checkup, with HL7 v3 change interpretation codes."""

from __future__ import annotations

from typing import Any

import pytest

from health.screening.engine import screen_one
from health.screening.finding import Demographics, Finding

KDIGO = "KDIGO 2012 Rec 2.1.3: certain drift = category drop and ≥25 % fall"
POLICY = "deployment policy: weight gain >10 %"
HL7 = "HL7 v3 ObservationInterpretation: U up, D down, W worse, B better"


def deltas(values: dict[str, Any], previous: dict[str, Any] | None) -> list[Finding]:
    return [f for f in screen_one(values, Demographics("M", 50), previous) if f.kind == "delta"]


@pytest.mark.parametrize(
    ("current", "previous", "fires", "source"),
    [
        (74.0, 100.0, True, KDIGO + ": G1 → G2, 26 % fall"),
        (75.0, 100.0, True, KDIGO + ": exactly 25 % counts (≥)"),
        (76.0, 100.0, False, KDIGO + ": 24 % fall"),
        (60.0, 80.0, False, KDIGO + ": 25 % fall but still G2"),
        (59.0, 80.0, True, KDIGO + ": G2 → G3a, 26 % fall"),
        (100.0, 74.0, False, KDIGO + ": a rise"),
    ],
)
def test_egfr_certain_drift(current: float, previous: float, fires: bool, source: str) -> None:
    found = [f for f in deltas({"egfr": current}, {"egfr": previous}) if f.analyte == "egfr"]
    drift = [f for f in found if f.rule_id == "delta.egfr_certain_drift"]
    assert bool(drift) == fires, source
    if fires:
        assert drift[0].interpretation == "D", HL7
        assert drift[0].inputs == (("egfr", current), ("prev.egfr", previous))


@pytest.mark.parametrize(
    ("current", "previous", "fires", "source"),
    [
        (88.0, 80.0, False, POLICY + ": exactly 10 % is not >10 %"),
        (88.1, 80.0, True, POLICY),
        (87.9, 80.0, False, POLICY),
        (70.0, 80.0, False, POLICY + ": a loss"),
    ],
)
def test_weight_gain_over_10_percent(
    current: float, previous: float, fires: bool, source: str
) -> None:
    found = deltas({"weight": current}, {"weight": previous})
    gains = [f for f in found if f.rule_id == "delta.weight_gain"]
    assert bool(gains) == fires, source
    if fires:
        assert gains[0].interpretation == "U", HL7


def test_normal_to_abnormal_is_worse_and_back_is_better() -> None:
    worse = deltas({"alt": 80}, {"alt": 30})
    assert [(f.rule_id, f.analyte, f.interpretation) for f in worse] == [
        ("delta.became_abnormal", "alt", "W")
    ]
    better = deltas({"alt": 30}, {"alt": 80})
    assert [(f.rule_id, f.interpretation, f.severity) for f in better] == [
        ("delta.became_normal", "B", "normal")
    ]


def test_borderline_to_abnormal_is_not_a_normal_to_abnormal_change() -> None:
    assert not deltas({"tc": 6.5}, {"tc": 5.5})


def test_previous_checkup_is_graded_at_its_own_age() -> None:
    # WS/T 404.1: ALP women 20–49 y 35–100, 50–79 y 50–135: 120 U/L was high at 49, normal at 50.
    found = screen_one({"alp": 60}, Demographics("F", 50), {"alp": 120, "age": 49})
    assert [f.rule_id for f in found if f.kind == "delta"] == ["delta.became_normal"]


def test_no_previous_checkup_means_no_deltas() -> None:
    assert deltas({"egfr": 40, "weight": 100}, None) == []
