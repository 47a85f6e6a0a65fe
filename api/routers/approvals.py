"""Second-admin approvals of changes that would let one admin reach health data alone."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter

from api.deps import CtxDep, PolicyDep
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from api.schemas import ApprovalOut
from health.services import approvals
from models.tables_auth import ApprovalRequest

router = APIRouter(
    prefix="/api/v1/approvals",
    tags=["users"],
    route_class=TransactionRoute,
    responses=PROBLEM_RESPONSES,
)


def _out(found: ApprovalRequest) -> ApprovalOut:
    fields: dict[str, Any] = {
        "id": found.id,
        "kind": found.kind,
        "user_id": found.user_id,
        "officer_id": found.officer_id,
        "status": found.status,
        "requested_by": found.requested_by,
        "requested_at": found.requested_at,
    }
    return ApprovalOut(**fields)


@router.get("")
def list_pending(ctx: CtxDep) -> list[ApprovalOut]:
    return [_out(found) for found in approvals.list_pending(ctx)]


@router.post("/{approval_id}/approve")
def approve(approval_id: uuid.UUID, ctx: CtxDep, policy: PolicyDep) -> ApprovalOut:
    """Apply the change; refused (403) to the admin who asked and to the account itself."""
    return _out(approvals.approve(ctx, approval_id, policy.mail_domain))


@router.post("/{approval_id}/reject")
def reject(approval_id: uuid.UUID, ctx: CtxDep) -> ApprovalOut:
    return _out(approvals.reject(ctx, approval_id))
