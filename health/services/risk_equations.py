"""The equation catalogue and a medic's what-if: nothing about an officer is read or stored."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from health.services import access
from health.services.context import Ctx
from health.vocabulary import Action
from ml.equations import EQUATIONS
from ml.equations.base import EquationSpec
from ml.equations.whatif import compute_one


def describe(spec: EquationSpec) -> dict[str, Any]:
    """Citation, inputs with UCUM units and ranges, domain, bands and validation status."""
    return {
        "id": spec.id,
        "version": spec.version,
        "name": spec.name,
        "outcome": spec.outcome,
        "result_unit": spec.result_unit,
        "citation": spec.citation,
        "validation": str(spec.validation),
        "validation_source": spec.validation_source,
        "enabled": spec.enabled,
        "disabled_reason": spec.disabled_reason,
        "inputs": [
            {
                "name": item.name,
                "kind": str(item.kind),
                "description": item.description,
                "unit": item.unit,
                "low": item.low,
                "high": item.high,
                "choices": list(item.choices),
            }
            for item in spec.inputs
        ],
        "domain": [rule.reason for rule in spec.domain],
        "bands": [
            {"code": b.code, "label_en": b.label_en, "label_zh": b.label_zh, "tier": b.tier}
            for b in spec.bands
        ],
        "notes": list(spec.notes),
    }


def list_equations(ctx: Ctx) -> list[dict[str, Any]]:
    """Every equation, enabled or not, so the catalogue is honest about what it cannot do."""
    return [describe(equation.spec) for equation in EQUATIONS.values()]


def what_if(
    ctx: Ctx, equation_id: str, inputs: Mapping[str, Any], *, language: str
) -> dict[str, Any]:
    """A medic's calculation from given inputs; no officer, nothing stored, nothing to audit."""
    access.require(ctx, Action.RISK_WHAT_IF)
    return compute_one(equation_id, inputs, language=language)
