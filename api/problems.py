"""RFC 9457 problem+json for every error, from one place."""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.fhir.outcome import outcome_response
from health.errors import HealthError
from health.i18n import CONTENT_LANGUAGE, DEFAULT_LANG, Lang, negotiate
from health.i18n.errors import error_message, row_reason_message

MEDIA_TYPE = "application/problem+json"
FHIR_ROOT = "/fhir"  # errors there are FHIR OperationOutcome (api/fhir/outcome.py)
log = logging.getLogger("officer_health.api")
RETRY_AFTER_SECONDS = 2
# An error list echoes at most this many entries, each value cut to this length, with the
# full count beside it: a 10 MB value or a million unknown keys cannot inflate the answer.
MAX_ECHOED_ERRORS = 50
MAX_ECHOED_CHARS = 80


class BodyTooLarge(StarletteHTTPException):
    """A body past its route's limit. An HTTPException, so FastAPI's body reader lets it
    through as itself (413) instead of turning it into a 400."""

    def __init__(self, limit: int) -> None:
        self.limit = f"{limit / (1024 * 1024):g} MB"
        super().__init__(413, f"the request body exceeds this route's {self.limit} limit")


def clip(value: object) -> str:
    text = str(value)
    return text if len(text) <= MAX_ECHOED_CHARS else text[:MAX_ECHOED_CHARS] + "…"


