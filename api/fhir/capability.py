"""What the FHIR facade serves, declared once: the router mounts these searches and the
CapabilityStatement lists them, and a test compares both with the mounted routes."""

from __future__ import annotations

from typing import Any, Final

from health.services.fhir_resources import FHIR_VERSION, validated

# type: {search parameter: (FHIR type, what it matches)}; every type is readable by id.
SEARCH: Final[dict[str, dict[str, tuple[str, str]]]] = {
    "Patient": {
        "identifier": (
            "token",
            "urn:oh:badge|{badge} (through the blind index), urn:oh:officer|{id}, or a bare badge",
        ),
    },
    "Organization": {"identifier": ("token", "urn:oh:unit|{unit code}")},
    "Observation": {
        "patient": ("reference", "Patient/{id} or {id}; required except for an officer"),
        "code": ("token", "http://loinc.org|{code}, urn:oh:analyte|{code} or a bare code"),
        "date": ("date", "effectiveDateTime, with eq/ne/gt/ge/lt/le/sa/eb prefixes"),
        "_lastUpdated": ("date", "meta.lastUpdated (when the checkup was stored)"),
    },
    "DiagnosticReport": {
        "patient": ("reference", "Patient/{id} or {id}; required except for an officer"),
        "code": ("token", "the examination's LOINC or urn:oh:analyte code"),
        "date": ("date", "effectiveDateTime"),
        "_lastUpdated": ("date", "meta.lastUpdated"),
    },
    "Flag": {
        "patient": ("reference", "Patient/{id} or {id}; required except for an officer"),
        "date": ("date", "period.start (the exam that raised the finding)"),
        "_lastUpdated": ("date", "meta.lastUpdated"),
    },
    "RiskAssessment": {
        "patient": ("reference", "Patient/{id} or {id}; required except for an officer"),
        "date": ("date", "occurrenceDateTime (the exam scored)"),
        "_lastUpdated": ("date", "meta.lastUpdated (when it was scored)"),
    },
    "Task": {
        "patient": ("reference", "Task.for: Patient/{id} or {id}"),
        "owner": ("reference", "the assignee's account id (Task.owner.identifier urn:oh:user)"),
        "status": ("token", "requested, accepted, in-progress, on-hold, completed, ..."),
        "period": ("date", "executionPeriod.start (when the task was created)"),
    },
    "AuditEvent": {
        "patient": ("reference", "the officer the event is about"),
        "date": ("date", "recorded; ge/gt prefixes only"),
    },
}
COMMON: Final[dict[str, tuple[str, str]]] = {
    "_count": ("number", "page size, 1 to 500 (default 50)"),
    "_offset": ("number", "where the page starts; the Bundle's next link carries it"),
}
INCLUDES: Final[dict[str, tuple[str, ...]]] = {
    t: (f"{t}:patient",)
    for t in ("Observation", "DiagnosticReport", "Flag", "RiskAssessment", "Task")
}
EXPORT_PATH: Final = "/fhir/$export"
BULK_EXPORT: Final = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export"
GROUP_EXPORT: Final = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export"


def capability_statement(base: str, *, export: bool, software_version: str) -> dict[str, Any]:
    """The CapabilityStatement of this server: exactly the interactions mounted."""
    resources = []
    for resource_type, params in SEARCH.items():
        entry: dict[str, Any] = {
            "type": resource_type,
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": [
                {"name": name, "type": kind, "documentation": doc}
                for name, (kind, doc) in {**params, **COMMON}.items()
            ],
        }
        if resource_type in INCLUDES:
            entry["searchInclude"] = list(INCLUDES[resource_type])
        resources.append(entry)
    rest: dict[str, Any] = {
        "mode": "server",
        "security": {
            "service": [
                {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                            "code": "OAuth",
                        }
                    ]
                }
            ],
            "description": (
                "Bearer tokens: staff and officers from /api/v1/auth/token (password grant); "
                "integrators from /api/v1/auth/client-token (client_credentials, scope "
                "system/*.read)."
            ),
        },
        "resource": resources,
    }
    if export:
        rest["operation"] = [
            {"name": "export", "definition": BULK_EXPORT},
        ]
        # Group (a unit's officers) is only the export's target, not a readable resource.
        rest["resource"].append(
            {"type": "Group", "operation": [{"name": "export", "definition": GROUP_EXPORT}]}
        )
    return validated(
        {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": "2026-11-30",
            "kind": "instance",
            "software": {"name": "officer-health", "version": software_version},
            "implementation": {"description": "Officer Health FHIR facade", "url": base},
            "fhirVersion": FHIR_VERSION,
            "format": ["application/fhir+json", "json"],
            "rest": [rest],
        }
    )
