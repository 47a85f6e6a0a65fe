"""Account administration (admins only; no health data here)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from api.deps import CtxDep, PolicyDep
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from api.schemas import PasswordIn, UnitsIn, UserIn, UserOut
from health.services import accounts
from models.tables import AppUser

router = APIRouter(
    prefix="/api/v1/users",
    tags=["users"],
    route_class=TransactionRoute,
    responses=PROBLEM_RESPONSES,
)


def _out(user: AppUser, unit_ids: list[uuid.UUID]) -> UserOut:
    return UserOut(
        id=user.id,
        username=user.username,
        role=user.role,
        disabled=user.disabled,
        officer_id=user.officer_id,
        unit_ids=unit_ids,
    )


@router.get("")
def list_users(ctx: CtxDep) -> list[UserOut]:
    return [_out(user, units) for user, units in accounts.list_users(ctx)]


@router.post("", status_code=201)
def create_user(body: UserIn, ctx: CtxDep, policy: PolicyDep) -> UserOut:
    user = accounts.create_user(
        ctx,
        policy,
        username=body.username,
        role=body.role,
        password=body.password,
        unit_ids=body.unit_ids,
        officer_id=body.officer_id,
    )
    return _out(user, body.unit_ids)


@router.post("/{user_id}/disable", status_code=204)
def disable(user_id: uuid.UUID, ctx: CtxDep) -> None:
    accounts.set_disabled(ctx, user_id, True)


@router.post("/{user_id}/enable", status_code=204)
def enable(user_id: uuid.UUID, ctx: CtxDep) -> None:
    accounts.set_disabled(ctx, user_id, False)


@router.post("/{user_id}/password", status_code=204)
def reset_password(user_id: uuid.UUID, body: PasswordIn, ctx: CtxDep, policy: PolicyDep) -> None:
    accounts.reset_password(ctx, policy, user_id, body.password)


@router.put("/{user_id}/units", status_code=204)
def set_units(user_id: uuid.UUID, body: UnitsIn, ctx: CtxDep) -> None:
    accounts.set_units(ctx, user_id, body.unit_ids)