def problem(
    status: int, title: str, detail: str, code: str, *, lang: Lang = DEFAULT_LANG, **extra: Any
) -> JSONResponse:
    """A problem+json response; ``title`` and ``detail`` are already in ``lang``."""
    body = {
        "type": f"urn:officer-health:problem:{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }
    headers = {"Cache-Control": "no-store", "Content-Language": CONTENT_LANGUAGE[lang]}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if status == 503:
        headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _invalid_fields(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Where and why the payload is wrong, without echoing the submitted values."""
    return [
        {
            "loc": [p if isinstance(p, int) else clip(p) for p in error.get("loc", ())][:10],
            "reason": clip(error.get("msg", "invalid")),
        }
        for error in exc.errors()[:MAX_ECHOED_ERRORS]
    ]


def _row_errors(row_errors: Any, lang: Lang) -> list[dict[str, Any]]:
    return [
        {
            "row": e.row,
            "field": clip(e.field),
            "value": clip(e.value),
            "reason": e.reason,
            "code": str(e.reason_code),
            "message": row_reason_message(str(e.reason_code), lang),
        }
        for e in row_errors
    ]


def localised(
    request: Request, status: int, code: str, english_detail: str, **extra: Any
) -> JSONResponse:
    """A problem in the language of Accept-Language: the catalog message for ``code`` as the
    title; the detail is the service's own (English) detail for English readers and the catalog
    message for Chinese ones."""
    lang = negotiate(request.headers.get("accept-language"))
    message = error_message(code, lang)
    detail = english_detail if lang == "en" else message
    if request.url.path == FHIR_ROOT or request.url.path.startswith(FHIR_ROOT + "/"):
        return outcome_response(status, code, message, detail, lang)
    return problem(status, message, detail, code, lang=lang, **extra)


def _allowed(request: Request) -> list[str]:
    """Methods the OpenAPI document lists for this path (Starlette names only one route's)."""
    methods: set[str] = set()
    for template, item in request.app.openapi().get("paths", {}).items():
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, request.url.path):
            methods.update(method.upper() for method in item)
    return sorted(methods)


def install(app: FastAPI) -> None:
    @app.exception_handler(HealthError)
    async def health_error(request: Request, exc: HealthError) -> JSONResponse:
        if exc.status >= 500:
            log.error("request failed: %s (%s)", exc.code, exc.detail)
        extra: dict[str, Any] = {}
        ruleset_problems = getattr(exc, "problems", None)
        if ruleset_problems is not None:
            extra["problems"] = [
                {"file": p.file, "rule": p.rule, "field": p.field, "reason": p.message}
                for p in ruleset_problems
            ]
        allowed = getattr(exc, "allowed", None)
        if allowed is not None:
            extra["allowed"] = allowed
        row_errors = getattr(exc, "errors", None)
        if row_errors is not None:
            lang = negotiate(request.headers.get("accept-language"))
            extra["error_count"] = len(row_errors)
            extra["errors"] = _row_errors(row_errors[:MAX_ECHOED_ERRORS], lang)
        invalid_inputs = getattr(exc, "inputs", None)
        if invalid_inputs is not None:
            extra["inputs"] = invalid_inputs
        response = localised(request, exc.status, exc.code, exc.detail, **extra)
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            response.headers["Retry-After"] = str(retry_after)
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return localised(
            request,
            422,
            "validation_error",
            "the request body or parameters are invalid",
            error_count=len(exc.errors()),
            errors=_invalid_fields(exc),
        )

    @app.exception_handler(BodyTooLarge)
    async def too_large(request: Request, exc: BodyTooLarge) -> JSONResponse:
        return localised(request, 413, "too_large", str(exc.detail), limit=exc.limit)

    @app.exception_handler(PoolTimeout)
    async def pool_exhausted(request: Request, exc: PoolTimeout) -> JSONResponse:
        log.warning("no database connection within the pool timeout")
        return localised(request, 503, "overloaded", "the service is busy; retry later")

    @app.exception_handler(OperationalError)
    async def database_unavailable(request: Request, exc: OperationalError) -> JSONResponse:
        # A lock wait past busy_timeout, a dropped connection: transient, never a 500.
        log.warning("database unavailable: %s", type(exc.orig).__name__)
        return localised(
            request,
            503,
            "database_unavailable",
            "the database is busy or restarting; retry later",
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        response = localised(request, exc.status_code, "http_error", str(exc.detail))
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        if exc.status_code == 405:  # RFC 9110 §15.5.6: Allow lists every method of the path
            response.headers["Allow"] = ", ".join(_allowed(request))
        return response

    @app.exception_handler(DataError)
    async def unstorable(request: Request, exc: DataError) -> JSONResponse:
        """A value the database cannot hold (a NUL in text, an out-of-range number) is the
        caller's error, not a crash; the value is not echoed."""
        log.warning("refused a value the database cannot store: %s", type(exc.orig).__name__)
        return localised(request, 400, "invalid_value", "a value in the request cannot be stored")

    @app.exception_handler(IntegrityError)
    async def raced(request: Request, exc: IntegrityError) -> JSONResponse:
        """Two requests wrote the same unique thing at once (a retry racing its original under
        one Idempotency-Key): the loser's transaction is rolled back whole; a retry replays."""
        log.warning("concurrent write refused: %s", type(exc.orig).__name__)
        response = localised(
            request, 409, "concurrent_write", "another request wrote the same data at once; retry"
        )
        response.headers["Retry-After"] = "1"
        return response

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error: %s", type(exc).__name__)
        return localised(request, 500, "internal", "an unexpected error occurred")


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
    },
}
# Every route may answer these, always as problem+json (422 replaces FastAPI's JSON default).
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": title, "content": {MEDIA_TYPE: {"schema": PROBLEM_SCHEMA}}}
    for status, title in (
        (400, "Invalid request"),
        (401, "Authentication required"),
        (403, "Forbidden for this role"),
        (404, "Not found (or outside the caller's scope)"),
        (409, "Conflict"),
        (412, "Precondition failed (stale If-Match)"),
        (422, "Invalid payload or parameters"),
        (428, "Precondition required (If-Match missing)"),
        (429, "Too many attempts (see Retry-After)"),
        (503, "Busy; retry (see Retry-After)"),
    )
}
PROBLEM_403: dict[str, Any] = {"description": "Forbidden", "content": {MEDIA_TYPE: {}}}
PROBLEM_413: dict[str, Any] = {"description": "Payload too large", "content": {MEDIA_TYPE: {}}}
