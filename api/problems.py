"""RFC 9457 problem+json for every error, from one place."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from health.errors import HealthError

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("officer_health.api")


def problem(status: int, title: str, detail: str, code: str, **extra: Any) -> JSONResponse:
    body = {
        "type": f"urn:officer-health:problem:{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }
    headers = {"Cache-Control": "no-store"}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _invalid_fields(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Where and why the payload is wrong, without echoing the submitted values."""
    return [
        {"loc": list(error.get("loc", ())), "reason": error.get("msg", "invalid")}
        for error in exc.errors()
    ]


def install(app: FastAPI) -> None:
    @app.exception_handler(HealthError)
    async def health_error(_: Request, exc: HealthError) -> JSONResponse:
        if exc.status >= 500:
            log.error("request failed: %s (%s)", exc.code, exc.detail)
        extra: dict[str, Any] = {}
        row_errors = getattr(exc, "errors", None)
        if row_errors is not None:
            extra["errors"] = [
                {
                    "row": e.row,
                    "field": e.field,
                    "value": e.value,
                    "reason": e.reason,
                    "code": str(e.reason_code),
                }
                for e in row_errors
            ]
        return problem(exc.status, exc.title, exc.detail, exc.code, **extra)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        return problem(
            422,
            "Invalid payload",
            "the request body or parameters are invalid",
            "validation_error",
            errors=_invalid_fields(exc),
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem(exc.status_code, str(exc.detail), str(exc.detail), "http_error")

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error: %s", type(exc).__name__)
        return problem(500, "Internal error", "an unexpected error occurred", "internal")


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": title, "content": {MEDIA_TYPE: {}}}
    for status, title in (
        (400, "Invalid request"),
        (401, "Authentication required"),
        (404, "Not found"),
        (409, "Conflict"),
    )
}
