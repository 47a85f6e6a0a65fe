"""Our own Bundles: export and re-import round trip, and each rule of the Bundle reader."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from health.ingest import (
    BADGE_SYSTEM,
    CheckupDraft,
    FindingsDraft,
    ReasonCode,
    ResultDraft,
    read_fhir_bundle,
    read_spreadsheet,
    to_fhir_bundle,
)

DATA = Path(__file__).resolve().parents[2] / "data"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"


def _located(result: Any) -> list[tuple[int, str, ReasonCode]]:
    return [(e.row, e.field, e.reason_code) for e in result.errors]


def _bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    entries = [
        {"fullUrl": f"urn:uuid:00000000-0000-0000-0000-{i:012d}", "resource": r}
        for i, r in enumerate(resources)
    ]
    return {"resourceType": "Bundle", "type": "batch", "entry": entries}


PATIENT = {
    "resourceType": "Patient",
    "id": "p1",
    "identifier": [{"system": BADGE_SYSTEM, "value": "110101"}],
    "gender": "female",
}


def _obs(loinc: str, **value: Any) -> dict[str, Any]:
    obs = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": loinc}]},
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": "2026-03-01T08:30:00+08:00",
    }
    return obs | value


@pytest.mark.parametrize(
    "sample", ["checkups/wide_session_utf8.csv", "checkups/long_lab_export.csv"]
)
def test_drafts_survive_export_and_reimport(sample: str) -> None:
    drafts = read_spreadsheet(DATA / sample).drafts
    bundle = to_fhir_bundle(drafts)
    Bundle.model_validate(bundle)  # a valid R4 Bundle
    again = read_fhir_bundle(json.dumps(bundle, ensure_ascii=False).encode())
    assert again.errors == ()
    assert again.drafts == drafts
    assert again.layout == "fhir"


def test_export_is_deterministic_and_uses_a_bp_panel() -> None:
    drafts = read_spreadsheet(DATA / "checkups/wide_session_utf8.csv").drafts
    bundle = to_fhir_bundle(drafts)
    assert bundle == to_fhir_bundle(drafts)
    panels = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"].get("code", {}).get("coding", [{}])[0].get("code") == "85354-9"
    ]
    assert len(panels) == 3
    components = [c["code"]["coding"][0]["code"] for c in panels[0]["component"]]
    assert components == ["8480-6", "8462-4"]
    assert panels[0]["component"][0]["valueQuantity"] == {
        "value": 138.0,
        "unit": "mm[Hg]",
        "system": UCUM,
        "code": "mm[Hg]",
    }


def test_blood_pressure_with_a_remark_travels_as_two_observations() -> None:
    draft = CheckupDraft(
        date(2026, 3, 1),
        "A1",
        results={"sbp": ResultDraft(150.0, remark="白大衣"), "dbp": ResultDraft(95.0)},
    )
    bundle = to_fhir_bundle([draft])
    codes = [e["resource"]["code"]["coding"][0]["code"] for e in bundle["entry"][1:]]
    assert codes == ["8480-6", "8462-4"]
    assert read_fhir_bundle(bundle).drafts == (draft,)


def test_officer_id_and_findings_round_trip() -> None:
    draft = CheckupDraft(
        date(2026, 3, 1),
        officer_id="3f1e",
        results={"u_pro": ResultDraft(3), "conclusion": ResultDraft("建议复查血脂")},
        findings={
            "cxr": FindingsDraft(("other",), "右上肺结节影"),
            "eye": FindingsDraft(("cataract", "reduced_acuity")),
        },
    )
    assert read_fhir_bundle(to_fhir_bundle([draft])).drafts == (draft,)


def test_serum_glucose_maps_only_with_a_fasting_specimen() -> None:
    specimen = {
        "resourceType": "Specimen",
        "id": "s1",
        "collection": {
            "fastingStatusCodeableConcept": {
                "coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0916", "code": "F"}]
            }
        },
    }
    quantity = {"valueQuantity": {"value": 99, "system": UCUM, "code": "mg/dL"}}
    fasting = _obs("2345-7", specimen={"reference": "Specimen/s1"}, **quantity)
    result = read_fhir_bundle(_bundle(PATIENT, specimen, fasting))
    assert result.errors == ()
    assert result.drafts[0].results["glu"].value == pytest.approx(99 / 18.016)
    unknown = read_fhir_bundle(_bundle(PATIENT, _obs("2345-7", **quantity)))
    assert _located(unknown) == [(1, "Observation.code", ReasonCode.UNKNOWN_ANALYTE)]


def test_subject_identifier_names_the_officer_without_a_patient() -> None:
    obs = _obs("718-7", valueQuantity={"value": 141, "code": "g/L"})
    obs["subject"] = {"identifier": {"system": BADGE_SYSTEM, "value": "110777"}}
    (draft,) = read_fhir_bundle(_bundle(obs)).drafts
    assert (draft.badge_number, draft.exam_date) == ("110777", date(2026, 3, 1))


def test_diagnostic_report_conclusion_text_gives_findings() -> None:
    report = {
        "resourceType": "DiagnosticReport",
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": "11524-6"}]},
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": "2026-03-01",
        "conclusion": "窦性心动过缓，ST-T改变",
    }
    (draft,) = read_fhir_bundle(_bundle(PATIENT, report)).drafts
    assert draft.findings["ecg"].codes == ("sinus_bradycardia", "st_t_change")


def test_ordinal_from_value_string() -> None:
    result = read_fhir_bundle(_bundle(PATIENT, _obs("20454-5", valueString="++")))
    assert result.drafts[0].results["u_pro"].value == 3


@pytest.mark.parametrize(
    ("observation", "expected"),
    [
        (
            _obs("718-7", valueQuantity={"value": 14, "code": "mg/L"}),
            (1, "Observation.valueQuantity.code", ReasonCode.UNIT_NOT_CONVERTIBLE),
        ),
        (
            _obs("718-7", valueQuantity={"value": 1400, "code": "g/L"}),
            (1, "Observation.valueQuantity.value", ReasonCode.IMPLAUSIBLE_VALUE),
        ),
        (
            _obs("20454-5", valueString="positive"),
            (1, "Observation.value[x]", ReasonCode.MALFORMED_VALUE),
        ),
        (
            _obs("718-7", valueString="high"),
            (1, "Observation.value[x]", ReasonCode.MALFORMED_VALUE),
        ),
        (
            _obs("718-7", valueQuantity={"value": 141, "code": "g/L"}, effectiveDateTime="2026-03"),
            (1, "Observation.effective[x]", ReasonCode.MALFORMED_DATE),
        ),
        (
            _obs(
                "718-7",
                valueQuantity={"value": 141, "code": "g/L"},
                subject={"reference": "Group/g1"},
            ),
            (1, "Observation.subject", ReasonCode.MISSING_OFFICER),
        ),
        (
            {**_obs("718-7"), "status": None},
            (1, "Observation.status", ReasonCode.INVALID_RESOURCE),
        ),
    ],
)
def test_bad_observation_is_reported_at_its_entry(
    observation: dict[str, Any], expected: tuple[int, str, ReasonCode]
) -> None:
    observation = {k: v for k, v in observation.items() if v is not None}
    result = read_fhir_bundle(_bundle(PATIENT, observation))
    assert _located(result) == [expected]
    assert result.drafts == ()


def test_same_analyte_twice_for_one_officer_and_date_is_refused() -> None:
    first = _obs("718-7", valueQuantity={"value": 141, "code": "g/L"})
    second = _obs("718-7", valueQuantity={"value": 139, "code": "g/L"})
    result = read_fhir_bundle(_bundle(PATIENT, first, second))
    assert _located(result) == [
        (1, "Observation.code", ReasonCode.DUPLICATE_IN_FILE),
        (2, "Observation.code", ReasonCode.DUPLICATE_IN_FILE),
    ]


def test_entered_in_error_observation_is_skipped_silently() -> None:
    obs = _obs("718-7", status="entered-in-error", valueQuantity={"value": 141, "code": "g/L"})
    result = read_fhir_bundle(_bundle(PATIENT, obs))
    assert (result.errors, result.drafts) == ((), ())


@pytest.mark.parametrize(
    "data",
    [b"not json", b"[1, 2]", b'{"resourceType": "Patient"}', b'{"resourceType": "Bundle"}'],
)
def test_input_that_is_not_a_bundle_is_a_file_error(data: bytes) -> None:
    result = read_fhir_bundle(data)
    assert [e.reason_code for e in result.errors] == [ReasonCode.MALFORMED_FILE]
