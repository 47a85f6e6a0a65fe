"""FHIR R4 resources built from opened rows: the one place the read API and the Bulk Data
export turn officers, units, checkups, findings, risk scores and tasks into FHIR.

Pure assembly (no database, no access checks, no audit): callers open what they may and audit.
Every resource is validated by ``fhir.resources`` before it leaves (``validated``). The models
are ``fhir.resources.R4B``: fhir.resources 8 (pydantic 2, as the rest of the service) ships R5
by default and R4 only as R4B (4.3); the 6.x line that defaults to R4 needs pydantic 1. Every
element written here exists unchanged in R4 (4.0.1), which the CapabilityStatement declares
and a real R4 client (``fhirclient``) parses in the acceptance test.

Ids: Patient = officer id, Organization = unit id, Task = task id; RiskAssessment = the
checkup id (its current score); Observation = ``{checkup id}.{analyte code}`` and
DiagnosticReport = ``{checkup id}.{modality}`` (codes with ``-`` for ``_``, as FHIR ids allow
no underscore); Flag = ``{checkup id}.{n}``, the n-th finding of the checkup's current
screening. Every clinical id starts with its checkup id, so a read finds the officer first.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from fhir.resources.R4B import get_fhir_model_class

from health.catalog import Catalog, ValueKind
from health.derived import DERIVED_INPUTS
from health.ingest.fhir_codes import (
    BADGE_SYSTEM,
    FINDING_CATEGORY_SYSTEM,
    FINDING_SYSTEM_PREFIX,
    FLAG_CATEGORY,
    INTERPRETATION,
    NATIONAL_ID_SYSTEM,
    OFFICER_SYSTEM,
    ORDINAL_SYSTEM_PREFIX,
    RISK_EQUATION_SYSTEM,
    RISK_PROBABILITY,
    RULE_SYSTEM,
    TASK_TYPE_SYSTEM,
    UCUM,
    UNIT_KIND_SYSTEM,
    UNIT_SYSTEM,
    USER_SYSTEM,
)
from health.ingest.fhir_export import analyte_concept, observation_category
from health.screening.finding import Finding
from health.screening.results import GradedCheckup
from health.screening.ruleset import Ruleset

FHIR_VERSION = "4.0.1"
# FHIR task priority (routine < urgent < asap < stat) for our 1 (most pressing) .. 5.
_TASK_PRIORITY = {1: "stat", 2: "asap", 3: "urgent"}
_GENDER = {"M": "male", "F": "female"}


@dataclass(frozen=True)
class Person:
    """An officer's opened personal details, as the directory holds them."""

    id: uuid.UUID
    unit_id: uuid.UUID
    badge_number: str
    name: str
    sex: str
    birth_date: date
    national_id: str | None
    created_at: datetime


@dataclass(frozen=True)
class CheckupFacts:
    """What a clinical resource says about the checkup it came from."""

    id: uuid.UUID
    officer_id: uuid.UUID
    exam_date: date
    created_at: datetime


def validated(resource: Mapping[str, Any]) -> dict[str, Any]:
    """The resource, once fhir.resources has validated it: anything not valid FHIR raises
    here. What goes out is the dict as built (already JSON values), not the model dumped back:
    the dump costs twice the validation and gives the same document."""
    get_fhir_model_class(str(resource["resourceType"])).model_validate(dict(resource))
    return dict(resource)


def fhir_id(code: str) -> str:
    return code.replace("_", "-")


def code_of(fhir_part: str) -> str:
    return fhir_part.replace("-", "_")


def patient_ref(officer_id: uuid.UUID) -> dict[str, str]:
    return {"reference": f"Patient/{officer_id}"}


def _meta(updated: datetime) -> dict[str, str]:
    return {"lastUpdated": updated.isoformat()}


def patient(person: Person) -> dict[str, Any]:
    identifiers = [
        {"system": OFFICER_SYSTEM, "value": str(person.id)},
        {"system": BADGE_SYSTEM, "value": person.badge_number},
    ]
    if person.national_id:
        identifiers.append({"system": NATIONAL_ID_SYSTEM, "value": person.national_id})
    return {
        "resourceType": "Patient",
        "id": str(person.id),
        "meta": _meta(person.created_at),
        "identifier": identifiers,
        "active": True,
        "name": [{"text": person.name}],
        "gender": _GENDER.get(person.sex, "unknown"),
        "birthDate": person.birth_date.isoformat(),
        "managingOrganization": {"reference": f"Organization/{person.unit_id}"},
    }


