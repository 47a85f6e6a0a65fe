"""Checkups in: one as JSON, or a whole session as CSV/XLSX/FHIR with a dry-run preview."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile as StarletteUploadFile

from api.deps import CtxDep, RuntimeDep
from api.limits import declared_length
from api.problems import PROBLEM_403, PROBLEM_413, PROBLEM_RESPONSES, BodyTooLarge
from api.routing import TransactionRoute
from api.schemas import CheckupIn, CheckupStored, ImportReportOut, RowErrorOut
from health.errors import Invalid
from health.services import checkups, imports, upload_gate

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
    for name in ("errors", "warnings"):
        fields[name] = [
            RowErrorOut(
                row=e.row, field=e.field, value=e.value, reason=e.reason, code=str(e.reason_code)
            )
            for e in getattr(report, name)
        ]
    return ImportReportOut(**fields)


UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "CSV, XLSX or FHIR R4 Bundle (JSON)",
                        }
                    },
                }
            }
        },
    }
}


@router.post(
    "/import",
    openapi_extra=UPLOAD_BODY,
    responses={403: PROBLEM_403, 413: PROBLEM_413},
)
async def import_file(
    request: Request,
    ctx: CtxDep,
    rt: RuntimeDep,
    dry_run: Annotated[bool, Query(description="preview only: nothing is stored")] = False,
    mode: Annotated[
        Literal["all", "valid"],
        Query(description="all: store nothing if any row is wrong; valid: store the valid rows"),
    ] = "all",
    exam_date: Annotated[
        date | None, Query(description="exam date for rows that have none (YYYY-MM-DD)")
    ] = None,
) -> ImportReportOut:
    """Import a checkup session; every problem comes back with row, column, value and reason.

    A PDF or an image is refused as such; in ``mode=valid`` an unknown column is ignored with a
    warning naming it and the closest catalog labels. The caller is authorized before the body
    is read; the file is then streamed to a spooled temporary file of at most
    ``OH_MAX_UPLOAD_BYTES``.
    """
    upload_gate.require_importer(ctx)
    limit = rt.settings.max_upload_bytes
    declared = declared_length(request.scope)
    if declared is not None and declared > limit:
        raise BodyTooLarge(limit)
    data, filename = await _uploaded_file(request)
    report = await run_in_threadpool(
        imports.run,
        rt.sessions,
        rt.vault,
        ctx.actor,
        data,
        filename,
        dry_run=dry_run,
        mode=mode,
        exam_date=exam_date,
    )
    return _report(report)


async def _uploaded_file(request: Request) -> tuple[bytes, str]:
    async with request.form(max_files=1, max_fields=4) as form:
        file = form.get("file")
        if not isinstance(file, StarletteUploadFile):
            raise Invalid("send the file as multipart field 'file'", code="file_missing")
        return await file.read(), file.filename or "upload.csv"


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
