"""One equation on one person's inputs: checked against each input's unit and range first.

A missing or out-of-range input is a client error naming the field, its unit and the allowed
range; a person outside the equation's domain is an answer ("not applicable"), not an error.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from health.errors import Conflict, Invalid, NotFound
from ml.equations import EQUATIONS
from ml.equations.base import Equation, InputKind, InputSpec
from ml.equations.explain import explain_rows, result_rows


@dataclass(frozen=True)
class InputProblem:
    field: str
    unit: str | None
    allowed: str
    reason: str


class InvalidInput(Invalid):
    """An equation input is missing, of the wrong type or outside its accepted range."""

    code = "invalid_equation_input"

    def __init__(self, problems: list[InputProblem]) -> None:
        names = ", ".join(p.field for p in problems)
        super().__init__(f"equation inputs missing or out of range: {names}")
        self.inputs = [p.__dict__ for p in problems]


def equation(equation_id: str) -> Equation:
    found = EQUATIONS.get(equation_id)
    if found is None:
        raise NotFound("no such equation", code="equation_not_found")
    return found


def _check(spec: InputSpec, value: Any) -> tuple[Any, InputProblem | None]:
    def problem(reason: str) -> tuple[Any, InputProblem]:
        return None, InputProblem(spec.name, spec.unit, spec.allowed(), reason)

    if value is None:
        return problem("missing")
    if spec.kind is InputKind.BOOLEAN:
        if not isinstance(value, bool):
            return problem("must be true or false")
        return float(value), None
    if spec.kind is InputKind.CHOICE:
        if value not in spec.choices:
            return problem("not one of the allowed choices")
        return value, None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return problem(f"must be a number in {spec.unit}")
    assert spec.low is not None and spec.high is not None
    if not spec.low <= value <= spec.high:
        return problem("outside the accepted range")
    return float(value), None


def compute_one(
    equation_id: str, given: Mapping[str, Any], *, language: str = "en"
) -> dict[str, Any]:
    """Check every input, then answer with value, band, domain verdict and what drives it."""
    found = equation(equation_id)
    spec = found.spec
    if not spec.enabled:
        raise Conflict(f"{spec.id} is disabled: {spec.disabled_reason}", code="equation_disabled")
    columns: dict[str, list[Any]] = {}
    problems: list[InputProblem] = []
    for item in spec.inputs:
        value, problem = _check(item, given.get(item.name))
        if problem is not None:
            problems.append(problem)
        columns[item.name] = [value]
    if problems:
        raise InvalidInput(problems)
    result = result_rows(found, columns, language=language)[0]
    result["drivers"] = explain_rows(found, columns, language=language)[0]
    return result
