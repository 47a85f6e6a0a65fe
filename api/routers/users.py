"""Account administration (admins only; no health data here)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from api.deps import CtxDep, PolicyDep
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from api.schemas import PasswordIn, UnitsIn, UserIn, UserOut
from health.services import accounts, approvals
from models.tables import AppUser

router = APIRouter(
    prefix="/api/v1/users",
    tags=["users"],
    route_class=TransactionRoute,
    responses=PROBLEM_RESPONSES,
)
PENDING: dict[int | str, dict[str, object]] = {
    202: {"description": "Filed for a second admin's approval (`/api/v1/approvals`)"}
}


def _out(user: AppUser, unit_ids: list[uuid.UUID], pending: list[uuid.UUID]) -> UserOut:
    return UserOut(
        id=user.id,
        username=user.username,
        role=user.role,
        disabled=user.disabled,
        officer_id=user.officer_id,
        unit_ids=unit_ids,
        pending_approvals=pending,
    )


def _accepted(request_id: uuid.UUID | None) -> Response:
    if request_id is None:
        return Response(status_code=204)
    return JSONResponse({"approval_id": str(request_id)}, status_code=202)


@router.get("")
def list_users(ctx: CtxDep) -> list[UserOut]:
    return [_out(user, units, []) for user, units in accounts.list_users(ctx)]


@router.post("", status_code=201)
def create_user(body: UserIn, ctx: CtxDep, policy: PolicyDep) -> UserOut:
    """An officer account, or a medic with a wide scope, waits for a second admin."""
    user = accounts.create_user(
        ctx,
        policy,
        username=body.username,
        role=body.role,
        password=body.password,
        unit_ids=body.unit_ids,
        officer_id=body.officer_id,
    )
    return _out(user, accounts.unit_ids(ctx, user.id), approvals.pending_ids(ctx, user.id))


@router.post("/{user_id}/disable", status_code=204)
def disable(user_id: uuid.UUID, ctx: CtxDep) -> None:
    accounts.set_disabled(ctx, user_id, True)


@router.post("/{user_id}/enable", status_code=204)
def enable(user_id: uuid.UUID, ctx: CtxDep) -> None:
    accounts.set_disabled(ctx, user_id, False)


@router.post("/{user_id}/password", status_code=204, response_class=Response, responses=PENDING)
def reset_password(
    user_id: uuid.UUID, body: PasswordIn, ctx: CtxDep, policy: PolicyDep
) -> Response:
    """Reset; the user must change it at the next login. For an officer's or medic's account
    this files a request that a second admin approves."""
    return _accepted(accounts.reset_password(ctx, policy, user_id, body.password))


@router.put("/{user_id}/units", status_code=204, response_class=Response, responses=PENDING)
def set_units(user_id: uuid.UUID, body: UnitsIn, ctx: CtxDep, policy: PolicyDep) -> Response:
    """Assign units; widening a medic past the threshold files a request instead."""
    return _accepted(accounts.set_units(ctx, policy, user_id, body.unit_ids))
