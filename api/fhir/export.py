"""FHIR Bulk Data ``$export`` (system and ``Group/{unit}``): kick-off, status, files, cancel.

The kick-off needs ``Prefer: respond-async`` and answers 202 with ``Content-Location`` (the
status URL); the export is generated in-process after the response (a FastAPI background task
calling ``run_export``, which a job runner may also call). The status answers 202 with
``X-Progress`` and ``Retry-After`` while it runs, then 200 with the manifest; each file is
NDJSON (``application/fhir+ndjson``) for the account that asked, bearer token required.
"""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any

from fastapi import BackgroundTasks, Header, Query, Request, Response

from api.deps import CtxDep, RuntimeDep
from api.fhir.params import fhir_router, path_id
from health.errors import Invalid
from health.services import fhir_export
from health.services.fhir_export_run import run_export
from health.services.fhir_search import date_bounds

router = fhir_router()

NDJSON = "application/fhir+ndjson"
OUTPUT_FORMATS = frozenset({NDJSON, "application/ndjson", "ndjson"})
Types = Annotated[str | None, Query(alias="_type", description="resource types, comma-separated")]
Since = Annotated[str | None, Query(alias="_since", description="an instant with a time zone")]
Format = Annotated[str | None, Query(alias="_outputFormat")]
Prefer = Annotated[str | None, Header(description="must say respond-async")]
KICK_OFF: dict[int | str, dict[str, Any]] = {
    202: {
        "description": "Accepted; poll the status URL in Content-Location",
        "headers": {"Content-Location": {"schema": {"type": "string"}}},
    }
}
STATUS: dict[int | str, dict[str, Any]] = {
    200: {"description": "The manifest", "content": {"application/json": {"schema": {}}}},
    202: {
        "description": "Still running",
        "headers": {
            "X-Progress": {"schema": {"type": "string"}},
            "Retry-After": {"schema": {"type": "string"}},
        },
    },
    500: {"description": "The export failed", "content": {"application/fhir+json": {}}},
}


def _status_base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/fhir/export-status"


def _kick_off(
    request: Request,
    ctx: CtxDep,
    rt: RuntimeDep,
    background: BackgroundTasks,
    *,
    group: uuid.UUID | None,
    types: str | None,
    since: str | None,
    output_format: str | None,
    prefer: str | None,
) -> Response:
    if prefer is None or "respond-async" not in prefer.lower():
        raise Invalid("the kick-off needs Prefer: respond-async", code="fhir_prefer_async")
    if output_format is not None and output_format not in OUTPUT_FORMATS:
        raise Invalid("_outputFormat: only application/fhir+ndjson", code="fhir_bad_search")
    bounds = date_bounds("_since", [since]) if since is not None else []
    export_id = fhir_export.kick_off(
        ctx,
        types=[t for t in types.split(",") if t] if types else None,
        since=bounds[0].start if bounds else None,
        group_unit_id=group,
        request_url=str(request.url),
    )
    background.add_task(run_export, rt.sessions, rt.vault, export_id)
    return Response(
        status_code=202, headers={"Content-Location": f"{_status_base(request)}/{export_id}"}
    )


@router.get("/$export", status_code=202, response_class=Response, responses=KICK_OFF)
def export_system(
    request: Request,
    ctx: CtxDep,
    rt: RuntimeDep,
    background: BackgroundTasks,
    prefer: Prefer = None,
    types: Types = None,
    since: Since = None,
    output_format: Format = None,
) -> Response:
    """Everything the caller may read, across the units assigned to them."""
    return _kick_off(
        request,
        ctx,
        rt,
        background,
        group=None,
        types=types,
        since=since,
        output_format=output_format,
        prefer=prefer,
    )


@router.get(
    "/Group/{unit_id}/$export", status_code=202, response_class=Response, responses=KICK_OFF
)
def export_group(
    request: Request,
    ctx: CtxDep,
    rt: RuntimeDep,
    background: BackgroundTasks,
    unit_id: str,
    prefer: Prefer = None,
    types: Types = None,
    since: Since = None,
    output_format: Format = None,
) -> Response:
    """One unit's subtree (the Group is the unit's officers), inside the caller's scope."""
    return _kick_off(
        request,
        ctx,
        rt,
        background,
        group=path_id("Group", unit_id),
        types=types,
        since=since,
        output_format=output_format,
        prefer=prefer,
    )


@router.get("/export-status/{export_id}", response_class=Response, responses=STATUS)
def export_status(request: Request, ctx: CtxDep, export_id: str) -> Response:
    found = fhir_export.status(ctx, path_id("export", export_id))
    if isinstance(found, fhir_export.Progress):
        share = f"{found.done} of {found.total} officers" if found.total else found.status
        return Response(
            status_code=202,
            headers={
                "X-Progress": share,
                "Retry-After": str(fhir_export.RETRY_AFTER_SECONDS),
            },
        )
    base = str(request.base_url).rstrip("/") + "/fhir/export-files"
    return Response(json.dumps(found.as_json(base)), media_type="application/json", status_code=200)


@router.delete("/export-status/{export_id}", status_code=202, response_class=Response)
def export_cancel(ctx: CtxDep, export_id: str) -> Response:
    """Cancel (or, once done, delete) the export: its files are gone at once."""
    fhir_export.cancel(ctx, path_id("export", export_id))
    return Response(status_code=202)


@router.get(
    "/export-files/{file_id}",
    response_class=Response,
    responses={200: {"description": "NDJSON", "content": {NDJSON: {}}}},
)
def export_file(ctx: CtxDep, file_id: str) -> Response:
    return Response(fhir_export.download(ctx, path_id("file", file_id)), media_type=NDJSON)
