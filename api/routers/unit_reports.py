"""Per-unit follow-up reports: figures for managers, the annual recall list, home-visit rounds."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import UTC, date
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CtxDep
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from api.schemas import RecallOut, RoundOut, UnitFiguresOut
from health.services import unit_reports

router = APIRouter(
    prefix="/api/v1/units",
    tags=["units"],
    route_class=TransactionRoute,
    responses=PROBLEM_RESPONSES,
)


@router.get("/{unit_id}/metrics")
def metrics(
    unit_id: uuid.UUID,
    ctx: CtxDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> UnitFiguresOut:
    """Coverage, follow-up completion and on-time rates, overdue counts and findings by
    category, per unit and rolled up the tree, with the change from the year before."""
    found = unit_reports.metrics(ctx, unit_id, year or ctx.clock().year)
    return UnitFiguresOut(**asdict(found))


@router.get("/{unit_id}/recall")
def recall(
    unit_id: uuid.UUID,
    ctx: CtxDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    as_of: date | None = None,
) -> list[RecallOut]:
    """Officers (ids) due or overdue for this year's checkup, per unit of the subtree."""
    day = as_of or ctx.clock().astimezone(UTC).date()
    found = unit_reports.recall(ctx, unit_id, year or day.year, day)
    return [RecallOut(**asdict(item)) for item in found]


@router.get("/{unit_id}/rounds")
def rounds(unit_id: uuid.UUID, ctx: CtxDep, today: date | None = None) -> list[RoundOut]:
    """Home visits per unit and ISO week, most urgent first; overdue visits fall in this week."""
    return [RoundOut(**asdict(item)) for item in unit_reports.rounds(ctx, unit_id, today=today)]