def organization(
    unit_id: uuid.UUID,
    code: str,
    name: str,
    kind: str,
    parent_id: uuid.UUID | None,
    created_at: datetime,
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Organization",
        "id": str(unit_id),
        "meta": _meta(created_at),
        "identifier": [{"system": UNIT_SYSTEM, "value": code}],
        "active": True,
        "type": [{"coding": [{"system": UNIT_KIND_SYSTEM, "code": kind}]}],
        "name": name,
    }
    if parent_id is not None:
        resource["partOf"] = {"reference": f"Organization/{parent_id}"}
    return resource


def _ucum(value: float, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": UCUM, "code": unit}


def _interpretation(grade: Finding) -> list[dict[str, Any]]:
    return [{"coding": [{"system": INTERPRETATION, "code": grade.interpretation}]}]


def observation(
    catalog: Catalog,
    ruleset: Ruleset,
    checkup: CheckupFacts,
    graded: GradedCheckup,
    code: str,
) -> dict[str, Any] | None:
    """One graded result as an Observation, or None for items with no LOINC code (the
    questionnaire answers) or no FHIR value type (coded findings go in DiagnosticReport)."""
    analyte = catalog.get(code)
    quantity = analyte.kind is ValueKind.QUANTITY and analyte.unit is not None
    ordinal = analyte.kind is ValueKind.ORDINAL and analyte.scale is not None
    if not analyte.loinc or not (quantity or ordinal):
        return None
    value = graded.values[code]
    grade = graded.grades.get(code)
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": f"{checkup.id}.{fhir_id(code)}",
        "meta": _meta(checkup.created_at),
        "status": "final",
        "category": observation_category(analyte),
        "code": analyte_concept(analyte),
        "subject": patient_ref(checkup.officer_id),
        "effectiveDateTime": checkup.exam_date.isoformat(),
        "issued": checkup.created_at.isoformat(),
    }
    if analyte.kind is ValueKind.QUANTITY and analyte.unit is not None:
        places = ruleset.decimals(code)
        shown = round(value, places) if code in DERIVED_INPUTS and places is not None else value
        resource["valueQuantity"] = _ucum(shown, analyte.unit)
        if grade is not None and (grade.reference_low, grade.reference_high) != (None, None):
            bounds: dict[str, Any] = {}
            if grade.reference_low is not None:
                bounds["low"] = _ucum(grade.reference_low, analyte.unit)
            if grade.reference_high is not None:
                bounds["high"] = _ucum(grade.reference_high, analyte.unit)
            resource["referenceRange"] = [bounds]
    elif analyte.scale is not None:
        label = catalog.ordinal_label(code, round(value))
        system = ORDINAL_SYSTEM_PREFIX + analyte.scale.name
        resource["valueCodeableConcept"] = {
            "coding": [{"system": system, "code": label}],
            "text": label,
        }
        if grade is not None:
            levels = [
                catalog.ordinal_label(code, int(v))
                for v in (grade.reference_low, grade.reference_high)
                if v is not None
            ]
            if levels:
                resource["referenceRange"] = [{"text": "–".join(dict.fromkeys(levels))}]
    if grade is not None:
        resource["interpretation"] = _interpretation(grade)
    return resource


def diagnostic_report(
    catalog: Catalog, checkup: CheckupFacts, modality: str, found: Mapping[str, Any]
) -> dict[str, Any]:
    """A coded examination (ECG, chest X-ray, ...) with one conclusionCode per finding, in the
    shape the Bundle import reads back."""
    analyte = catalog.get(modality)
    names = {f.code: f for f in analyte.findings}
    system = FINDING_SYSTEM_PREFIX + analyte.code
    conclusions = []
    for code in found.get("codes", []):
        coding: dict[str, Any] = {"system": system, "code": code}
        described = names.get(code)
        if described is not None:
            coding["display"] = described.name_en
        concept: dict[str, Any] = {"coding": [coding]}
        if described is not None:
            concept["text"] = described.name_zh
        conclusions.append(concept)
    report: dict[str, Any] = {
        "resourceType": "DiagnosticReport",
        "id": f"{checkup.id}.{fhir_id(modality)}",
        "meta": _meta(checkup.created_at),
        "status": "final",
        "code": analyte_concept(analyte),
        "subject": patient_ref(checkup.officer_id),
        "effectiveDateTime": checkup.exam_date.isoformat(),
        "issued": checkup.created_at.isoformat(),
    }
    if conclusions:
        report["conclusionCode"] = conclusions
    if found.get("remark"):
        report["conclusion"] = str(found["remark"])
    return report


