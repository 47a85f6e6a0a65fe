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

# Generated requests per operation, each sent as every role. PostgreSQL, the production store,
# gets the full budget; the embedded SQLite default still answers every route as every role,
# with fewer draws (the document, not the store, decides what an answer must look like).
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
# Operations are dealt into parts, so the two test workers share a backend's routes.
PARTS = 4


def _part(name: str, value: Any) -> tuple[str, Any]:
    """A multipart part as httpx takes it: generated non-file fields may be numbers."""
    if isinstance(value, tuple):
        filename, content, *rest = value
        if not isinstance(content, bytes | str):
            content = json.dumps(content)
        return name, (filename, content, *rest)
    return name, value if isinstance(value, bytes | str) else json.dumps(value)


def _failures(world: World, part: int) -> list[str]:
    """Each operation of this part, its generated cases sent once as every role.

    The cases are drawn once per operation and replayed for each role: derandomized drawing
    gave every role the same cases anyway, and drawing them is most of the cost.
    """
    schema = schemathesis.openapi.from_dict(world.client.get("/openapi.json").json())
    headers: dict[str, dict[str, str]] = {role: world.headers(role) for role in ROLES}
    operations = [result.ok() for result in schema.get_all_operations()]
    mine = [o for o in operations if (o.method.upper(), o.path) not in SKIP][part::PARTS]
    found: list[str] = []
    for operation in mine:
        where = f"{operation.method.upper()} {operation.path}"
        failed = _failures_of(world, operation, headers)
        found.extend(f"{where} as {role}: {exc}"[:2000] for role, exc in failed.items())
    return found


def _failures_of(
    world: World, operation: Any, headers: dict[str, dict[str, str]]
) -> dict[str, str]:
    """The first failure of each role on this operation's cases."""
    failed: dict[str, str] = {}

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
        for role, role_headers in headers.items():
            if role in failed:
                continue
            try:
                _send(world, case, role_headers)
            except (Exception, BaseExceptionGroup) as exc:  # collected, shown together
                failed[role] = str(exc)

    run()
    return failed


def _send(world: World, case: Any, headers: dict[str, str]) -> None:
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


@pytest.mark.parametrize("part", range(PARTS))
def test_every_route_answers_as_its_openapi_document_says(world: World, part: int) -> None:
    failures = _failures(world, part)
    assert failures == [], "\n\n".join(failures)
