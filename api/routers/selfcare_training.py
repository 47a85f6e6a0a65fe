"""First-aid training: courses, bulk attendance import, standings by unit; and the unit figures
for readiness, training coverage and programme outcomes."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, UploadFile, status
from starlette.concurrency import run_in_threadpool

from api.deps import CtxDep
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from api.schemas_selfcare import (
    CourseIn,
    CourseOut,
    SelfcareFiguresOut,
    TrainingImportOut,
    TrainingRowErrorOut,
    UnitTrainingOut,
)
from health.errors import Invalid
from health.services import selfcare_figures, selfcare_training

router = APIRouter(
    prefix="/api/v1", tags=["self-care"], route_class=TransactionRoute, responses=PROBLEM_RESPONSES
)
MAX_TRAINING_BYTES = 20 * 1024 * 1024


@router.get("/courses")
def courses(ctx: CtxDep) -> list[CourseOut]:
    return [CourseOut(**asdict(c)) for c in selfcare_training.courses(ctx)]


@router.post("/courses", status_code=status.HTTP_201_CREATED)
def create_course(body: CourseIn, ctx: CtxDep) -> CourseOut:
    view = selfcare_training.create_course(ctx, **body.model_dump())
    return CourseOut(**asdict(view))


@router.post("/training/import")
async def import_training(
    file: Annotated[UploadFile, File(description="CSV or XLSX: badge_number, course, attended_on")],
    ctx: CtxDep,
    dry_run: Annotated[bool, Query(description="preview only: nothing is stored")] = False,
    mode: Annotated[
        Literal["all", "valid"],
        Query(description="all: store nothing if any row is wrong; valid: store the valid rows"),
    ] = "all",
) -> TrainingImportOut:
    """Record attendance and certificates in bulk; each problem with row, column, value, reason."""
    data = await file.read(MAX_TRAINING_BYTES + 1)
    if len(data) > MAX_TRAINING_BYTES:
        raise Invalid("the file is larger than 20 MB; split it", code="too_large")
    # Parsing and storing are blocking work: off the event loop, as the roster import does.
    report = await run_in_threadpool(
        selfcare_training.import_attendance,
        ctx,
        data,
        file.filename or "training.csv",
        dry_run=dry_run,
        mode=mode,
    )
    fields = asdict(report)
    fields["errors"] = [
        TrainingRowErrorOut(
            row=e.row, field=e.field, value=e.value, reason=e.reason, code=str(e.reason_code)
        )
        for e in report.errors
    ]
    return TrainingImportOut(**fields)


@router.get("/units/{unit_id}/training")
def unit_training(
    unit_id: uuid.UUID,
    ctx: CtxDep,
    as_of: date | None = None,
    within: Annotated[int, Query(ge=1, le=366)] = 90,
) -> list[UnitTrainingOut]:
    """Per unit of the subtree and course: officers untrained, expired or expiring."""
    found = selfcare_training.by_unit(ctx, unit_id, as_of=as_of, within=within)
    return [UnitTrainingOut(**asdict(u)) for u in found]


@router.get("/units/{unit_id}/selfcare-figures")
def unit_selfcare_figures(
    unit_id: uuid.UUID,
    ctx: CtxDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    as_of: date | None = None,
) -> SelfcareFiguresOut:
    """Equipment readiness, training coverage and programme outcomes, per unit and rolled up."""
    found = selfcare_figures.figures(ctx, unit_id, year=year, as_of=as_of)
    return SelfcareFiguresOut(**asdict(found))
