"""Programme goals: validated against the programme's kind, compared with measured values."""

from __future__ import annotations

import pytest

from health.errors import Invalid
from health.selfcare.programmes import Goal, compare, goals_for


def test_goal_on_a_measure_the_kind_does_not_track_is_refused() -> None:
    with pytest.raises(Invalid, match=r"goals\[0\]\.measure"):
        goals_for("smoking", [{"measure": "weight", "target": 70}])


def test_implausible_target_is_refused_naming_the_field() -> None:
    with pytest.raises(Invalid, match=r"goals\[0\]\.target") as caught:
        goals_for("weight", [{"measure": "weight", "target": 9999.5}])
    assert "9999.5" not in caught.value.detail


@pytest.mark.parametrize(
    ("goal", "value", "met"),
    [
        (Goal("weight", 80, "at_most"), 80.0, True),
        (Goal("weight", 80, "at_most"), 80.1, False),
        (Goal("hdl", 1.0, "at_least"), 1.0, True),
        (Goal("hdl", 1.0, "at_least"), 0.99, False),
    ],
)
def test_goal_boundaries_are_inclusive(goal: Goal, value: float, met: bool) -> None:
    assert compare([goal], {goal.measure: value})[0].met is met


def test_unmeasured_goal_is_neither_met_nor_missed() -> None:
    [result] = compare([Goal("ldl", 2.6, "at_most")], {"tc": 4.0})
    assert (result.value, result.met) == (None, None)
