"""Units of the force."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import CtxDep
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from api.schemas import UnitIn, UnitOut
from health.services import units

router = APIRouter(
    prefix="/api/v1/units",
    tags=["units"],
    route_class=TransactionRoute,
    responses=PROBLEM_RESPONSES,
)


@router.get("")
def list_units(ctx: CtxDep) -> list[UnitOut]:
    return [UnitOut.model_validate(unit) for unit in units.list_units(ctx)]


@router.post("", status_code=201)
def create_unit(body: UnitIn, ctx: CtxDep) -> UnitOut:
    unit = units.create(
        ctx, code=body.code, name=body.name, kind=body.kind, parent_id=body.parent_id
    )
    return UnitOut.model_validate(unit)
