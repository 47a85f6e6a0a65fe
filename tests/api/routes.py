"""Every route of the app, with a concrete path for requests in tests."""

from __future__ import annotations

import re
import uuid

from world import World

PUBLIC = {
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("POST", "/api/v1/auth/token"),
    ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/password"),
    ("POST", "/api/v1/auth/client-token"),
    ("GET", "/fhir/metadata"),
}


def api_routes(world: World) -> list[tuple[str, str]]:
    """(method, path template) of every route in the OpenAPI document."""
    paths = world.client.get("/openapi.json").json()["paths"]
    return sorted((method.upper(), path) for path, item in paths.items() for method in item)


def concrete(path: str, **ids: uuid.UUID) -> str:
    for name in (
        "officer_id",
        "user_id",
        "upload_id",
        "ruleset_id",
        "task_id",
        "unit_id",
        "approval_id",
        "session_id",
    ):
        path = path.replace("{" + name + "}", str(ids.get(name, uuid.uuid4())))
    path = path.replace("{version}", "20260101T000000Z-deadbeef")
    path = path.replace("{equation_id}", "pce_2013")
    # Any other id parameter (kit_id, programme_id, ...) gets a random, nonexistent id.
    return re.sub(r"\{\w+_id\}", lambda _: str(uuid.uuid4()), path)
