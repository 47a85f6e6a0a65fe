"""Drafts to a FHIR R4 ``collection`` Bundle that ``read_fhir_bundle`` reads back unchanged.

Values go out in the canonical UCUM unit with LOINC (where the analyte has one) and our
``ANALYTE_SYSTEM`` code side by side; systolic and diastolic pressure travel as one LOINC 85354-9
panel; coded examinations become DiagnosticReports with one conclusionCode per finding.
Full URLs are name-based UUIDs, so exporting the same drafts twice gives the same Bundle.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from health.catalog import Analyte, Catalog, ValueKind, load_catalog
from health.ingest.drafts import CheckupDraft, FindingsDraft, ResultDraft
from health.ingest.fhir_codes import (
    ANALYTE_SYSTEM,
    BADGE_SYSTEM,
    BP_PANEL,
    FINDING_SYSTEM_PREFIX,
    LOINC,
    OBSERVATION_CATEGORY,
    OFFICER_SYSTEM,
    ORDINAL_SYSTEM_PREFIX,
    UCUM,
)

_NAMESPACE = uuid.UUID("5f0c9a52-52a8-4a8e-9d55-3e0e7c0f6a11")
_BP_CODES = ("sbp", "dbp")


def to_fhir_bundle(
    drafts: Iterable[CheckupDraft], *, catalog: Catalog | None = None
) -> dict[str, Any]:
    """A Bundle (as a JSON-ready dict) carrying every draft's officer, results and findings."""
    catalog = catalog or load_catalog()
    entries: list[dict[str, Any]] = []
    patients: dict[str, str] = {}
    for draft in drafts:
        key = _officer_key(draft)
        patient_url = patients.get(key)
        if patient_url is None:
            patient_url = patients[key] = _url("patient", key)
            entries.append({"fullUrl": patient_url, "resource": _patient(draft)})
        base = (key, draft.exam_date.isoformat())
        context = {
            "subject": {"reference": patient_url},
            "effectiveDateTime": draft.exam_date.isoformat(),
        }
        pressure = {c: draft.results[c] for c in _BP_CODES if c in draft.results}
        as_panel = len(pressure) == len(_BP_CODES) and not any(r.remark for r in pressure.values())
        if as_panel:
            entries.append(_entry(base, "bp", _bp_panel(catalog, pressure, context)))
        for code, result in draft.results.items():
            if as_panel and code in pressure:
                continue
            analyte = catalog.get(code)
            entries.append(_entry(base, code, _observation(catalog, analyte, result, context)))
        for code, findings in draft.findings.items():
            entries.append(_entry(base, code, _report(catalog.get(code), findings, context)))
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def _officer_key(draft: CheckupDraft) -> str:
    return f"badge:{draft.badge_number}" if draft.badge_number else f"id:{draft.officer_id}"


def _url(*parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, '|'.join(parts))}"


def _entry(base: tuple[str, str], code: str, resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": _url(*base, code), "resource": resource}


def _patient(draft: CheckupDraft) -> dict[str, Any]:
    identifiers = []
    if draft.badge_number:
        identifiers.append({"system": BADGE_SYSTEM, "value": draft.badge_number})
    if draft.officer_id:
        identifiers.append({"system": OFFICER_SYSTEM, "value": draft.officer_id})
    patient: dict[str, Any] = {"resourceType": "Patient", "identifier": identifiers}
    if draft.name:
        patient["name"] = [{"text": draft.name}]
    if draft.sex:
        patient["gender"] = draft.sex
    if draft.birth_date:
        patient["birthDate"] = draft.birth_date.isoformat()
    return patient


def analyte_concept(analyte: Analyte) -> dict[str, Any]:
    """LOINC (where the analyte has one) and our own code, as the reader and read API use."""
    coding = [{"system": LOINC, "code": analyte.loinc, "display": analyte.name_en}]
    coding = coding if analyte.loinc else []
    coding.append({"system": ANALYTE_SYSTEM, "code": analyte.code, "display": analyte.name_en})
    return {"coding": coding, "text": analyte.name_zh}


def observation_category(analyte: Analyte) -> list[dict[str, Any]]:
    """The Observation category of an analyte's catalog group (vital signs, exam, laboratory)."""
    code = {"vitals": "vital-signs", "exam": "exam", "questionnaire": "social-history"}.get(
        analyte.group, "laboratory"
    )
    return [{"coding": [{"system": OBSERVATION_CATEGORY, "code": code}]}]


def _quantity(analyte: Analyte, result: ResultDraft) -> dict[str, Any]:
    return {"value": result.value, "unit": analyte.unit, "system": UCUM, "code": analyte.unit}


def _observation(
    catalog: Catalog, analyte: Analyte, result: ResultDraft, context: dict[str, Any]
) -> dict[str, Any]:
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": observation_category(analyte),
        "code": analyte_concept(analyte),
        **context,
    }
    if analyte.kind is ValueKind.QUANTITY:
        obs["valueQuantity"] = _quantity(analyte, result)
    elif analyte.kind is ValueKind.ORDINAL and analyte.scale is not None:
        label = catalog.ordinal_label(analyte.code, int(result.value))
        system = ORDINAL_SYSTEM_PREFIX + analyte.scale.name
        obs["valueCodeableConcept"] = {"coding": [{"system": system, "code": label}], "text": label}
    else:
        obs["valueString"] = str(result.value)
    if result.remark:
        obs["note"] = [{"text": result.remark}]
    return obs


def _bp_panel(
    catalog: Catalog, pressure: dict[str, ResultDraft], context: dict[str, Any]
) -> dict[str, Any]:
    components = []
    for code in _BP_CODES:
        analyte = catalog.get(code)
        components.append(
            {"code": analyte_concept(analyte), "valueQuantity": _quantity(analyte, pressure[code])}
        )
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "vital-signs"}]}],
        "code": {
            "coding": [{"system": LOINC, "code": BP_PANEL, "display": "Blood pressure panel"}]
        },
        **context,
        "component": components,
    }


def _report(analyte: Analyte, findings: FindingsDraft, context: dict[str, Any]) -> dict[str, Any]:
    names = {f.code: f for f in analyte.findings}
    system = FINDING_SYSTEM_PREFIX + analyte.code
    report: dict[str, Any] = {
        "resourceType": "DiagnosticReport",
        "status": "final",
        "code": analyte_concept(analyte),
        **context,
        "conclusionCode": [
            {
                "coding": [{"system": system, "code": c, "display": names[c].name_en}],
                "text": names[c].name_zh,
            }
            for c in findings.codes
        ],
    }
    if findings.remark:
        report["conclusion"] = findings.remark
    return report
