"""OAuth2 password flow, refresh-token rotation, logout, password change, TOTP enrolment."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form

from api.deps import AnonymousCtxDep, CtxDep, PolicyDep
from api.problems import PROBLEM_RESPONSES
from api.ratelimit import limit_credentials
from api.routing import TransactionRoute
from api.schemas import (
    USERNAME,
    ClientTokenOut,
    PasswordChangeIn,
    RefreshIn,
    TokenOut,
    TotpConfirmIn,
    TotpEnrolIn,
    TotpEnrolOut,
)
from health.services import accounts, authenticators, client_credentials

router = APIRouter(
    prefix="/api/v1/auth", tags=["auth"], route_class=TransactionRoute, responses=PROBLEM_RESPONSES
)
Limited = [Depends(limit_credentials)]


def _out(pair: accounts.TokenPair) -> TokenOut:
    return TokenOut(
        access_token=pair.access_token, expires_in=pair.expires_in, refresh_token=pair.refresh_token
    )


@router.post("/token", dependencies=Limited)
def token(
    username: Annotated[str, Form(min_length=1, max_length=120, pattern=USERNAME)],
    password: Annotated[str, Form(min_length=1, max_length=200)],
    ctx: AnonymousCtxDep,
    policy: PolicyDep,
    grant_type: Annotated[str | None, Form(pattern="^password$")] = None,
    totp: Annotated[str | None, Form(pattern=r"^\d{6}$")] = None,
) -> TokenOut:
    """Log in (OAuth2 password grant); medics and admins who enrolled TOTP also send the
    current code as ``totp``. Locked and unknown accounts get the same 401."""
    return _out(accounts.login(ctx, policy, username, password, totp))


@router.post("/client-token", dependencies=Limited)
def client_token(
    grant_type: Annotated[str, Form(pattern="^client_credentials$")],
    client_id: Annotated[str, Form(min_length=1, max_length=120, pattern=USERNAME)],
    client_secret: Annotated[str, Form(min_length=1, max_length=200)],
    ctx: AnonymousCtxDep,
    policy: PolicyDep,
    scope: Annotated[str | None, Form(max_length=200)] = None,
) -> ClientTokenOut:
    """OAuth2 client credentials grant (RFC 6749 §4.4, secret in the form body) for integrator
    accounts: an access token for the FHIR facade (``/fhir``), scope ``system/*.read``, no
    refresh token."""
    issued = client_credentials.issue(ctx, policy, client_id, client_secret, scope)
    return ClientTokenOut(
        access_token=issued.access_token, expires_in=issued.expires_in, scope=issued.scope
    )


@router.post("/refresh", dependencies=Limited)
def refresh(body: RefreshIn, ctx: AnonymousCtxDep, policy: PolicyDep) -> TokenOut:
    """Rotate the refresh token; presenting a used one ends the whole session."""
    return _out(accounts.refresh(ctx, policy, body.refresh_token))


@router.post("/logout", status_code=204)
def logout(ctx: CtxDep) -> None:
    accounts.logout(ctx)


@router.post("/password", status_code=204, dependencies=Limited)
def change_password(body: PasswordChangeIn, ctx: AnonymousCtxDep, policy: PolicyDep) -> None:
    """Change one's own password with the current one (and code); ends every session. Also
    how a password reset by an admin is replaced before the first login."""
    accounts.change_password(
        ctx, policy, body.username, body.current_password, body.new_password, body.totp
    )


@router.post("/totp/enrol")
def totp_enrol(body: TotpEnrolIn, ctx: CtxDep, policy: PolicyDep) -> TotpEnrolOut:
    """Start (re-)enrolment after re-authenticating; the old factor works until confirmed."""
    return TotpEnrolOut(
        provisioning_uri=authenticators.enrol_totp(ctx, policy, body.password, body.totp)
    )


@router.post("/totp/confirm", status_code=204)
def totp_confirm(body: TotpConfirmIn, ctx: CtxDep, policy: PolicyDep) -> None:
    authenticators.confirm_totp(ctx, policy, body.code)
