"""Templates in the caller's language, the web route class, and friendly error pages.

``WebRoute`` keeps the API's one-commit-per-request discipline (it extends ``TransactionRoute``)
and adds what every page needs: the CSRF check before any state-changing handler runs, and a
problem turned into a page that says what to do next, re-showing the form with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session

from api.routing import TransactionRoute
from api.runtime import Runtime
from api.web import i18n, messages
from api.web.nav import nav_for
from api.web.session import LoginRequired, check_csrf, csrf_token
from health.errors import HealthError
from health.i18n import Lang
from health.services.context import Ctx
from health.vocabulary import Role

TEMPLATES = Path(__file__).parent / "templates"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# The upload confirmation carries the file back as base64 (10 MB file -> ~14 MB field).
MAX_FIELD_BYTES = 16 * 1024 * 1024


@cache
def environment(language: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(("html",)),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(i18n.translations(language), newstyle=True)  # type: ignore[attr-defined]
    return env


def runtime_of(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


def db_session(request: Request) -> Session:
    existing: Session | None = getattr(request.state, "session", None)
    if existing is None:
        existing = runtime_of(request).sessions()
        request.state.session = existing
    return existing


def language_of(request: Request) -> str:
    return i18n.negotiate(
        request.cookies.get(i18n.LANG_COOKIE), request.headers.get("accept-language")
    )


def lang_code(request: Request) -> Lang:
    """The service layer's name for the page's language."""
    return "zh" if language_of(request).startswith("zh") else "en"


def gettext(request: Request) -> Callable[[str], str]:
    translate = i18n.translations(language_of(request)).gettext
    return lambda text: str(translate(text))


def page(
    request: Request,
    template: str,
    values: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
) -> HTMLResponse:
    """Render one page with the layout's common values (who, language, nav, CSRF token)."""
    language = language_of(request)
    ctx: Ctx | None = getattr(request.state, "ctx", None)
    actor = ctx.actor if ctx is not None and ctx.actor.role != Role.ANONYMOUS else None
    common = {
        "request": request,
        "lang": i18n.LANGUAGES[language],
        "language": language,
        "fmt": i18n.Formats(language),
        "actor": actor,
        "nav": nav_for(actor.role) if actor else [],
        "csrf_token": csrf_token(request, runtime_of(request)),
        "path": request.url.path,
        "labels": messages.Labels(gettext(request)),
    }
    html = environment(language).get_template(template).render({**common, **(values or {})})
    return HTMLResponse(html, status_code=status)


class FormInvalid(HealthError):
    """A service refused a form: re-show it with what was typed and why, never a blank form."""

    def __init__(
        self,
        error: HealthError,
        template: str,
        values: Mapping[str, Any],
    ) -> None:
        super().__init__(error.detail, code=error.code)
        self.status = error.status
        self.error = error
        self.template = template
        self.values = dict(values)


def recover(ctx: Ctx) -> None:
    """After a refused change: undo it, keep its audit of the refusal, and go on reading."""
    ctx.session.rollback()
    deferred, ctx.deferred = list(ctx.deferred), []
    for work in deferred:
        work(ctx)


def error_page(request: Request, exc: HealthError) -> Response:
    if isinstance(exc, LoginRequired) and request.method in SAFE_METHODS:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={target}", status_code=303)
    if isinstance(exc, FormInvalid):
        values = {
            **exc.values,
            "error": messages.error_text(gettext(request), exc.error, lang_code(request)),
        }
        return page(request, exc.template, values, status=exc.status)
    return page(
        request,
        "error.html",
        {
            "status": exc.status,
            "message": messages.error_text(gettext(request), exc, lang_code(request)),
        },
        status=exc.status,
    )


class WebRoute(TransactionRoute):
    """Transaction per request, CSRF before state-changing handlers, problems as pages."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                if request.method not in SAFE_METHODS:
                    form = await request.form(max_part_size=MAX_FIELD_BYTES)
                    check_csrf(request, runtime_of(request), form)
                return await handler(request)
            except HealthError as exc:
                return error_page(request, exc)

        return route
