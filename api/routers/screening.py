"""Screening preview (medics) and ruleset administration (admins)."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query

from api.deps import CtxDep
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from api.schemas import PreviewIn, PreviewOut, RulesetOut
from health.services import preview, rulesets

router = APIRouter(
    prefix="/api/v1", tags=["screening"], route_class=TransactionRoute, responses=PROBLEM_RESPONSES
)


@router.post("/screening/preview")
def screening_preview(body: PreviewIn, ctx: CtxDep) -> PreviewOut:
    """Grade a checkup without storing it (what-if, integration testing)."""
    results = {
        code: value.model_dump() if hasattr(value, "model_dump") else value
        for code, value in body.results.items()
    }
    result = preview.preview(
        ctx,
        body.exam_date,
        results,
        officer_id=body.officer_id,
        sex=body.sex,
        age=body.age,
        conditions=tuple(body.conditions),
    )
    return PreviewOut(**asdict(result))


@router.get("/rulesets")
def list_rulesets(
    ctx: CtxDep,
    kind: Literal["screening", "followup"] = "screening",
) -> list[RulesetOut]:
    return [RulesetOut.model_validate(row) for row in rulesets.list_versions(ctx, kind)]


@router.post(
    "/rulesets",
    status_code=201,
    openapi_extra={"requestBody": {"content": {"application/yaml": {}}}},
)
def upload_ruleset(
    ctx: CtxDep,
    text: Annotated[str, Body(media_type="application/yaml")],
    kind: Annotated[Literal["screening", "followup"], Query()] = "screening",
    filename: Annotated[str, Query(max_length=120)] = "uploaded.yaml",
) -> RulesetOut:
    """Validate and store a ruleset (inactive); errors name the file, rule and field."""
    return RulesetOut.model_validate(rulesets.upload(ctx, kind, text, filename))


@router.post("/rulesets/{ruleset_id}/activate")
def activate_ruleset(ruleset_id: uuid.UUID, ctx: CtxDep) -> RulesetOut:
    """Put a version in force for new screenings; stored findings are not rewritten."""
    return RulesetOut.model_validate(rulesets.activate(ctx, ruleset_id))
