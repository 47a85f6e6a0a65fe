"""Risk equations: the catalogue (any signed-in user) and a medic's what-if (nothing stored)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header

from api.deps import CtxDep
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from health.services import risk_equations

router = APIRouter(
    prefix="/api/v1/risk",
    tags=["risk"],
    route_class=TransactionRoute,
    responses=PROBLEM_RESPONSES,
)


def language_of(accept_language: str | None) -> str:
    """zh-CN by default; English when the client prefers it."""
    return "en" if (accept_language or "").strip().lower().startswith("en") else "zh"


@router.get("/equations")
def list_equations(ctx: CtxDep) -> list[dict[str, Any]]:
    """Every equation with citation, inputs (UCUM units, ranges), domain and validation."""
    return risk_equations.list_equations(ctx)


@router.post("/equations/{equation_id}", responses={403: {}, 409: {}})
def compute_equation(
    equation_id: str,
    ctx: CtxDep,
    inputs: Annotated[dict[str, Any], Body()],
    accept_language: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """What-if: compute one equation from the inputs given; problem+json names a bad input."""
    return risk_equations.what_if(ctx, equation_id, inputs, language=language_of(accept_language))
