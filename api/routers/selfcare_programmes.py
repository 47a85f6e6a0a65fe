"""Lifestyle programmes: enrol, contacts, outcome, and the next checkup against the goals."""

from __future__ import annotations

import uuid
from dataclasses import asdict

from fastapi import APIRouter, status

from api.deps import CtxDep
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from api.schemas_selfcare import (
    ComparisonOut,
    ContactIn,
    ContactOut,
    EnrolIn,
    OutcomeIn,
    ProgrammeOut,
)
from health.services import me, selfcare_programmes

router = APIRouter(
    prefix="/api/v1", tags=["self-care"], route_class=TransactionRoute, responses=PROBLEM_RESPONSES
)


def _out(view: selfcare_programmes.ProgrammeView) -> ProgrammeOut:
    return ProgrammeOut(**asdict(view))


@router.post("/officers/{officer_id}/programmes", status_code=status.HTTP_201_CREATED)
def enrol(officer_id: uuid.UUID, body: EnrolIn, ctx: CtxDep) -> ProgrammeOut:
    """Enrol an officer the medic serves, with personal goals and planned contacts."""
    view = selfcare_programmes.enrol(
        ctx,
        officer_id,
        kind=body.kind,
        goals=[g.model_dump() for g in body.goals],
        enrolled_on=body.enrolled_on,
        planned_contacts=body.planned_contacts,
        lifestyle_task_id=body.lifestyle_task_id,
    )
    return _out(view)


@router.get("/officers/{officer_id}/programmes")
def programmes_of(officer_id: uuid.UUID, ctx: CtxDep) -> list[ProgrammeOut]:
    return [_out(v) for v in selfcare_programmes.of_officer(ctx, officer_id)]


@router.get("/me/programmes")
def my_programmes(ctx: CtxDep) -> list[ProgrammeOut]:
    return [_out(v) for v in selfcare_programmes.of_officer(ctx, me.my_officer_id(ctx))]


@router.get("/programmes/{programme_id}")
def programme(programme_id: uuid.UUID, ctx: CtxDep) -> ProgrammeOut:
    return _out(selfcare_programmes.get(ctx, programme_id))


@router.post("/programmes/{programme_id}/contacts", status_code=status.HTTP_201_CREATED)
def add_contact(programme_id: uuid.UUID, body: ContactIn, ctx: CtxDep) -> ContactOut:
    found = selfcare_programmes.add_contact(
        ctx,
        programme_id,
        contact_on=body.contact_on,
        notes=body.notes,
        measurements=body.measurements,
    )
    return ContactOut(**asdict(found))


@router.post("/programmes/{programme_id}/outcome")
def close(programme_id: uuid.UUID, body: OutcomeIn, ctx: CtxDep) -> ProgrammeOut:
    """End the programme: achieved, not achieved or withdrawn."""
    view = selfcare_programmes.close(
        ctx, programme_id, outcome=body.outcome, ended_on=body.ended_on, note=body.note
    )
    return _out(view)


@router.get("/programmes/{programme_id}/comparison")
def comparison(programme_id: uuid.UUID, ctx: CtxDep) -> ComparisonOut:
    """The next checkup after the programme compared with each goal."""
    return ComparisonOut(**asdict(selfcare_programmes.compare_with_checkup(ctx, programme_id)))
