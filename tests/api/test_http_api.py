"""The HTTP surface on a real database: problem+json errors, no-store, medic and officer flows."""

from __future__ import annotations

import json

from fhir.resources.R4B.auditevent import AuditEvent as FhirAuditEvent
from world import World


def test_probes_need_no_token(world: World) -> None:
    assert world.client.get("/healthz").status_code == 200
    assert world.client.get("/readyz").json()["status"] == "ready"


def test_medic_registers_looks_up_and_uploads(world: World) -> None:
    medic = world.headers("medic")
    created = world.client.post(
        "/api/v1/officers",
        headers=medic,
        json={
            "unit_id": str(world.unit_in),
            "badge_number": "T12345",
            "name": "李明",
            "birth_date": "1988-04-02",
            "sex": "M",
        },
    )
    assert created.status_code == 201, created.text
    found = world.client.post(
        "/api/v1/officers/lookup", json={"badge_number": "t 12345"}, headers=medic
    )
    assert found.json()["id"] == created.json()["id"]
    assert found.json()["name"] == "李明"
    assert found.headers["cache-control"] == "no-store"
    body = {
        "badge_number": "T12345",
        "exam_date": "2026-04-01",
        "results": {"glu": 6.4, "sbp": 141},
    }
    first = world.client.post("/api/v1/checkups", json=body, headers=medic)
    again = world.client.post("/api/v1/checkups", json=body, headers=medic)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {"id": first.json()["id"], "duplicate": True, "corrected": False}
    listed = world.client.get(
        f"/api/v1/officers/{created.json()['id']}/checkups", headers=medic
    ).json()
    assert [c["results"] for c in listed] == [{"glu": 6.4, "sbp": 141}]


def test_officer_sees_own_record_and_checkups(world: World) -> None:
    officer = world.headers("officer")
    mine = world.client.get("/api/v1/me", headers=officer)
    assert mine.json()["name"] == "Alpha Ownington"
    assert mine.headers["cache-control"] == "no-store"
    checkups = world.client.get("/api/v1/me/checkups", headers=officer).json()
    assert checkups[0]["results"] == {"glu": 7.31, "sbp": 151}


def test_errors_are_problem_json_without_plaintext(world: World) -> None:
    medic = world.headers("medic")
    missing = world.client.post(
        "/api/v1/officers/lookup", json={"badge_number": "NOPE77"}, headers=medic
    )
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["code"] == "officer_not_found"
    assert "NOPE77" not in missing.text
    invalid = world.client.post(
        "/api/v1/checkups", headers=medic, json={"exam_date": "2026-13-01", "results": {"glu": 5}}
    )
    assert invalid.status_code == 422
    assert "2026-13-01" not in invalid.text


def test_duplicate_badge_is_conflict(world: World) -> None:
    medic = world.headers("medic")
    again = world.client.post(
        "/api/v1/officers",
        headers=medic,
        json={
            "unit_id": str(world.unit_in),
            "badge_number": "ins0002",
            "name": "x",
            "birth_date": "1990-01-01",
            "sex": "F",
        },
    )
    assert again.status_code == 409


def test_auditor_searches_exports_and_verifies(world: World) -> None:
    world.client.get(f"/api/v1/officers/{world.in_scope}", headers=world.headers("medic"))
    auditor = world.headers("auditor")
    events = world.client.get(
        "/api/v1/audit", params={"officer_id": str(world.in_scope)}, headers=auditor
    ).json()
    assert events[0]["action"] == "officer.read"
    assert events[0]["actor_role"] == "medic"
    exported = world.client.get("/api/v1/audit/export", headers=auditor)
    assert exported.headers["content-type"].startswith("application/fhir+ndjson")
    resources = [json.loads(line) for line in exported.text.splitlines()]
    assert resources
    for resource in resources:
        FhirAuditEvent.model_validate(resource)
    assert world.client.get("/api/v1/audit/verify", headers=auditor).json()["ok"] is True


def test_openapi_and_docs_are_served(world: World) -> None:
    paths = world.client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/officers", "/api/v1/checkups", "/api/v1/audit/verify"} <= set(paths)
    assert world.client.get("/docs").status_code == 200
