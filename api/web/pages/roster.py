"""Medics register a unit roster from a CSV file: every row checked, all stored or none."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Request, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from api.web.deps import PageCtx
from api.web.pages.medic import UnitOption, my_units
from api.web.pages.uploads import MAX_WEB_UPLOAD
from api.web.render import FormInvalid, WebRoute, page
from health.errors import HealthError, Invalid
from health.services import access, officers
from health.services.context import Ctx
from health.vocabulary import Action

router = APIRouter(route_class=WebRoute, include_in_schema=False)
COLUMNS = ("unit_code", "badge_number", "name", "birth_date", "sex")


@dataclass(frozen=True)
class RosterProblem:
    row: int
    field: str
    value: str
    reason: str


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def parse(
    data: bytes, units: list[UnitOption]
) -> tuple[list[officers.OfficerIn], list[RosterProblem]]:
    """Rows to registrations; every problem with its row (header = 1), column, value, reason."""
    by_code = {u.code: u.id for u in units}
    reader = csv.DictReader(io.StringIO(_decode(data)))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return [], [RosterProblem(1, c, "", "missing_column") for c in missing]
    items, problems = [], []
    seen: set[str] = set()
    for number, row in enumerate(reader, start=2):
        cells = {c: (row.get(c) or "").strip() for c in COLUMNS}
        found = []
        if cells["unit_code"] not in by_code:
            found.append(RosterProblem(number, "unit_code", cells["unit_code"], "unit_not_yours"))
        if not cells["badge_number"]:
            found.append(RosterProblem(number, "badge_number", "", "empty"))
        elif cells["badge_number"] in seen:
            found.append(
                RosterProblem(number, "badge_number", cells["badge_number"], "duplicate_in_file")
            )
        if not cells["name"]:
            found.append(RosterProblem(number, "name", "", "empty"))
        born = _birth_date(cells["birth_date"])
        if born is None:
            found.append(RosterProblem(number, "birth_date", cells["birth_date"], "malformed_date"))
        if cells["sex"] not in officers.SEXES:
            found.append(RosterProblem(number, "sex", cells["sex"], "malformed_value"))
        seen.add(cells["badge_number"])
        problems.extend(found)
        if not found and born is not None:
            items.append(
                officers.OfficerIn(
                    by_code[cells["unit_code"]],
                    cells["badge_number"],
                    cells["name"],
                    born,
                    cells["sex"],
                )
            )
    if not items and not problems:
        problems.append(RosterProblem(0, "file", "", "no_results"))
    return items, problems


def _birth_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _values(ctx: Ctx, **extra: object) -> dict[str, object]:
    return {"units": my_units(ctx), "problems": [], "registered": None, **extra}


@router.get("/officers/roster")
def roster_form(request: Request, ctx: PageCtx) -> Response:
    access.require(ctx, Action.OFFICER_CREATE)
    return page(request, "roster.html", _values(ctx))


@router.post("/officers/roster")
async def roster_upload(
    request: Request, ctx: PageCtx, file: Annotated[UploadFile | None, File()] = None
) -> Response:
    """All rows registered in one transaction, or none when any row is wrong."""
    access.require(ctx, Action.OFFICER_CREATE)
    data = await file.read(MAX_WEB_UPLOAD + 1) if file is not None else b""
    return await run_in_threadpool(_register, request, ctx, data)


def _register(request: Request, ctx: Ctx, data: bytes) -> Response:
    try:
        if not data:
            raise Invalid("empty file", code="empty_file")
        if len(data) > MAX_WEB_UPLOAD:
            raise Invalid("file too large for the web form", code="too_large")
        items, problems = parse(data, my_units(ctx))
        if problems:
            return page(request, "roster.html", _values(ctx, problems=problems), status=400)
        officers.register_many(ctx, items)
    except HealthError as exc:
        raise FormInvalid(exc, "roster.html", _values(ctx)) from None
    return page(request, "roster.html", _values(ctx, registered=len(items)))
