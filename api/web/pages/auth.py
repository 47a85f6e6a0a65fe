"""Sign in (with TOTP where enrolled), sign out here or everywhere, choose the language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from api.web import i18n
from api.web.deps import MaybeCtx, PageCtx, PublicCtx, WebRuntime
from api.web.nav import HOME
from api.web.render import FormInvalid, WebRoute, page
from api.web.session import Cookie, clear_login, queue_cookie, set_login
from health.errors import HealthError
from health.services import accounts, web_sessions

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only a path of this site: never an absolute or protocol-relative address."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/")
def home(ctx: MaybeCtx) -> Response:
    if ctx is None:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(HOME.get(ctx.actor.role, "/login"), status_code=303)


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return page(request, "login.html", {"next": safe_next(next), "username": ""})


@router.post("/login")
def login(
    request: Request,
    ctx: PublicCtx,
    rt: WebRuntime,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    totp: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    try:
        pair = accounts.login(ctx, rt.auth, username, password, totp.strip() or None)
    except HealthError as exc:
        raise FormInvalid(
            exc,
            "login.html",
            {"next": safe_next(next), "username": username, "totp_asked": bool(totp)},
        ) from None
    set_login(request, pair)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, ctx: MaybeCtx) -> Response:
    """Always ends up signed out, even when the session had already ended."""
    if ctx is not None:
        accounts.logout(ctx)
    clear_login(request)
    return RedirectResponse("/login", status_code=303)


@router.post("/logout/everywhere")
def logout_everywhere(request: Request, ctx: PageCtx) -> Response:
    """Ends every session of the account, on every device."""
    web_sessions.end_all(ctx)
    clear_login(request)
    return RedirectResponse("/login", status_code=303)


@router.get("/lang/{language}")
def choose_language(request: Request, language: str, next: str | None = None) -> Response:
    if language in i18n.LANGUAGES:
        queue_cookie(request, Cookie(i18n.LANG_COOKIE, language, max_age=365 * 24 * 3600))
    return RedirectResponse(safe_next(next), status_code=303)
