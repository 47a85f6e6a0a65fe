"""Officers: registration, reading, lookup by badge number."""

from __future__ import annotations

import uuid
from dataclasses import asdict

from fastapi import APIRouter

from api.deps import CtxDep
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from api.schemas import BadgeLookup, CheckupOut, OfficerCreated, OfficerIn, OfficerOut
from health.services import checkups, officers

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
