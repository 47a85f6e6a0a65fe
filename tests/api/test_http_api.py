"""The HTTP surface on a real database: token required, problem+json errors, no-store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.app import create_app
from health.settings import Settings

TOKEN = "test-bootstrap-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def client(fresh_url: Callable[[], str], tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(var_dir=tmp_path, database_url=fresh_url(), api_token=SecretStr(TOKEN))
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def _officer(client: TestClient, badge: str = "T12345") -> str:
    unit = client.post(
        "/api/v1/units", json={"code": "S1", "name": "Station 1", "kind": "force"}, headers=AUTH
    ).json()
    created = client.post(
        "/api/v1/officers",
        headers=AUTH,
        json={
            "unit_id": unit["id"],
            "badge_number": badge,
            "name": "李明",
            "birth_date": "1988-04-02",
            "sex": "M",
        },
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def test_probes_need_no_token(client: TestClient) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").json()["status"] == "ready"


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic dXNlcjpwYXNz"}]
)
def test_every_api_route_refuses_without_the_token(
    client: TestClient, headers: dict[str, str]
) -> None:
    for route in client.app.routes:  # type: ignore[attr-defined]
        path = getattr(route, "path", "")
        if not path.startswith("/api/"):
            continue
        for method in route.methods:
            response = client.request(
                method, path.replace("{officer_id}", "0" * 32), headers=headers
            )
            assert response.status_code == 401, (method, path)
            assert response.headers["content-type"] == "application/problem+json"


def test_register_lookup_and_read_checkups(client: TestClient) -> None:
    officer_id = _officer(client)
    found = client.post("/api/v1/officers/lookup", json={"badge_number": "t 12345"}, headers=AUTH)
    assert found.json()["id"] == officer_id and found.json()["name"] == "李明"
    assert found.headers["cache-control"] == "no-store"
    body = {
        "badge_number": "T12345",
        "exam_date": "2026-04-01",
        "results": {"glu": 6.4, "sbp": 141},
    }
    first = client.post("/api/v1/checkups", json=body, headers=AUTH)
    again = client.post("/api/v1/checkups", json=body, headers=AUTH)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {"id": first.json()["id"], "duplicate": True}
    listed = client.get(f"/api/v1/officers/{officer_id}/checkups", headers=AUTH).json()
    assert [c["results"] for c in listed] == [{"glu": 6.4, "sbp": 141}]


def test_errors_are_problem_json_without_plaintext(client: TestClient) -> None:
    _officer(client)
    missing = client.post("/api/v1/officers/lookup", json={"badge_number": "NOPE77"}, headers=AUTH)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["code"] == "officer_not_found" and "NOPE77" not in missing.text
    invalid = client.post(
        "/api/v1/checkups", headers=AUTH, json={"exam_date": "2026-13-01", "results": {"glu": 5}}
    )
    assert invalid.status_code == 422 and "2026-13-01" not in invalid.text


def test_duplicate_badge_is_conflict(client: TestClient) -> None:
    _officer(client, "DUP1")
    units = client.get("/api/v1/units", headers=AUTH).json()
    again = client.post(
        "/api/v1/officers",
        headers=AUTH,
        json={
            "unit_id": units[0]["id"],
            "badge_number": "dup1",
            "name": "x",
            "birth_date": "1990-01-01",
            "sex": "F",
        },
    )
    assert again.status_code == 409


def test_audit_trail_lists_and_verifies(client: TestClient) -> None:
    officer_id = _officer(client)
    client.get(f"/api/v1/officers/{officer_id}", headers=AUTH)
    events = client.get("/api/v1/audit", params={"officer_id": officer_id}, headers=AUTH).json()
    assert [e["action"] for e in events] == ["officer.read", "officer.create"]
    assert client.get("/api/v1/audit/verify", headers=AUTH).json()["ok"] is True


def test_openapi_documents_every_route(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/officers", "/api/v1/checkups", "/api/v1/audit/verify"} <= set(paths)
    assert client.get("/docs").status_code == 200
