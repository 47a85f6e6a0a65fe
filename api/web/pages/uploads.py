"""Medics upload a checkup session: preview with every problem in place, then confirm.

The preview stores nothing. The confirm form carries the file back (base64 in a hidden field),
so no unconfirmed upload is ever kept on the server and a reload cannot store it twice (the
import itself recognises a repeated file).
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import uuid
from typing import Annotated, Any, Literal

import pandas as pd
from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from api.web.deps import PageCtx, WebRuntime
from api.web.render import FormInvalid, WebRoute, page
from health.errors import Invalid
from health.services import access, imports
from health.vocabulary import Action

router = APIRouter(route_class=WebRoute, include_in_schema=False)

MAX_WEB_UPLOAD = 10 * 1024 * 1024
GRID_ROWS = 300


def _form_values(mode: str = "all") -> dict[str, Any]:
    return {"mode": mode}


@router.get("/uploads")
def upload_form(request: Request, ctx: PageCtx) -> Response:
    access.require(ctx, Action.CHECKUP_IMPORT)
    return page(request, "upload.html", _form_values())


def _grid(data: bytes, filename: str) -> tuple[list[str], list[list[str]]]:
    """The sheet as the medic sees it, for marking cells in error (first rows only)."""
    try:
        if filename.lower().endswith((".xlsx", ".xlsm")):
            frame = pd.read_excel(io.BytesIO(data), dtype=str, nrows=GRID_ROWS).fillna("")
            return [str(c) for c in frame.columns], frame.astype(str).values.tolist()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("gb18030")
        rows = list(csv.reader(io.StringIO(text)))
    except Exception:  # an unreadable sheet is reported by the import itself
        return [], []
    if not rows:
        return [], []
    return rows[0], rows[1 : GRID_ROWS + 1]


def _preview_values(
    report: imports.ImportReport, data: bytes, filename: str, mode: str
) -> dict[str, Any]:
    header, rows = ([], []) if report.layout == "fhir" else _grid(data, filename)
    bad_cells = {(e.row, e.field) for e in report.errors}
    bad_rows = {e.row for e in report.errors}
    return {
        "report": report,
        "filename": filename,
        "mode": mode,
        "payload": base64.b64encode(data).decode(),
        "header": header,
        "rows": [(index + 2, row) for index, row in enumerate(rows)],
        "bad_cells": bad_cells,
        "bad_rows": bad_rows,
        "file_errors": [e for e in report.errors if e.row <= 1],
    }


async def _read(file: UploadFile) -> bytes:
    data = await file.read(MAX_WEB_UPLOAD + 1)
    if len(data) > MAX_WEB_UPLOAD:
        raise Invalid("file too large for the web form", code="too_large")
    if not data:
        raise Invalid("empty file", code="empty_file")
    return data


@router.post("/uploads/preview")
async def preview(
    request: Request,
    ctx: PageCtx,
    rt: WebRuntime,
    file: Annotated[UploadFile | None, File()] = None,
    mode: Annotated[Literal["all", "valid"], Form()] = "all",
) -> Response:
    """A dry run: every problem with row, column, value and reason; nothing stored."""
    try:
        if file is None:
            raise Invalid("empty file", code="empty_file")
        data = await _read(file)
    except Invalid as exc:
        raise FormInvalid(exc, "upload.html", _form_values(mode)) from None
    filename = file.filename or "upload.csv"
    report = await run_in_threadpool(
        imports.run, rt.sessions, rt.vault, ctx.actor, data, filename, dry_run=True, mode=mode
    )
    return page(request, "upload_preview.html", _preview_values(report, data, filename, mode))


@router.post("/uploads/confirm")
async def confirm(
    request: Request,
    ctx: PageCtx,
    rt: WebRuntime,
    payload: Annotated[str, Form()] = "",
    filename: Annotated[str, Form()] = "upload.csv",
    mode: Annotated[Literal["all", "valid"], Form()] = "all",
) -> Response:
    """Store what the preview showed, all-or-nothing or the valid rows as chosen."""
    try:
        data = base64.b64decode(payload.encode(), validate=True)
    except (binascii.Error, ValueError):
        raise FormInvalid(
            Invalid("bad payload", code="empty_file"), "upload.html", _form_values(mode)
        ) from None
    if not data or len(data) > MAX_WEB_UPLOAD:
        raise FormInvalid(
            Invalid("bad payload", code="empty_file"), "upload.html", _form_values(mode)
        )
    report = await run_in_threadpool(
        imports.run, rt.sessions, rt.vault, ctx.actor, data, filename, dry_run=False, mode=mode
    )
    return page(request, "upload_done.html", {"report": report, "filename": filename})


@router.get("/uploads/{upload_id}/rejected")
def rejected(upload_id: uuid.UUID, ctx: PageCtx) -> Response:
    """The refused rows with reasons, to fix and upload again."""
    return Response(
        imports.rejected_csv(ctx, upload_id),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="rejected-{upload_id}.csv"'},
    )


@router.get("/uploads/template")
def template(ctx: PageCtx) -> Response:
    filename, body = imports.template_for(ctx)
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
