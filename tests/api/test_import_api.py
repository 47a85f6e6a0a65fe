"""Checkup imports over HTTP: the dry-run preview, storing the valid rows with a downloadable
list of the refused ones, the blank template filled in, and FHIR Bundles (our own export, and
the official HL7 examples) through the same endpoint."""

from __future__ import annotations

import copy
import csv
import io
import json
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from world import PASSWORD, World

from health.catalog import load_catalog
from health.ingest import (
    BADGE_SYSTEM,
    CheckupDraft,
    FindingsDraft,
    ResultDraft,
    read_spreadsheet,
    to_fhir_bundle,
)
from health.services.intake import NO_SUCH_OFFICER
from models.tables import Upload

DATA = Path(__file__).resolve().parents[1] / "data"
IMPORT = "/api/v1/checkups/import"
GLU_MG_DL = 18.016  # mg/dL per mmol/L: molar mass of glucose 180.16 g/mol / 10
SESSION_ERRORS = [
    {
        "row": 3,
        "field": "收缩压(mmHg)",
        "value": "400",
        "reason": "outside the physically plausible range 40-300 mm[Hg] of sbp",
        "code": "implausible_value",
    },
    {
        "row": 4,
        "field": "警号",
        "value": "OUT0003",
        "reason": NO_SUCH_OFFICER,
        "code": "missing_officer",
    },
    {
        "row": 5,
        "field": "警号",
        "value": "NOPE0009",
        "reason": NO_SUCH_OFFICER,
        "code": "missing_officer",
    },
    {
        "row": 6,
        "field": "体检日期",
        "value": "2026-04-31",
        "reason": "exam date is not a date (use YYYY-MM-DD)",
        "code": "malformed_date",
    },
]


def _post(
    world: World, name: str, data: bytes, role: str = "medic", **params: Any
) -> dict[str, Any]:
    response = world.client.post(
        IMPORT,
        headers=world.headers(role),
        params={k: str(v).lower() for k, v in params.items()},
        files={"file": (name, data, "application/octet-stream")},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _checkups(world: World, officer_id: uuid.UUID) -> dict[str, dict[str, Any]]:
    """The officer's current checkups as the medic reads them, by exam date."""
    response = world.client.get(
        f"/api/v1/officers/{officer_id}/checkups", headers=world.headers("medic")
    )
    assert response.status_code == 200, response.text
    return {c["exam_date"]: c for c in response.json()}


def _uploads(world: World) -> int:
    with world.runtime.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Upload)) or 0)


def test_dry_run_returns_every_problem_and_stores_nothing(world: World) -> None:
    data = (DATA / "import" / "api_session.csv").read_bytes()
    before = {o: _checkups(world, o) for o in (world.own, world.in_scope)}

    preview = _post(world, "api_session.csv", data, dry_run=True, mode="valid")
    assert preview["errors"] == SESSION_ERRORS
    assert (preview["status"], preview["upload_id"], preview["dry_run"]) == ("preview", None, True)
    assert (preview["rows_read"], preview["checkups"], preview["valid"]) == (6, 5, 2)
    # refused: three checkups, and the row whose date is no date (it never became one)
    assert (preview["stored"], preview["rejected"]) == (0, 4)

    # mode=all previews the same counts (was: 0 valid and every checkup rejected)
    all_or_nothing = _post(world, "api_session.csv", data, dry_run=True)
    assert all_or_nothing["errors"] == SESSION_ERRORS
    assert (all_or_nothing["valid"], all_or_nothing["rejected"]) == (2, 4)

    assert {o: _checkups(world, o) for o in (world.own, world.in_scope)} == before
    assert _uploads(world) == 0


