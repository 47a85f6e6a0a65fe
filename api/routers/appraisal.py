"""Units' appraisal on checkups: admins publish scheme versions; managers read their subtree's
scores with the components (JSON, CSV, XLSX)."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response
from pydantic import BaseModel

from api.deps import CtxDep
from api.problems import PROBLEM_RESPONSES
from api.reports.tables import to_csv, to_xlsx
from api.routing import TransactionRoute
from health.reports.appraisal import scheme_body
from health.services import appraisal
from health.services.appraisal import UnitScore

router = APIRouter(
    prefix="/api/v1",
    tags=["appraisal"],
    route_class=TransactionRoute,
    responses=PROBLEM_RESPONSES,
)

YearQuery = Annotated[int | None, Query(ge=2000, le=2100)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCORE_COLUMNS = ("year", "unit_id", "scheme_version", "score", "rank", "peers", "components")


class UnitScoreOut(BaseModel):
    unit_id: uuid.UUID
    year: int
    scheme_version: str
    score: float | None
    rank: int | None
    peers: int
    components: dict[str, Any]
    computed_at: datetime


@router.post("/appraisal/schemes", status_code=201)
def publish_scheme(ctx: CtxDep, body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    """Publish a new version of the scoring scheme (indicators with weights, floors, targets
    and explanations in zh/en); later scoring runs use the newest version."""
    return scheme_body(appraisal.publish(ctx, body))


@router.get("/appraisal/schemes")
def list_schemes(ctx: CtxDep) -> list[dict[str, Any]]:
    return [scheme_body(s) for s in appraisal.published(ctx)]


def _scores(ctx: CtxDep, unit_id: uuid.UUID, year: int | None) -> list[UnitScore]:
    return appraisal.scores(ctx, unit_id, year or ctx.clock().year)


@router.get("/units/{unit_id}/appraisal")
def unit_appraisal(unit_id: uuid.UUID, ctx: CtxDep, year: YearQuery = None) -> list[UnitScoreOut]:
    """Scores of the unit and every unit below it, rank among peers at the same level, and each
    indicator's value, component, weight and target (empty until the ``report`` job ran)."""
    return [UnitScoreOut(**asdict(s)) for s in _scores(ctx, unit_id, year)]


def _rows(found: list[UnitScore]) -> list[dict[str, Any]]:
    return [
        {**asdict(s), "unit_id": str(s.unit_id), "components": json.dumps(s.components)}
        for s in found
    ]


@router.get("/units/{unit_id}/appraisal.csv", response_class=Response)
def unit_appraisal_csv(unit_id: uuid.UUID, ctx: CtxDep, year: YearQuery = None) -> Response:
    return Response(
        to_csv(SCORE_COLUMNS, _rows(_scores(ctx, unit_id, year))),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="appraisal.csv"'},
    )


@router.get("/units/{unit_id}/appraisal.xlsx", response_class=Response)
def unit_appraisal_xlsx(unit_id: uuid.UUID, ctx: CtxDep, year: YearQuery = None) -> Response:
    return Response(
        to_xlsx("appraisal", SCORE_COLUMNS, _rows(_scores(ctx, unit_id, year))),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="appraisal.xlsx"'},
    )
