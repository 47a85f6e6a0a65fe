"""The officer list and search, the roster upload, the badge locator for break-the-glass, and
portal accounts for a unit in one step (medics, in the units they serve)."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, UploadFile
from starlette.concurrency import run_in_threadpool

from api.deps import CtxDep, PolicyDep
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from api.schemas import LAST_PAGE, BadgeLookup, RowErrorOut
from api.schemas_directory import (
    LocatedOut,
    OfficerPageOut,
    OfficerSearchIn,
    OfficerSummaryOut,
    PortalAccountOut,
    RosterChangeOut,
    RosterReportOut,
)
from health.errors import Invalid
from health.services import officer_directory, portal_accounts, roster

router = APIRouter(
    prefix="/api/v1/officers",
    tags=["officers"],
    route_class=TransactionRoute,
    responses=PROBLEM_RESPONSES,
)
units_router = APIRouter(
    prefix="/api/v1/units",
    tags=["officers"],
    route_class=TransactionRoute,
    responses=PROBLEM_RESPONSES,
)

MAX_ROSTER_BYTES = 50 * 1024 * 1024


def _page(page: officer_directory.OfficerPage) -> OfficerPageOut:
    return OfficerPageOut(
        items=[OfficerSummaryOut(**asdict(item)) for item in page.items],
        total=page.total,
        page=page.page,
        page_size=page.page_size,
    )


@router.get("")
def list_officers(
    ctx: CtxDep,
    unit_id: Annotated[uuid.UUID | None, Query(description="only this unit's subtree")] = None,
    page: Annotated[int, Query(ge=1, le=LAST_PAGE)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
) -> OfficerPageOut:
    """Officers in the units the medic serves, by unit, paginated."""
    return _page(officer_directory.search(ctx, unit_id=unit_id, page=page, page_size=page_size))


@router.post("/search")
def search_officers(body: OfficerSearchIn, ctx: CtxDep) -> OfficerPageOut:
    """Find officers in scope by badge number (exact), part of a name, and/or unit."""
    return _page(officer_directory.search(ctx, **body.model_dump()))


@router.post("/locate")
def locate_officer(body: BadgeLookup, ctx: CtxDep) -> LocatedOut:
    """Badge number to officer id, force-wide, for an emergency grant; reveals nothing else."""
    return LocatedOut(**asdict(officer_directory.locate(ctx, body.badge_number)))


@router.post("/roster")
async def import_roster(
    file: Annotated[
        UploadFile, File(description="CSV or XLSX: badge, name, sex, birth date, unit")
    ],
    ctx: CtxDep,
    dry_run: Annotated[bool, Query(description="preview only: nothing is stored")] = False,
    mode: Annotated[
        Literal["all", "valid"],
        Query(description="all: store nothing if any row is wrong; valid: store the valid rows"),
    ] = "all",
) -> RosterReportOut:
    """Register and update a unit's officers from its roster; changes come back as changes."""
    data = await file.read(MAX_ROSTER_BYTES + 1)
    if len(data) > MAX_ROSTER_BYTES:
        raise Invalid("the roster is larger than 50 MB; split it by unit", code="too_large")
    report = await run_in_threadpool(
        roster.import_roster, ctx, data, filename=file.filename, dry_run=dry_run, mode=mode
    )
    return RosterReportOut(
        **{k: v for k, v in asdict(report).items() if k not in ("changes", "errors")},
        changes=[
            RosterChangeOut(
                row=c.row,
                kind=c.kind,
                badge_number=c.badge_number,
                officer_id=c.officer_id,
                fields=list(c.fields),
            )
            for c in report.changes
        ],
        errors=[
            RowErrorOut(
                row=e.row, field=e.field, value=e.value, reason=e.reason, code=str(e.reason_code)
            )
            for e in report.errors
        ],
    )


@units_router.post("/{unit_id}/portal-accounts", status_code=201)
def create_portal_accounts(
    unit_id: uuid.UUID, ctx: CtxDep, policy: PolicyDep
) -> list[PortalAccountOut]:
    """Officer logins for everyone in the unit without one; passwords shown this once only."""
    return [
        PortalAccountOut(**asdict(a)) for a in portal_accounts.create_for_unit(ctx, policy, unit_id)
    ]
