"""Checkup submission (JSON path)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.deps import CtxDep
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from api.schemas import CheckupIn, CheckupStored
from health.services import checkups, officers

router = APIRouter(
    prefix="/api/v1/checkups",
    tags=["checkups"],
    route_class=TransactionRoute,
    responses=PROBLEM_RESPONSES,
)


@router.post("", status_code=201, responses={200: {"description": "Already stored"}})
def submit(body: CheckupIn, ctx: CtxDep, response: Response) -> CheckupStored:
    officer_id = body.officer_id
    if officer_id is None:
        assert body.badge_number is not None
        officer_id = officers.lookup_badge(ctx, body.badge_number, purpose="upload").id
    stored = checkups.submit(ctx, officer_id, body.exam_date, body.results)
    if stored.duplicate:
        response.status_code = 200
    return CheckupStored(id=stored.id, duplicate=stored.duplicate)
