"""Risk equations: the catalogue (any signed-in user) and a medic's what-if (nothing stored)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header

from api.deps import CtxDep
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from health.i18n import negotiate
from health.services import me, risk_equations, risk_models, risk_scoring

router = APIRouter(
    prefix="/api/v1/risk",
    tags=["risk"],
    route_class=TransactionRoute,
    responses=PROBLEM_RESPONSES,
)


def language_of(accept_language: str | None) -> str:
    """zh-CN by default; English when the client prefers it (the API's one negotiation)."""
    return negotiate(accept_language)


@router.get("/equations")
def list_equations(ctx: CtxDep) -> list[dict[str, Any]]:
    """Every equation with citation, inputs (UCUM units, ranges), domain and validation."""
    return risk_equations.list_equations(ctx)


@router.post("/equations/{equation_id}")
def compute_equation(
    equation_id: str,
    ctx: CtxDep,
    inputs: Annotated[dict[str, Any], Body()],
    accept_language: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """What-if: compute one equation from the inputs given; problem+json names a bad input."""
    return risk_equations.what_if(ctx, equation_id, inputs, language=language_of(accept_language))


records_router = APIRouter(
    prefix="/api/v1", tags=["risk"], route_class=TransactionRoute, responses=PROBLEM_RESPONSES
)


@records_router.get("/officers/{officer_id}/risk")
def officer_risk(
    officer_id: uuid.UUID,
    ctx: CtxDep,
    accept_language: Annotated[str | None, Header()] = None,
) -> list[dict[str, Any]]:
    """An officer's risk estimates by checkup, with what drives each (medics in scope)."""
    return risk_scoring.scores_of(ctx, officer_id, language=language_of(accept_language))


@records_router.get("/me/risk")
def my_risk(
    ctx: CtxDep, accept_language: Annotated[str | None, Header()] = None
) -> list[dict[str, Any]]:
    """My risk estimates in plain words, with what I can change."""
    return risk_scoring.scores_of(ctx, me.my_officer_id(ctx), language=language_of(accept_language))


@records_router.get("/ml/models")
def list_models(ctx: CtxDep) -> list[dict[str, Any]]:
    """Registry versions with their held-out metrics (admins)."""
    return risk_models.list_versions(ctx)


@records_router.post("/ml/models/{version}/promote")
def promote_model(version: str, ctx: CtxDep) -> dict[str, Any]:
    """Make a version active after checksum and type checks; refusals are audited (admins)."""
    return risk_models.promote(ctx, version)
