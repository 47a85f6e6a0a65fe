"""The force health analysis for unit health managers (their subtree): prevalence by unit, sex
and age band, crude and age-standardised with 95 % intervals, small cells suppressed; as JSON,
CSV or XLSX; and as a summary over the years with the leading problems and the interventions
the follow-up policy plans for them (JSON, or a PDF with charts in zh or en)."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from api.deps import CtxDep
from api.i18n import LangDep
from api.problems import PROBLEM_RESPONSES
from api.reports.analysis_pdf import analysis_pdf
from api.reports.http import PDF_RESPONSE, LangQuery, pdf_response
from api.reports.tables import to_csv, to_xlsx
from api.routing import TransactionRoute
from health.reports.prevalence import COLUMNS
from health.services import analysis, analysis_summary
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


@router.get("/{unit_id}/analysis/summary")
def unit_analysis_summary(
    unit_id: uuid.UUID, ctx: CtxDep, accept: LangDep, year: YearQuery = None
) -> dict[str, Any]:
    """Each condition's prevalence (subtree, all officers) over the last five years with the
    change on last year, the year's leading problems with the interventions the follow-up
    policy plans for them, and the year by sex, age band and unit below; hidden cells null."""
    found = analysis_summary.summary(ctx, unit_id, year or ctx.clock().year, accept)
    body = asdict(found)
    body["leading"] = [line.code for line in found.leading]
    return body


@router.get(
    "/{unit_id}/analysis.pdf",
    response_class=Response,
    responses=PDF_RESPONSE,
)
def unit_analysis_pdf(
    unit_id: uuid.UUID,
    ctx: CtxDep,
    accept: LangDep,
    year: YearQuery = None,
    lang: LangQuery = None,
) -> Response:
    """The year's health analysis of the unit and everything below it as an A4 PDF with charts:
    prevalence with intervals, leading problems with their trend and interventions, figures by
    sex, age band and unit below. Aggregates only, suppressed as in the JSON."""
    chosen = lang or accept
    found = analysis_summary.summary(ctx, unit_id, year or ctx.clock().year, chosen)
    return pdf_response(analysis_pdf(found), chosen, f"analysis-{found.year}-{chosen}.pdf")


@router.get("/{unit_id}/analysis/trends.csv", response_class=Response)
def unit_analysis_trends_csv(
    unit_id: uuid.UUID, ctx: CtxDep, accept: LangDep, year: YearQuery = None
) -> Response:
    """The summary's figures per condition and year (subtree, all officers) as CSV, with the
    year's leading problems ranked and their interventions; hidden cells empty."""
    found = analysis_summary.summary(ctx, unit_id, year or ctx.clock().year, accept)
    return Response(
        to_csv(analysis_summary.TREND_COLUMNS, analysis_summary.trend_rows(found)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="analysis-trends-{found.year}.csv"'},
    )


@router.get("/{unit_id}/analysis/trends.xlsx", response_class=Response)
def unit_analysis_trends_xlsx(
    unit_id: uuid.UUID, ctx: CtxDep, accept: LangDep, year: YearQuery = None
) -> Response:
    """The same table as XLSX."""
    found = analysis_summary.summary(ctx, unit_id, year or ctx.clock().year, accept)
    rows = analysis_summary.trend_rows(found)
    return Response(
        to_xlsx(f"trends {found.year}", analysis_summary.TREND_COLUMNS, rows),
        media_type=XLSX,
        headers={
            "Content-Disposition": f'attachment; filename="analysis-trends-{found.year}.xlsx"'
        },
    )
