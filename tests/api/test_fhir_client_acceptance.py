"""A real FHIR R4 client library (smart-on-fhir ``fhirclient``) against the running server:
it reads and searches every resource type, and every body validates with fhir.resources
(issue 18, acceptance 1).

fhirclient parses with its own R4 (4.0.1) models, which refuse elements they do not know, so
a body that only R4B or R5 has would fail here even though fhir.resources accepts it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import httpx
import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhirclient import client as fhir_client
from fhirclient.models.auditevent import AuditEvent
from fhirclient.models.diagnosticreport import DiagnosticReport
from fhirclient.models.flag import Flag
from fhirclient.models.observation import Observation
from fhirclient.models.organization import Organization
from fhirclient.models.patient import Patient
from fhirclient.models.riskassessment import RiskAssessment
from fhirclient.models.task import Task
from served import Server, serve

from health.ingest.fhir_codes import LOINC, UCUM
from health.services import checkups
from health.services.context import SYSTEM, Ctx

from conftest import DatabaseFactory

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(
    backend: str, databases: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """One server per backend for the module: its tests only read (and sign in)."""
    url = databases.create(backend)
    with serve(url, tmp_path_factory.mktemp(f"fhirclient-{backend}")) as running:
        world = running.world
        with world.runtime.sessions.begin() as session:
            ctx = Ctx(session, world.runtime.vault, SYSTEM)
            checkups.submit(
                ctx,
                world.own,
                date(2026, 4, 7),
                {"glu": 6.1, "hb": 151, "ecg": ["sinus_bradycardia"], "u_pro": "1+"},
            )
        yield running
    databases.release(url)


def _client(server: Server, token: str) -> fhir_client.FHIRClient:
    smart = fhir_client.FHIRClient(
        settings={"app_id": "oh-test", "api_base": server.base + "/fhir"}
    )
    smart.server.session.headers["Authorization"] = f"Bearer {token}"
    return smart


def _validated(server: Server, token: str, path: str) -> dict[str, Any]:
    """The raw body of the same request, validated by fhir.resources."""
    response = httpx.get(
        f"{server.base}/fhir/{path}", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/fhir+json")
    body: dict[str, Any] = response.json()
    get_fhir_model_class(body["resourceType"]).model_validate(body)
    return body


def test_fhirclient_reads_and_searches_every_resource_type(server: Server) -> None:
    world = server.world
    medic = server.token("medic")
    smart = _client(server, medic)
    statement = smart.server.capabilityStatement
    assert statement.fhirVersion == "4.0.1"

    own = Patient.read(str(world.own), smart.server)
    assert own.name[0].text == world.names[world.own]
    by_badge = list(
        Patient.where(
            {"identifier": f"urn:oh:badge|{world.badges[world.own]}"}
        ).perform_resources_iter(smart.server)
    )
    assert [p.id for p in by_badge] == [str(world.own)]
    _validated(server, medic, f"Patient?identifier=urn:oh:badge|{world.badges[world.own]}")

    units = list(Organization.where({"_count": "2"}).perform_resources_iter(smart.server))
    assert len(units) == 6  # paging: three pages of two, followed through the next links
    station = Organization.read(str(world.units[world.own]), smart.server)
    assert station.partOf.reference.startswith("Organization/")

    observations = list(
        Observation.where({"patient": str(world.own)}).perform_resources_iter(smart.server)
    )
    assert observations
    for obs in observations:
        assert any(c.system == LOINC for c in obs.code.coding), obs.id
        if obs.valueQuantity is not None:
            assert obs.valueQuantity.system == UCUM, obs.id
    glucose = list(
        Observation.where(
            {"patient": str(world.own), "code": f"{LOINC}|1558-6", "date": "ge2026-04-01"}
        ).perform_resources_iter(smart.server)
    )
    assert [(g.valueQuantity.value, g.effectiveDateTime.isostring[:10]) for g in glucose] == [
        (6.1, "2026-04-07")
    ]
    high = next(o for o in observations if o.code.coding[0].code == "8480-6")  # sbp 151
    assert high.interpretation[0].coding[0].code == "H"
    ranged = [o for o in observations if o.referenceRange]
    assert ranged, "reference intervals travel with the values"
    assert all(
        (r.low or r.high).system == UCUM
        for o in ranged
        for r in o.referenceRange
        if o.valueQuantity
    )
    assert Observation.read(high.id, smart.server).id == high.id
    _validated(server, medic, f"Observation?patient={world.own}&_include=Observation:patient")

    reports = list(
        DiagnosticReport.where({"patient": str(world.own)}).perform_resources_iter(smart.server)
    )
    assert [c.coding[0].code for r in reports for c in r.conclusionCode] == ["sinus_bradycardia"]
    assert DiagnosticReport.read(reports[0].id, smart.server).id == reports[0].id

    flags = list(Flag.where({"patient": str(world.own)}).perform_resources_iter(smart.server))
    assert flags
    assert Flag.read(flags[0].id, smart.server).code.coding[0].system == "urn:oh:rule"

    risks = list(
        RiskAssessment.where({"patient": str(world.own)}).perform_resources_iter(smart.server)
    )
    assert risks
    assert RiskAssessment.read(risks[0].id, smart.server).prediction

    tasks = list(Task.where({"status": "requested"}).perform_resources_iter(smart.server))
    assert {t.for_fhir.reference for t in tasks} >= {f"Patient/{world.own}"}
    assert Task.read(tasks[0].id, smart.server).status == "requested"

    for path in (
        f"Flag?patient={world.own}",
        f"RiskAssessment?patient={world.own}",
        f"DiagnosticReport?patient={world.own}",
        "Task?_include=Task:patient",
        "Organization",
    ):
        _validated(server, medic, path)

    auditor = server.token("auditor")
    trail = _client(server, auditor)
    events = next(
        iter(
            AuditEvent.where({"patient": str(world.own), "_count": "20"}).perform_iter(trail.server)
        )
    ).entry
    assert events
    one = AuditEvent.read(events[0].resource.id, trail.server)
    assert one.entity[0].what.reference == f"Patient/{world.own}"
    _validated(server, auditor, f"AuditEvent?patient={world.own}")


def test_fhirclient_with_a_client_credential_sees_its_units_only(server: Server) -> None:
    world = server.world
    token = httpx.post(
        f"{server.base}/api/v1/auth/client-token",
        data={
            "grant_type": "client_credentials",
            "client_id": world.usernames["integrator"],
            "client_secret": "correct horse battery staple",
        },
        timeout=30,
    ).json()["access_token"]
    smart = _client(server, token)
    seen = {p.id for p in Patient.where({}).perform_resources_iter(smart.server)}
    assert seen == {str(world.own), str(world.in_scope)}
    hidden = httpx.get(
        f"{server.base}/fhir/Patient/{world.out_of_scope}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    absent = httpx.get(
        f"{server.base}/fhir/Patient/{uuid.uuid4()}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert (hidden.status_code, hidden.json()) == (absent.status_code, absent.json())
    assert hidden.json()["resourceType"] == "OperationOutcome"
