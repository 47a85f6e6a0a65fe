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
    ConditionsIn,
    EmergencyIn,
    EmergencyOut,
    FindingOut,
    OfficerCreated,
    OfficerIn,
    OfficerOut,
)
from health.services import checkups, conditions, emergency, officers, screening

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


@router.get("/{officer_id}/findings")
def officer_findings(officer_id: uuid.UUID, ctx: CtxDep) -> list[FindingOut]:
    """Current findings with provenance and the medic's clinical text."""
    return [finding_out(view) for view in screening.findings_of(ctx, officer_id)]


@router.put("/{officer_id}/conditions")
def set_conditions(officer_id: uuid.UUID, body: ConditionsIn, ctx: CtxDep) -> ConditionsIn:
    """Record known diagnoses; the latest checkup is screened again to track their control."""
    return ConditionsIn(conditions=conditions.set_conditions(ctx, officer_id, body.conditions))


def finding_out(view: screening.FindingView) -> FindingOut:
    return FindingOut(
        checkup_id=view.checkup_id,
        exam_date=view.exam_date,
        ruleset_version=view.ruleset_version,
        **{k: v for k, v in view.finding.items() if k != "advice_key"},
        meaning=view.meaning,
        advice=view.advice,
        clinical=view.clinical,
    )
