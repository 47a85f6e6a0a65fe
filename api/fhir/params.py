"""What every FHIR route shares: its router settings, strict parameters, ids in paths."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Request
from fastapi.dependencies.models import Dependant

from api.fhir.outcome import FHIR_ERRORS, FhirJSON
from api.routing import TransactionRoute
from health.errors import Invalid, NotFound


def _declared(dependant: Dependant) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _declared(sub)
    return names


async def known_parameters_only(request: Request) -> None:
    """A FHIR server that ignores a criterion returns more than asked: refuse it instead."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    allowed = _declared(dependant) if dependant is not None else set()
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise Invalid(
            f"unsupported search parameters: {', '.join(unknown)[:200]}", code="fhir_bad_search"
        )


def fhir_router() -> APIRouter:
    """One commit per request, FHIR JSON bodies, OperationOutcome errors, strict parameters."""
    return APIRouter(
        prefix="/fhir",
        tags=["fhir"],
        route_class=TransactionRoute,
        default_response_class=FhirJSON,
        responses=FHIR_ERRORS,
        dependencies=[Depends(known_parameters_only)],
    )


def path_id(resource_type: str, value: str) -> uuid.UUID:
    """A path id that is no UUID names nothing here: 404 like any unknown id."""
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise NotFound(f"{resource_type} not found", code="not_found") from exc
