"""GET /api/v1/me/account: who am I, for every role."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter

from api.deps import CtxDep
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from api.schemas_directory import AccountOut
from health.services import whoami

router = APIRouter(
    prefix="/api/v1/me", tags=["me"], route_class=TransactionRoute, responses=PROBLEM_RESPONSES
)


@router.get("/account")
def my_account(ctx: CtxDep) -> AccountOut:
    """The signed-in account: username, role and the units it serves."""
    return AccountOut(**asdict(whoami.whoami(ctx)))
