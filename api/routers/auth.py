"""OAuth2 password flow, refresh-token rotation, logout, TOTP enrolment."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import AnonymousCtxDep, CtxDep, PolicyDep
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from api.schemas import RefreshIn, TokenOut, TotpConfirmIn, TotpEnrolOut
from health.services import accounts

router = APIRouter(
    prefix="/api/v1/auth", tags=["auth"], route_class=TransactionRoute, responses=PROBLEM_RESPONSES
)


def _out(pair: accounts.TokenPair) -> TokenOut:
    return TokenOut(
        access_token=pair.access_token, expires_in=pair.expires_in, refresh_token=pair.refresh_token
    )


@router.post("/token")
def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    ctx: AnonymousCtxDep,
    policy: PolicyDep,
    totp: Annotated[str | None, Form(pattern=r"^\d{6}$")] = None,
) -> TokenOut:
    """Log in; medics and admins who enrolled TOTP also send the current code as ``totp``."""
    return _out(accounts.login(ctx, policy, form.username, form.password, totp))


@router.post("/refresh")
def refresh(body: RefreshIn, ctx: AnonymousCtxDep, policy: PolicyDep) -> TokenOut:
    return _out(accounts.refresh(ctx, policy, body.refresh_token))


@router.post("/logout", status_code=204)
def logout(ctx: CtxDep) -> None:
    accounts.logout(ctx)


@router.post("/totp/enrol")
def totp_enrol(ctx: CtxDep) -> TotpEnrolOut:
    return TotpEnrolOut(provisioning_uri=accounts.enrol_totp(ctx))


@router.post("/totp/confirm", status_code=204)
def totp_confirm(body: TotpConfirmIn, ctx: CtxDep) -> None:
    accounts.confirm_totp(ctx, body.code)
