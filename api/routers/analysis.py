"""The force health analysis for unit health managers (their subtree): prevalence by unit, sex
and age band, crude and age-standardised with 95 % intervals, small cells suppressed; as JSON,
CSV or XLSX."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from api.deps import CtxDep
from api.problems import PROBLEM_RESPONSES
from api.reports.tables import to_csv, to_xlsx
from api.routing import TransactionRoute
from health.reports.prevalence import COLUMNS
from health.services import analysis
from health.services.analysis import Analysis

router = APIRouter(
    prefix="/api/v1/units",
    tags=["analysis"],
    route_class=TransactionRoute,
    responses=PROBLEM_RESPONSES,
)

YearQuery = Annotated[int | None, Query(ge=2000, le=2100)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AnalysisOut(BaseModel):
    unit_id: uuid.UUID
    year: int
    min_cell: int
    standard_population: str
    cells: list[dict[str, Any]]
    stored: bool


def _found(ctx: CtxDep, unit_id: uuid.UUID, year: int | None) -> Analysis:
    return analysis.analysis(ctx, unit_id, year or ctx.clock().year)


@router.get("/{unit_id}/analysis")
def unit_analysis(unit_id: uuid.UUID, ctx: CtxDep, year: YearQuery = None) -> AnalysisOut:
    """Prevalence of hypertension, diabetes, prediabetes, dyslipidaemia, hyperuricaemia,
    overweight/obesity, fatty liver, abnormal ECG and CKD per unit (own officers and subtree),
    sex and age band; hidden cells carry no count and no rate."""
    found = _found(ctx, unit_id, year)
    return AnalysisOut(
        unit_id=found.unit_id,
        year=found.year,
        min_cell=found.min_cell,
        standard_population=found.standard_population,
        cells=found.cells,
        stored=found.stored,
    )


@router.get("/{unit_id}/analysis.csv", response_class=Response)
def unit_analysis_csv(unit_id: uuid.UUID, ctx: CtxDep, year: YearQuery = None) -> Response:
    found = _found(ctx, unit_id, year)
    return Response(
        to_csv(["year", *COLUMNS], [{**c, "year": found.year} for c in found.cells]),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="analysis-{found.year}.csv"'},
    )


@router.get("/{unit_id}/analysis.xlsx", response_class=Response)
def unit_analysis_xlsx(unit_id: uuid.UUID, ctx: CtxDep, year: YearQuery = None) -> Response:
    found = _found(ctx, unit_id, year)
    rows = [{**c, "year": found.year} for c in found.cells]
    return Response(
        to_xlsx(f"analysis {found.year}", ["year", *COLUMNS], rows),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="analysis-{found.year}.xlsx"'},
    )
