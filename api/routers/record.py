"""The officer's record in plain language: latest checkup by section, trends, findings grouped
by problem. ``/me/…`` for the officer (id from the token), ``/officers/{id}/…`` for a medic."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import CtxDep
from api.i18n import LangDep
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from health.i18n import CONTENT_LANGUAGE
from health.services import me, record
from health.services.problem_views import ProblemView
from health.services.record import OfficerRecord, Trend

router = APIRouter(
    prefix="/api/v1",
    tags=["record"],
    route_class=TransactionRoute,
    responses=PROBLEM_RESPONSES,
)

AnalytesQuery = Annotated[
    str | None,
    Query(
        description="Catalog codes, comma separated (default: the key measures)",
        examples=["sbp,dbp,glu"],
    ),
]


def _codes(analytes: str | None) -> list[str] | None:
    if analytes is None:
        return None
    return [code.strip() for code in analytes.split(",") if code.strip()] or None


@router.get("/me/record")
def my_record(ctx: CtxDep, lang: LangDep, response: Response) -> OfficerRecord:
    """My latest checkup by section: each result with its range and flag, derived values with
    their inputs, the change since last year, and my findings grouped by problem."""
    response.headers["Content-Language"] = CONTENT_LANGUAGE[lang]
    return record.officer_record(ctx, me.my_officer_id(ctx), lang)


@router.get("/me/trends")
def my_trends(
    ctx: CtxDep, lang: LangDep, response: Response, analytes: AnalytesQuery = None
) -> list[Trend]:
    """My results across every checkup, one series per analyte, ready to chart."""
    response.headers["Content-Language"] = CONTENT_LANGUAGE[lang]
    return record.trends(ctx, me.my_officer_id(ctx), _codes(analytes), lang)


@router.get("/me/findings/grouped")
def my_problems(ctx: CtxDep, lang: LangDep, response: Response) -> list[ProblemView]:
    """My findings, one entry per problem, with one piece of advice and what happens next."""
    response.headers["Content-Language"] = CONTENT_LANGUAGE[lang]
    return record.grouped_findings(ctx, me.my_officer_id(ctx), lang)


@router.get("/officers/{officer_id}/record")
def officer_record(
    officer_id: uuid.UUID, ctx: CtxDep, lang: LangDep, response: Response
) -> OfficerRecord:
    response.headers["Content-Language"] = CONTENT_LANGUAGE[lang]
    return record.officer_record(ctx, officer_id, lang)


@router.get("/officers/{officer_id}/trends")
def officer_trends(
    officer_id: uuid.UUID,
    ctx: CtxDep,
    lang: LangDep,
    response: Response,
    analytes: AnalytesQuery = None,
) -> list[Trend]:
    response.headers["Content-Language"] = CONTENT_LANGUAGE[lang]
    return record.trends(ctx, officer_id, _codes(analytes), lang)


@router.get("/officers/{officer_id}/findings/grouped")
def officer_problems(
    officer_id: uuid.UUID, ctx: CtxDep, lang: LangDep, response: Response
) -> list[ProblemView]:
    response.headers["Content-Language"] = CONTENT_LANGUAGE[lang]
    return record.grouped_findings(ctx, officer_id, lang)
