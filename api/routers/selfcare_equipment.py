"""First-aid kits and measuring devices of units: inventory, restock, handover, calibration and
the readiness list (medics and unit managers of the unit's subtree)."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from api.deps import CtxDep
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from api.schemas_selfcare import (
    CalibrationIn,
    DeviceIn,
    DeviceOut,
    HandoverIn,
    KitIn,
    KitOut,
    ReadinessOut,
    RestockIn,
)
from health.services import selfcare_equipment

router = APIRouter(
    prefix="/api/v1", tags=["self-care"], route_class=TransactionRoute, responses=PROBLEM_RESPONSES
)


@router.get("/kit-templates")
def kit_templates(ctx: CtxDep) -> dict[str, Any]:
    """What each unit type's kit must hold and which devices it is issued, with sources."""
    return selfcare_equipment.template_data(ctx)


@router.post("/units/{unit_id}/kits", status_code=status.HTTP_201_CREATED)
def create_kit(unit_id: uuid.UUID, body: KitIn, ctx: CtxDep) -> KitOut:
    view = selfcare_equipment.create_kit(ctx, unit_id, label=body.label, template=body.template)
    return KitOut(**asdict(view))


@router.post("/kits/{kit_id}/restock")
def restock(kit_id: uuid.UUID, body: RestockIn, ctx: CtxDep) -> KitOut:
    """Record a restock: each item and batch set to its quantity (0 takes a batch out)."""
    view = selfcare_equipment.restock(ctx, kit_id, [i.model_dump() for i in body.items])
    return KitOut(**asdict(view))


@router.post("/units/{unit_id}/devices", status_code=status.HTTP_201_CREATED)
def register_device(unit_id: uuid.UUID, body: DeviceIn, ctx: CtxDep) -> DeviceOut:
    view = selfcare_equipment.register_device(
        ctx,
        unit_id,
        kind=body.kind,
        serial=body.serial,
        holder_officer_id=body.holder_officer_id,
        last_calibrated_on=body.last_calibrated_on,
    )
    return DeviceOut(**asdict(view))


@router.post("/devices/{device_id}/handover")
def handover(device_id: uuid.UUID, body: HandoverIn, ctx: CtxDep) -> DeviceOut:
    return DeviceOut(**asdict(selfcare_equipment.handover(ctx, device_id, body.holder_officer_id)))


@router.post("/devices/{device_id}/calibrations")
def calibrate(device_id: uuid.UUID, body: CalibrationIn, ctx: CtxDep) -> DeviceOut:
    return DeviceOut(**asdict(selfcare_equipment.calibrate(ctx, device_id, body.calibrated_on)))


@router.get("/units/{unit_id}/readiness")
def readiness(
    unit_id: uuid.UUID,
    ctx: CtxDep,
    within: Annotated[int, Query(description="30, 60 or 90 days")] = 30,
    as_of: date | None = None,
) -> ReadinessOut:
    """Kits missing items or holding expired stock, stock expiring within 30/60/90 days, and
    devices overdue or due for calibration, over the unit and every unit below it."""
    found = selfcare_equipment.readiness(ctx, unit_id, within=within, as_of=as_of)
    return ReadinessOut(
        unit_id=found.unit_id,
        as_of=found.as_of,
        within=found.within,
        kits_not_ready=found.kits_not_ready,
        devices_not_calibrated=found.devices_not_calibrated,
        kits=[KitOut(**asdict(k)) for k in found.kits],
        devices=[DeviceOut(**asdict(d)) for d in found.devices],
    )