def test_mode_valid_stores_the_valid_rows_and_offers_the_refused_ones_as_csv(
    world: World,
) -> None:
    data = (DATA / "import" / "api_session.csv").read_bytes()
    report = _post(world, "api_session.csv", data, mode="valid")
    assert report["errors"] == SESSION_ERRORS
    assert (report["status"], report["stored"], report["rejected"]) == ("partial", 2, 4)

    own = _checkups(world, world.own)["2026-04-01"]
    assert own["results"] == pytest.approx(
        {"glu": 99 / GLU_MG_DL, "sbp": 128.0, "dbp": 82.0, "u_pro": 0}
    )
    in_scope = _checkups(world, world.in_scope)
    assert set(in_scope) == {"2026-03-03", "2026-04-02"}  # the refused 2026-04-01 row is absent
    assert in_scope["2026-04-02"]["results"] == pytest.approx(
        {"glu": 104 / GLU_MG_DL, "sbp": 124.0, "dbp": 79.0, "u_pro": 2}
    )

    url = f"/api/v1/uploads/{report['upload_id']}/rejected"
    response = world.client.get(url, headers=world.headers("medic"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert (
        f'filename="rejected-{report["upload_id"]}.csv"' in response.headers["content-disposition"]
    )
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM, for Excel
    # The refused rows as uploaded plus their reasons, to fix and upload again (was: a list of
    # errors that could not be re-uploaded).
    lines = data.decode("utf-8").splitlines()
    header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == [*lines[0].split(","), "错误原因 Errors"]
    assert [r[:-1] for r in rows] == [lines[i].split(",") for i in (2, 3, 4, 5)]
    assert [r[-1] for r in rows] == [f"{e['field']}: {e['reason']}" for e in SESSION_ERRORS]
    fixed = "\n".join([lines[0], *(",".join(r[:-1]) for r in rows)]).encode()
    again = _post(world, "fixed.csv", fixed, mode="valid", dry_run=True)
    # the same rows read back through the importer: the same problems, rows renumbered 2..5
    assert [{**e, "row": e["row"] + 1} for e in again["errors"]] == SESSION_ERRORS

    # Another medic's upload reads exactly like one that does not exist.
    token = world.client.post(
        "/api/v1/auth/token", data={"username": "spare-medic", "password": PASSWORD}
    ).json()["access_token"]
    other = world.client.get(url, headers={"Authorization": f"Bearer {token}"})
    missing = world.client.get(
        f"/api/v1/uploads/{uuid.uuid4()}/rejected", headers={"Authorization": f"Bearer {token}"}
    )
    assert other.status_code == missing.status_code == 404
    assert other.json()["detail"] == missing.json()["detail"]


def test_template_downloads_and_imports_once_filled_in(world: World) -> None:
    response = world.client.get(f"{IMPORT}/template", headers=world.headers("medic"))
    assert response.status_code == 200, response.text
    catalog = load_catalog()
    filename = f"officer-health-checkup-template-{catalog.version}.csv"
    assert f'filename="{filename}"' in response.headers["content-disposition"]
    (header,) = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    measured = [a for a in catalog if not a.derived]
    assert len(header) == 6 + len(measured)

    wanted = {
        "警号": world.badges[world.in_scope],
        "体检日期": "2026-06-01",
        "收缩压": "122",
        "舒张压": "78",
        "空腹血糖": "5.2",
        "血红蛋白": "142",
        "尿蛋白": "-",
        "心电图": "窦性心律",
    }
    row = [next((v for k, v in wanted.items() if h.startswith(k + " ")), "") for h in header]
    assert sum(bool(cell) for cell in row) == len(wanted)
    out = io.StringIO()
    csv.writer(out).writerows([header, row])
    filled = ("\ufeff" + out.getvalue()).encode("utf-8")

    report = _post(world, filename, filled)
    assert (report["errors"], report["stored"], report["status"]) == ([], 1, "stored")
    stored = _checkups(world, world.in_scope)["2026-06-01"]
    assert stored["results"] == pytest.approx(
        {"sbp": 122.0, "dbp": 78.0, "glu": 5.2, "hb": 142.0, "u_pro": 0}
    )
    assert stored["findings"]["ecg"]["codes"] == ["normal"]


def _drafts_of(world: World, officer_id: uuid.UUID, exam_date: str) -> CheckupDraft:
    """A checkup as stored, read back over the API, as a draft to export again."""
    view = _checkups(world, officer_id)[exam_date]
    remarks = view["remarks"]
    return CheckupDraft(
        date.fromisoformat(exam_date),
        badge_number=world.badges[officer_id],
        results={c: ResultDraft(v, remark=remarks.get(c)) for c, v in view["results"].items()},
        findings={
            m: FindingsDraft(tuple(f["codes"]), f["remark"]) for m, f in view["findings"].items()
        },
    )


def test_fhir_bundle_exported_from_our_data_imports_and_round_trips(world: World) -> None:
    source = read_spreadsheet(DATA / "import" / "api_fhir_source.csv")
    assert source.errors == ()
    bundle = json.dumps(to_fhir_bundle(source.drafts), ensure_ascii=False).encode()

    report = _post(world, "session.json", bundle)
    assert (report["layout"], report["errors"], report["stored"]) == ("fhir", [], 2)
    officer_of = {world.badges[o]: o for o in (world.own, world.in_scope)}
    for draft in source.drafts:
        stored = _checkups(world, officer_of[str(draft.badge_number)])["2026-05-06"]
        assert stored["results"] == pytest.approx({c: r.value for c, r in draft.results.items()})
        assert {m: f["codes"] for m, f in stored["findings"].items()} == {
            m: list(f.codes) for m, f in draft.findings.items()
        }
    assert _checkups(world, world.own)["2026-05-06"]["findings"]["ecg"]["remark"] == "心率52次/分"

    again = _post(world, "session.json", bundle)
    assert (again["stored"], again["duplicates"], again["repeated_file"]) == (0, 2, True)

    # Exported once more from what the API returns, the values come back bit for bit: the
    # service finds nothing changed (a duplicate, not a new version).
    exported = [_drafts_of(world, o, "2026-05-06") for o in (world.own, world.in_scope)]
    round_trip = json.dumps(to_fhir_bundle(exported), ensure_ascii=False).encode()
    assert round_trip != bundle
    report = _post(world, "round-trip.json", round_trip)
    assert (report["errors"], report["stored"], report["corrected"]) == ([], 0, 0)
    assert (report["duplicates"], report["repeated_file"]) == (2, False)


def _official(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / "fhir" / name).read_text("utf-8"))
    return data


def test_official_hl7_observations_in_the_catalog_import(world: World) -> None:
    pieter = copy.deepcopy(_official("patient-example-f001-pieter.json"))
    pieter["identifier"].append({"system": BADGE_SYSTEM, "value": world.badges[world.own]})
    for element in ("name", "gender", "birthDate"):  # Pieter is not our officer Alpha
        pieter.pop(element, None)
    example = {
        "resourceType": "Patient",
        "id": "example",
        "identifier": [{"system": BADGE_SYSTEM, "value": world.badges[world.in_scope]}],
    }
    observations = [
        "observation-example-f001-glucose.json",  # 2: whole-blood glucose, not in the catalog
        "observation-example-f003-co2.json",  # 3: pCO2, not a checkup item
        "observation-example-f005-hemoglobin.json",  # 4: Hb 7.2 g/dL, Patient/f001
        "observation-example-f204-creatinine.json",  # 5: a local lab code only
        "observation-example-bloodpressure.json",  # 6: 85354-9 panel, Patient/example
        "observation-example-body-height.json",  # 7: 66.9 [in_i], Patient/example
    ]
    entries = [pieter, example, *map(_official, observations)]
    entry = [{"resource": r} for r in entries]
    bundle = json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entry}).encode()
    refused = [
        (2, "Observation.code", "http://loinc.org|15074-8", "unknown_analyte"),
        (3, "Observation.code", "http://loinc.org|11557-6", "unknown_analyte"),
        (5, "Observation.code", "https://intranet.aumc.nl/labtestcodes|20005", "unknown_analyte"),
        # measured in 1999, when officer Bravo (born 1984) was 15
        (7, "Observation.effective[x]", "1999-07-02", "exam_date_before_age_16"),
    ]

    preview = _post(world, "hl7-examples.json", bundle, dry_run=True, mode="valid")
    assert [(e["row"], e["field"], e["value"], e["code"]) for e in preview["errors"]] == refused
    assert (preview["checkups"], preview["valid"]) == (3, 2)

    report = _post(world, "hl7-examples.json", bundle, mode="valid")
    assert (report["stored"], report["layout"]) == (2, "fhir")
    assert _checkups(world, world.own)["2013-04-05"]["results"] == pytest.approx({"hb": 72.0})
    in_scope = _checkups(world, world.in_scope)
    assert in_scope["2012-09-17"]["results"] == pytest.approx({"sbp": 107.0, "dbp": 60.0})
    assert "1999-07-02" not in in_scope
