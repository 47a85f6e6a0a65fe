"""The CapabilityStatement tells the truth: every interaction and search parameter it lists is
a mounted route with that parameter, and every /fhir route is listed (issue 18, acc. 1)."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from world import World

COMMON = {"_count", "_offset"}


def _mounted(world: World) -> dict[str, dict[str, Any]]:
    paths: dict[str, dict[str, Any]] = world.client.get("/openapi.json").json()["paths"]
    return {p: item for p, item in paths.items() if p.startswith("/fhir/")}


def test_metadata_is_public_fhir_json_and_a_valid_r4_capability_statement(world: World) -> None:
    response = world.client.get("/fhir/metadata")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/fhir+json")
    statement = CapabilityStatement.model_validate(response.json())
    assert statement.fhirVersion == "4.0.1"
    assert statement.kind == "instance"


def test_capability_statement_lists_exactly_the_mounted_interactions(world: World) -> None:
    statement = world.client.get("/fhir/metadata").json()
    mounted = _mounted(world)
    listed_paths = {"/fhir/metadata"}
    for resource in statement["rest"][0]["resource"]:
        kind = resource["type"]
        interactions = {i["code"] for i in resource.get("interaction", [])}
        if "search-type" in interactions:
            search = mounted[f"/fhir/{kind}"]["get"]
            declared = {p["name"] for p in search.get("parameters", []) if p["in"] == "query"}
            listed = {p["name"] for p in resource["searchParam"]}
            includes = set(resource.get("searchInclude", []))
            assert listed == declared - {"_include"}, kind
            assert ("_include" in declared) == bool(includes), kind
            listed_paths.add(f"/fhir/{kind}")
        if "read" in interactions:
            reads = [p for p in mounted if p.startswith(f"/fhir/{kind}/{{")]
            assert len(reads) == 1, kind
            listed_paths.update(reads)
        for operation in resource.get("operation", []):
            name = "$" + operation["name"]
            exports = [p for p in mounted if p.startswith(f"/fhir/{kind}/") and name in p]
            assert exports, (kind, name)
            listed_paths.update(exports)
    for operation in statement["rest"][0].get("operation", []):
        assert f"/fhir/${operation['name']}" in mounted
        listed_paths.add(f"/fhir/${operation['name']}")
    unlisted = {p for p in mounted if p not in listed_paths and not _export_follow_up(p)}
    assert unlisted == set()


def _export_follow_up(path: str) -> bool:
    """Status polling and file downloads of an export are URLs the kick-off hands out."""
    return path.startswith("/fhir/export-status/") or path.startswith("/fhir/export-files/")


def test_an_undeclared_search_parameter_is_refused_not_ignored(world: World) -> None:
    medic = world.headers("medic")
    response = world.client.get("/fhir/Patient?name=Alpha", headers=medic)
    assert response.status_code == 400
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["details"]["coding"][0]["code"] == "fhir_bad_search"
    assert "Alpha" not in response.text