def flag(
    checkup_id: uuid.UUID,
    index: int,
    checkup: CheckupFacts,
    finding: Mapping[str, Any],
    screened_at: datetime,
) -> dict[str, Any]:
    """A screening finding: which rule, what it concluded, from which exam on."""
    category = str(finding.get("category", ""))
    coding = [{"system": RULE_SYSTEM, "code": str(finding["rule_id"])}]
    if category:
        coding.append({"system": FINDING_CATEGORY_SYSTEM, "code": category})
    return {
        "resourceType": "Flag",
        "id": f"{checkup_id}.{index}",
        "meta": _meta(screened_at),
        "status": "active",
        "category": [{"coding": [{"system": FLAG_CATEGORY, "code": "clinical"}]}],
        "code": {"coding": coding, "text": category or str(finding["rule_id"])},
        "subject": patient_ref(checkup.officer_id),
        "period": {"start": checkup.exam_date.isoformat()},
    }


def risk_assessment(
    checkup_id: uuid.UUID,
    checkup: CheckupFacts,
    tier: str,
    equations_version: str,
    equations: Mapping[str, Sequence[Any]],
    outcomes: Mapping[str, tuple[str, str]],
    scored_at: datetime,
) -> dict[str, Any]:
    """The tier as the overall qualitative risk, then each equation's estimate: a probability
    where the equation gives one (result unit ``1``), else its score as the rationale.

    ``outcomes`` maps equation id to (outcome in words, result unit)."""
    predictions: list[dict[str, Any]] = [
        {
            "outcome": {"text": "follow-up need at the next checkup (overall tier)"},
            "qualitativeRisk": {"coding": [{"system": RISK_PROBABILITY, "code": tier}]},
        }
    ]
    for equation_id, (value, *_rest) in sorted(equations.items()):
        if value is None or equation_id not in outcomes:
            continue
        outcome, unit = outcomes[equation_id]
        prediction: dict[str, Any] = {
            "outcome": {
                "coding": [{"system": RISK_EQUATION_SYSTEM, "code": equation_id}],
                "text": outcome,
            }
        }
        if unit == "1" and 0 <= float(value) <= 1:
            prediction["probabilityDecimal"] = float(value)
        else:
            prediction["rationale"] = f"{equation_id} = {value:g} {unit}"
        predictions.append(prediction)
    return {
        "resourceType": "RiskAssessment",
        "id": str(checkup_id),
        "meta": _meta(scored_at),
        "status": "final",
        "method": {"text": equations_version},
        "subject": patient_ref(checkup.officer_id),
        "occurrenceDateTime": checkup.exam_date.isoformat(),
        "basis": [{"reference": f"Patient/{checkup.officer_id}"}],
        "prediction": predictions,
    }


def task(
    task_id: uuid.UUID,
    officer_id: uuid.UUID,
    task_type: str,
    status: str,
    priority: int,
    due: datetime,
    created_at: datetime,
    closed_at: datetime | None,
    assignee: uuid.UUID | None,
) -> dict[str, Any]:
    """A follow-up task: type, status, priority and due, as worklists show them; the sealed
    reason and family are not part of it. No ``meta.lastUpdated``: a status move is a task
    event, not a column of the task, and a guessed time would mislead ``_lastUpdated``."""
    period: dict[str, str] = {"start": created_at.isoformat()}
    if closed_at is not None:
        period["end"] = closed_at.isoformat()
    resource: dict[str, Any] = {
        "resourceType": "Task",
        "id": str(task_id),
        "status": status,
        "intent": "plan",
        "priority": _TASK_PRIORITY.get(priority, "routine"),
        "code": {"coding": [{"system": TASK_TYPE_SYSTEM, "code": task_type}]},
        "for": patient_ref(officer_id),
        "executionPeriod": period,
        "authoredOn": created_at.isoformat(),
        "restriction": {"period": {"end": due.isoformat()}},
    }
    if assignee is not None:
        resource["owner"] = {"identifier": {"system": USER_SYSTEM, "value": str(assignee)}}
    return resource


def bundle_page(
    base: str,
    entries: Sequence[tuple[dict[str, Any], str]],
    total: int | None,
    self_url: str,
    next_url: str | None,
) -> dict[str, Any]:
    """A searchset Bundle; each entry is (resource, ``match`` or ``include``)."""
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "link": [{"relation": "self", "url": self_url}],
        "entry": [
            {
                "fullUrl": f"{base}/{resource['resourceType']}/{resource['id']}",
                "resource": resource,
                "search": {"mode": mode},
            }
            for resource, mode in entries
        ],
    }
    if total is not None:
        bundle["total"] = total
    if next_url is not None:
        bundle["link"].append({"relation": "next", "url": next_url})
    if not bundle["entry"]:
        del bundle["entry"]
    return bundle
