"""Officers: registration, reading, lookup by badge number."""

from __future__ import annotations

import uuid
from dataclasses import asdict

from fastapi import APIRouter

from api.deps import CtxDep, RuntimeDep
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from api.schemas import (
    BadgeLookup,
    CheckupOut,
    EmergencyIn,
    EmergencyOut,
    OfficerCreated,
    OfficerIn,
    OfficerOut,
)
from health.services import checkups, emergency, officers

router = APIRouter(
    prefix="/api/v1/officers",
    tags=["officers"],
    route_class=TransactionRoute,
    responses=PROBLEM_RESPONSES,
)


@router.post("", status_code=201)
def register(body: OfficerIn, ctx: CtxDep) -> OfficerCreated:
    new = officers.register(ctx, officers.OfficerIn(**body.model_dump()))
    return OfficerCreated(id=new.id, unit_id=new.unit_id)


@router.post("/lookup")
def lookup(body: BadgeLookup, ctx: CtxDep) -> OfficerOut:
    return OfficerOut(**asdict(officers.lookup_badge(ctx, body.badge_number)))


@router.get("/{officer_id}")
def read(officer_id: uuid.UUID, ctx: CtxDep) -> OfficerOut:
    return OfficerOut(**asdict(officers.get(ctx, officer_id)))


@router.get("/{officer_id}/checkups")
def officer_checkups(officer_id: uuid.UUID, ctx: CtxDep) -> list[CheckupOut]:
    return [CheckupOut(**asdict(view)) for view in checkups.of_officer(ctx, officer_id)]


@router.post("/{officer_id}/emergency-access", status_code=201)
def emergency_access(
    officer_id: uuid.UUID, body: EmergencyIn, ctx: CtxDep, rt: RuntimeDep
) -> EmergencyOut:
    """Break the glass: a medic opens a record outside their units, with a reason, for a while."""
    grant = emergency.grant(
        ctx, officer_id, body.reason, body.minutes, max_minutes=rt.settings.emergency_max_minutes
    )
    return EmergencyOut(id=grant.id, officer_id=grant.officer_id, expires_at=grant.expires_at)
