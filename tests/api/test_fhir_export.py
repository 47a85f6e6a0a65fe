"""FHIR Bulk Data $export end to end (issue 18, acceptance 2): kick-off 202 with
Content-Location, status polling, NDJSON files that validate line by line, ``_since``
honoured, cancel, the files gone after expiry, other accounts refused."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from world import World

from health.ingest.fhir_codes import LOINC, UCUM
from health.services import fhir_export, fhir_export_run
from health.services.context import SYSTEM, Actor, Ctx
from health.services.fhir_export_run import run_export
from models.repositories import users as users_repo
from models.tables_export import BulkExport, BulkExportFile

ASYNC = {"Prefer": "respond-async"}


def _kick_off(world: World, headers: dict[str, str], url: str = "/fhir/$export") -> str:
    response = world.client.get(url, headers={**headers, **ASYNC})
    assert response.status_code == 202, response.text
    location = response.headers["content-location"]
    assert location.startswith("http://testserver/fhir/export-status/")
    return location.removeprefix("http://testserver")


def _lines(world: World, headers: dict[str, str], manifest: dict[str, Any]) -> dict[str, list]:
    """Every file of the manifest, each line validated by fhir.resources, by resource type."""
    found: dict[str, list[dict[str, Any]]] = {}
    for output in manifest["output"]:
        response = world.client.get(
            output["url"].removeprefix("http://testserver"), headers=headers
        )
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/fhir+ndjson")
        lines = response.text.splitlines()
        assert len(lines) == output["count"]
        for line in lines:
            resource = json.loads(line)
            assert resource["resourceType"] == output["type"]
            get_fhir_model_class(output["type"]).model_validate(resource)
            found.setdefault(output["type"], []).append(resource)
    return found


def test_export_kick_off_poll_and_download_validating_every_line(world: World) -> None:
    medic = world.headers("medic")
    status_url = _kick_off(world, medic)
    status = world.client.get(status_url, headers=medic)
    assert status.status_code == 200, status.text
    manifest = status.json()
    assert manifest["requiresAccessToken"] is True
    assert manifest["request"].endswith("/fhir/$export")
    found = _lines(world, medic, manifest)
    assert {p["id"] for p in found["Patient"]} == {str(world.own), str(world.in_scope)}
    assert {o["subject"]["reference"] for o in found["Observation"]} == {
        f"Patient/{world.own}",
        f"Patient/{world.in_scope}",
    }
    for obs in found["Observation"]:
        assert any(c["system"] == LOINC for c in obs["code"]["coding"])
        assert obs["valueQuantity"]["system"] == UCUM
    assert {"Organization", "Flag", "RiskAssessment", "Task"} <= set(found)
    everything = "".join(json.dumps(r, ensure_ascii=False) for rs in found.values() for r in rs)
    for hidden in (world.out_of_scope, world.emergency_target):
        assert world.names[hidden] not in everything
        assert str(hidden) not in everything


def test_export_honours_type_and_since(world: World) -> None:
    medic = world.headers("medic")
    later = (datetime.now(UTC) + timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
    typed = _kick_off(world, medic, "/fhir/$export?_type=Observation")
    found = _lines(world, medic, world.client.get(typed, headers=medic).json())
    assert set(found) == {"Observation"}
    since = world.client.get("/fhir/$export", params={"_since": later}, headers={**medic, **ASYNC})
    manifest = world.client.get(
        since.headers["content-location"].removeprefix("http://testserver"), headers=medic
    ).json()
    assert manifest["output"] == []  # nothing changed after that instant


def test_group_export_is_the_units_subtree_and_out_of_scope_groups_do_not_exist(
    world: World,
) -> None:
    medic = world.headers("medic")
    url = _kick_off(world, medic, f"/fhir/Group/{world.units[world.own]}/$export?_type=Patient")
    found = _lines(world, medic, world.client.get(url, headers=medic).json())
    assert [p["id"] for p in found["Patient"]] == [str(world.own)]
    outside = world.client.get(f"/fhir/Group/{world.unit_out}/$export", headers={**medic, **ASYNC})
    absent = world.client.get(f"/fhir/Group/{uuid.uuid4()}/$export", headers={**medic, **ASYNC})
    assert (
        (outside.status_code, outside.json())
        == (absent.status_code, absent.json())
        == (
            404,
            absent.json(),
        )
    )


def test_kick_off_needs_prefer_respond_async_and_known_types(world: World) -> None:
    medic = world.headers("medic")
    plain = world.client.get("/fhir/$export", headers=medic)
    assert plain.status_code == 400
    assert plain.json()["issue"][0]["details"]["coding"][0]["code"] == "fhir_prefer_async"
    audit = world.client.get("/fhir/$export?_type=AuditEvent", headers={**medic, **ASYNC})
    assert audit.status_code == 400


def test_status_is_202_with_progress_until_the_export_has_run(world: World) -> None:
    rt = world.runtime
    medic_id = _user_id(world, "medic")
    with rt.sessions.begin() as session:
        ctx = Ctx(session, rt.vault, _actor(world, session, medic_id))
        export_id = fhir_export.kick_off(
            ctx, types=None, since=None, group_unit_id=None, request_url="http://x/fhir/$export"
        )
    medic = world.headers("medic")
    waiting = world.client.get(f"/fhir/export-status/{export_id}", headers=medic)
    assert waiting.status_code == 202
    assert waiting.headers["retry-after"] == "2"
    assert waiting.headers["x-progress"] == "accepted"
    assert run_export(rt.sessions, rt.vault, export_id) == "exported 2 officers"
    assert run_export(rt.sessions, rt.vault, export_id).startswith("not claimable")
    done = world.client.get(f"/fhir/export-status/{export_id}", headers=medic)
    assert done.status_code == 200
    assert _files(world, export_id) == len(done.json()["output"]) > 0


def test_only_the_requester_polls_downloads_or_cancels(world: World) -> None:
    medic = world.headers("medic")
    status_url = _kick_off(world, medic)
    manifest = world.client.get(status_url, headers=medic).json()
    other = {"Authorization": f"Bearer {_spare_token(world)}"}
    assert world.client.get(status_url, headers=other).status_code == 404
    first = manifest["output"][0]["url"].removeprefix("http://testserver")
    assert world.client.get(first, headers=other).status_code == 404
    assert world.client.delete(status_url, headers=other).status_code == 404
    assert world.client.get(first, headers=medic).status_code == 200


def test_cancel_deletes_the_export_and_its_files(world: World) -> None:
    medic = world.headers("medic")
    status_url = _kick_off(world, medic)
    export_id = uuid.UUID(status_url.rsplit("/", 1)[1])
    assert _files(world, export_id) > 0
    assert world.client.delete(status_url, headers=medic).status_code == 202
    assert world.client.get(status_url, headers=medic).status_code == 404
    assert _files(world, export_id) == 0


def test_files_are_gone_after_expiry(world: World) -> None:
    medic = world.headers("medic")
    status_url = _kick_off(world, medic)
    export_id = uuid.UUID(status_url.rsplit("/", 1)[1])
    rt = world.runtime
    with rt.sessions() as session:
        expires = session.get(BulkExport, export_id).expires_at  # type: ignore[union-attr]
    assert expires is not None
    with rt.sessions.begin() as session:
        before = Ctx(session, rt.vault, SYSTEM, clock=lambda: expires - timedelta(seconds=1))
        assert fhir_export.purge_expired(before) == 0
    assert _files(world, export_id) > 0
    with rt.sessions.begin() as session:
        after = Ctx(session, rt.vault, SYSTEM, clock=lambda: expires)
        assert fhir_export.purge_expired(after) == 1
    assert _files(world, export_id) == 0
    assert world.client.get(status_url, headers=medic).status_code == 404


def _files(world: World, export_id: uuid.UUID) -> int:
    with world.runtime.sessions() as session:
        query = select(func.count()).where(BulkExportFile.export_id == export_id)
        return int(session.scalar(query) or 0)


def _user_id(world: World, role: str) -> uuid.UUID:
    with world.runtime.sessions() as session:
        user = users_repo.by_username(session, world.usernames[role])
        assert user is not None
        return user.id


def _actor(world: World, session: Session, user_id: uuid.UUID) -> Actor:
    paths = users_repo.unit_paths(session, user_id)
    return Actor(id=str(user_id), role="medic", user_id=user_id, unit_paths=paths)


def _spare_token(world: World) -> str:
    response = world.client.post(
        "/api/v1/auth/token",
        data={"username": "spare-medic", "password": "correct horse battery staple"},
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def test_an_interrupted_export_is_taken_over_once_its_heartbeat_is_stale(world: World) -> None:
    """A runner killed mid-export leaves it 'in-progress' with part of the files: the job
    runner leaves it while the heartbeat is fresh, then claims it, drops those files and
    generates the whole export once."""
    rt = world.runtime
    medic_id = _user_id(world, "medic")
    with rt.sessions.begin() as session:
        ctx = Ctx(session, rt.vault, _actor(world, session, medic_id))
        export_id = fhir_export.kick_off(
            ctx, types=["Patient"], since=None, group_unit_id=None, request_url="x"
        )
    killed_at = datetime.now(UTC)
    with rt.sessions.begin() as session:
        export = session.get(BulkExport, export_id)
        assert export is not None
        export.status, export.started_at = "in-progress", killed_at
        session.add(
            BulkExportFile(
                id=uuid.uuid4(),
                export_id=export_id,
                resource_type="Patient",
                part=1,
                count=1,
                created_at=killed_at,
                content=b"half a file",
            )
        )
    soon = killed_at + timedelta(minutes=1)
    assert fhir_export_run.run_pending(rt.sessions, rt.vault, clock=lambda: soon) == [
        "not claimable (done, cancelled, running elsewhere or unknown)"
    ]
    later = killed_at + fhir_export_run.STALE_AFTER + timedelta(seconds=1)
    assert fhir_export_run.run_pending(rt.sessions, rt.vault, clock=lambda: later) == [
        "exported 2 officers"
    ]
    manifest = world.client.get(f"/fhir/export-status/{export_id}", headers=world.headers("medic"))
    found = _lines(world, world.headers("medic"), manifest.json())
    assert sorted(p["id"] for p in found["Patient"]) == sorted(
        [str(world.own), str(world.in_scope)]
    )
    assert _files(world, export_id) == 1


def test_roles_that_may_not_read_the_records_are_refused_the_export(world: World) -> None:
    for role in ("officer", "unit_manager", "auditor", "admin"):
        response = world.client.get("/fhir/$export", headers={**world.headers(role), **ASYNC})
        assert response.status_code == 403, role
        assert response.json()["issue"][0]["code"] == "forbidden"
