"""OperationOutcome for every error under ``/fhir``: FHIR clients read issues, not problem+json.

The same error codes and zh/en messages as the JSON API (``health/i18n/errors.py``); the code
travels in ``issue.details.coding`` so a client can act on it, the message in the reader's
language in ``details.text`` and ``diagnostics``.
"""

from __future__ import annotations

from typing import Any, Final

from fastapi.responses import JSONResponse

from health.i18n import CONTENT_LANGUAGE, Lang
from health.services.fhir_resources import validated

FHIR_JSON: Final = "application/fhir+json"
ERROR_SYSTEM: Final = "urn:oh:error"
RETRY_AFTER_SECONDS: Final = 2
_ISSUE_TYPE = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    409: "conflict",
    410: "deleted",
    412: "conflict",
    413: "too-long",
    415: "not-supported",
    422: "invalid",
    428: "conflict",
    429: "throttled",
    503: "transient",
}


class FhirJSON(JSONResponse):
    media_type = FHIR_JSON


def outcome_response(status: int, code: str, message: str, detail: str, lang: Lang) -> JSONResponse:
    """An OperationOutcome with one issue, as the HTTP status says."""
    issue = {
        "severity": "error" if status < 500 else "fatal",
        "code": _ISSUE_TYPE.get(status, "exception"),
        "details": {"coding": [{"system": ERROR_SYSTEM, "code": code}], "text": message},
        "diagnostics": detail,
    }
    body = validated({"resourceType": "OperationOutcome", "issue": [issue]})
    headers = {"Cache-Control": "no-store", "Content-Language": CONTENT_LANGUAGE[lang]}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if status == 503:
        headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return FhirJSON(body, status_code=status, headers=headers)


OUTCOME_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["resourceType", "issue"],
    "properties": {"resourceType": {"const": "OperationOutcome"}, "issue": {"type": "array"}},
}
RESOURCE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["resourceType"],
    "properties": {"resourceType": {"type": "string"}},
}
FHIR_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"description": title, "content": {FHIR_JSON: {"schema": OUTCOME_SCHEMA}}}
    for status, title in (
        (400, "Invalid search or request (OperationOutcome)"),
        (401, "Authentication required"),
        (403, "Forbidden for this role"),
        (404, "Not found (or outside the caller's scope)"),
        (422, "Invalid parameters"),
        (429, "Too many requests (see Retry-After)"),
        (503, "Busy; retry (see Retry-After)"),
    )
}
