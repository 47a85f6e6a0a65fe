"""Checkups in: one as JSON, or a whole session as CSV/XLSX/FHIR with a dry-run preview."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from api.deps import CtxDep, RuntimeDep
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from api.schemas import CheckupIn, CheckupStored, ImportReportOut, RowErrorOut
from health.errors import Invalid
from health.services import checkups, imports

router = APIRouter(
    prefix="/api/v1/checkups",
    tags=["checkups"],
    route_class=TransactionRoute,
    responses=PROBLEM_RESPONSES,
)
uploads_router = APIRouter(
    prefix="/api/v1/uploads",
    tags=["checkups"],
    route_class=TransactionRoute,
    responses=PROBLEM_RESPONSES,
)

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


@router.post("", status_code=201, responses={200: {"description": "Already stored"}})
def submit(body: CheckupIn, ctx: CtxDep, response: Response) -> CheckupStored:
    """One checkup; a repeat is recognised (200), a changed repeat is a new version."""
    results = {
        code: value.model_dump() if hasattr(value, "model_dump") else value
        for code, value in body.results.items()
    }
    stored = checkups.submit(
        ctx, body.officer_id, body.exam_date, results, badge_number=body.badge_number
    )
    if stored.duplicate:
        response.status_code = 200
    return CheckupStored(id=stored.id, duplicate=stored.duplicate, corrected=stored.corrected)


def _report(report: imports.ImportReport) -> ImportReportOut:
    fields = asdict(report)
    fields["errors"] = [
        RowErrorOut(
            row=e.row, field=e.field, value=e.value, reason=e.reason, code=str(e.reason_code)
        )
        for e in report.errors
    ]
    return ImportReportOut(**fields)


@router.post("/import")
async def import_file(
    file: Annotated[UploadFile, File(description="CSV, XLSX or FHIR R4 Bundle (JSON)")],
    ctx: CtxDep,
    rt: RuntimeDep,
    dry_run: Annotated[bool, Query(description="preview only: nothing is stored")] = False,
    mode: Annotated[
        Literal["all", "valid"],
        Query(description="all: store nothing if any row is wrong; valid: store the valid rows"),
    ] = "all",
) -> ImportReportOut:
    """Import a checkup session; every problem comes back with row, column, value and reason."""
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise Invalid("the file is larger than 200 MB; split the session", code="too_large")
    report = await run_in_threadpool(
        imports.run,
        rt.sessions,
        rt.vault,
        ctx.actor,
        data,
        file.filename or "upload.csv",
        dry_run=dry_run,
        mode=mode,
    )
    return _report(report)


@router.get(
    "/import/template", response_class=Response, responses={200: {"content": {"text/csv": {}}}}
)
def import_template(ctx: CtxDep) -> Response:
    """A blank wide CSV for the current catalog version."""
    filename, body = imports.template_for(ctx)
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@uploads_router.get(
    "/{upload_id}/rejected", response_class=Response, responses={200: {"content": {"text/csv": {}}}}
)
def rejected_rows(upload_id: uuid.UUID, ctx: CtxDep) -> Response:
    """The refused rows of an upload with reasons, for the uploader to fix and re-upload."""
    return Response(
        imports.rejected_csv(ctx, upload_id),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="rejected-{upload_id}.csv"'},
    )
