"""Lifestyle programmes: kinds, personal goals on a measure, outcomes, and the comparison of the
next checkup with the goals. Pure rules; the service seals goals and notes.

A goal names the measure that tracks progress (a catalog analyte such as weight or LDL-C, or
cigarettes per day for smoking cessation), a target and whether the value must end at most or at
least the target. Programme kinds follow the lifestyle interventions the follow-up policy calls
for (weight, blood pressure, glucose, lipids, uric acid, smoking cessation).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from health.catalog import load_catalog
from health.errors import Conflict, Invalid

ProgrammeKind = Literal["weight", "blood_pressure", "glucose", "lipids", "uric_acid", "smoking"]
KINDS: Final[tuple[ProgrammeKind, ...]] = (
    "weight",
    "blood_pressure",
    "glucose",
    "lipids",
    "uric_acid",
    "smoking",
)
Status = Literal["active", "achieved", "not_achieved", "withdrawn"]
Outcome = Literal["achieved", "not_achieved", "withdrawn"]
STATUSES: Final[tuple[Status, ...]] = ("active", "achieved", "not_achieved", "withdrawn")
OUTCOMES: Final[tuple[Outcome, ...]] = ("achieved", "not_achieved", "withdrawn")
Direction = Literal["at_most", "at_least"]
CIGARETTES: Final = "cigarettes_per_day"
# A heavy smoker's day is a few packs; 200 a day is beyond any recorded habit.
CIGARETTE_BOUNDS: Final = (0.0, 200.0)

# The measures that may track each kind of programme (weight is a co-measure of most).
MEASURES: Final[dict[str, tuple[str, ...]]] = {
    "weight": ("weight", "bmi", "waist"),
    "blood_pressure": ("sbp", "dbp", "weight"),
    "glucose": ("glu", "hba1c", "weight"),
    "lipids": ("ldl", "tc", "tg", "hdl", "non_hdl", "weight"),
    "uric_acid": ("ua", "weight"),
    "smoking": (CIGARETTES,),
}


@dataclass(frozen=True, slots=True)
class Goal:
    measure: str
    target: float
    direction: Direction

    def met_by(self, value: float) -> bool:
        return value <= self.target if self.direction == "at_most" else value >= self.target


def check_value(measure: str, value: float, field: str) -> float:
    """A measure's value, or ``Invalid`` naming the field (never the value)."""
    if measure == CIGARETTES:
        low, high = CIGARETTE_BOUNDS
        if not (math.isfinite(value) and low <= value <= high):
            raise Invalid(f"{field}: outside the plausible range 0-200", code="implausible_value")
        return float(value)
    problem = load_catalog().plausibility_error(measure, value)
    if problem is not None:
        raise Invalid(f"{field}: {problem}", code="implausible_value")
    return float(value)


def goals_for(kind: str, raw: Sequence[Mapping[str, object]]) -> list[Goal]:
    """Validated goals: at least one, each on a measure of this kind, once."""
    if kind not in MEASURES:
        raise Invalid(f"kind must be one of {', '.join(KINDS)}", code="unknown_programme")
    if not raw:
        raise Invalid("a programme needs at least one goal", code="missing_goal")
    allowed = MEASURES[kind]
    goals: list[Goal] = []
    for i, item in enumerate(raw):
        measure = str(item.get("measure", ""))
        if measure not in allowed:
            raise Invalid(
                f"goals[{i}].measure: a {kind} programme tracks {', '.join(allowed)}",
                code="unknown_measure",
            )
        direction = item.get("direction", "at_most")
        if direction not in ("at_most", "at_least"):
            raise Invalid(f"goals[{i}].direction: at_most or at_least", code="bad_direction")
        target = item.get("target")
        if not isinstance(target, int | float) or isinstance(target, bool):
            raise Invalid(f"goals[{i}].target: a number is required", code="missing_value")
        value = check_value(measure, float(target), f"goals[{i}].target")
        goals.append(Goal(measure, value, direction))
    if len({g.measure for g in goals}) != len(goals):
        raise Invalid("one goal per measure", code="duplicate_goal")
    return goals


def check_measurements(kind: str, values: Mapping[str, float]) -> dict[str, float]:
    allowed = MEASURES[kind]
    out = {}
    for measure, value in values.items():
        if measure not in allowed:
            raise Invalid(
                f"measurements.{measure}: a {kind} programme tracks {', '.join(allowed)}",
                code="unknown_measure",
            )
        out[measure] = check_value(measure, value, f"measurements.{measure}")
    return out


def require_active(status: str) -> None:
    if status != "active":
        raise Conflict("the programme has ended", code="programme_ended")


def require_not_before(day: date, start: date, field: str) -> None:
    if day < start:
        raise Invalid(f"{field} is before the enrolment date", code="date_before_enrolment")


@dataclass(frozen=True, slots=True)
class GoalResult:
    """One goal against a measured value: ``met`` is None when the value was not measured."""

    measure: str
    target: float
    direction: Direction
    value: float | None
    met: bool | None


def compare(goals: Sequence[Goal], values: Mapping[str, object]) -> list[GoalResult]:
    """Each goal against the values of a checkup (or contact), in the goals' order."""
    out = []
    for goal in goals:
        raw = values.get(goal.measure)
        value = float(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else None
        met = None if value is None else goal.met_by(value)
        out.append(GoalResult(goal.measure, goal.target, goal.direction, value, met))
    return out
