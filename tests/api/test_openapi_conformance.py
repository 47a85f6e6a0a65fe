"""schemathesis over every route of the live OpenAPI document, as each role (issue 9, acc. 4).

The operations come from ``/openapi.json`` of the running app, so a route added by anyone is
covered without touching this file. For each one, a few generated requests (derandomized, so
the same on every run) go through the real app on a real database, and each answer is checked
against the document: no 5xx, a documented status code, content type, headers and body schema.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from world import ROLES, World

# Generated requests per operation and role. PostgreSQL, the production store, gets the full
# budget; the embedded SQLite default still answers every route as every role, with fewer
# draws (the document, not the store, decides what an answer must look like).
EXAMPLES = {"postgresql": 6, "sqlite": 3}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Ending the caller's own session would leave the rest of the run unauthenticated.
SKIP = {("POST", "/api/v1/auth/logout")}


def _part(name: str, value: Any) -> tuple[str, Any]:
    """A multipart part as httpx takes it: generated non-file fields may be numbers."""
    if isinstance(value, tuple):
        filename, content, *rest = value
        if not isinstance(content, bytes | str):
            content = json.dumps(content)
        return name, (filename, content, *rest)
    return name, value if isinstance(value, bytes | str) else json.dumps(value)


def _failures(world: World, headers: dict[str, str]) -> list[str]:
    schema = schemathesis.openapi.from_dict(world.client.get("/openapi.json").json())
    found: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIP:
            continue

        @settings(
            max_examples=EXAMPLES[world.runtime.engine.dialect.name],
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            kwargs = case.as_transport_kwargs(base_url="http://testserver", headers=headers)
            # httpx deprecates per-request cookies: set them on the client for this one call.
            world.client.cookies.clear()
            world.client.cookies.update(kwargs.pop("cookies", None) or {})
            if kwargs.get("files"):
                kwargs["files"] = [_part(name, value) for name, value in kwargs["files"]]
            if isinstance(kwargs.get("data"), bytes | str):
                kwargs["content"] = kwargs.pop("data")  # raw bodies go as content in httpx
            response = world.client.request(**kwargs)
            response.request.read()  # a multipart body is streamed; the report quotes it
            case.validate_response(response, checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # every failure is collected, then shown
            found.append(f"{operation.method.upper()} {operation.path}: {exc}"[:2000])
    return found


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_as_its_openapi_document_says(world: World, role: str) -> None:
    failures = _failures(world, world.headers(role))
    assert failures == [], "\n\n".join(failures)
