"""Audit events in the shape of FHIR R4 AuditEvent, validated by fhir.resources (R4B models,
wire-compatible with R4 for AuditEvent)."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.auditevent import AuditEvent as FhirAuditEvent

from health.services.audit_trail import TrailEvent
from models.tables import AuditEvent

# HL7 v3 DataOperation / FHIR audit-event-action codes.
_ACTION_CODE = {
    "create": "C",
    "read": "R",
    "lookup": "R",
    "update": "U",
    "erase": "D",
    "search": "E",
    "verify": "E",
    "login": "E",
    "logout": "E",
    "grant": "E",
}
# FHIR audit-event-outcome: 0 success, 4 minor failure, 8 serious failure.
_OUTCOME = {
    "success": "0",
    "duplicate": "0",
    "denied": "4",
    "failure": "4",
    "locked": "8",
    "broken": "8",
}


def to_fhir_audit_event(event: AuditEvent | TrailEvent) -> dict[str, Any]:
    verb = event.action.rsplit(".", 1)[-1].split("_")[0]
    username = getattr(event, "actor_username", None)
    reason = getattr(event, "emergency_reason", None)
    entity: list[dict[str, Any]] = []
    if event.officer_id:
        entity.append(
            {
                "what": {"reference": f"Patient/{event.officer_id}"},
                "type": {
                    "system": "http://terminology.hl7.org/CodeSystem/audit-entity-type",
                    "code": "1",
                    "display": "Person",
                },
            }
        )
    if event.resource_id:
        entity.append(
            {
                "what": {
                    "identifier": {
                        "system": f"urn:oh:{event.resource_type}",
                        "value": event.resource_id,
                    }
                }
            }
        )
    resource: dict[str, Any] = {
        "resourceType": "AuditEvent",
        "id": str(event.id),
        "type": {"system": "urn:oh:audit-action", "code": event.action},
        "action": _ACTION_CODE.get(verb, "E"),
        "recorded": event.occurred_at.isoformat(),
        "outcome": _OUTCOME.get(event.outcome, "4"),
        "agent": [
            {
                "who": {
                    "identifier": {"system": "urn:oh:user", "value": event.actor_id},
                    **({"display": username} if username else {}),
                },
                **({"purposeOfUse": [{"text": reason}]} if reason else {}),
                "role": [{"text": event.actor_role}],
                "requestor": True,
                **({"network": {"address": event.source, "type": "2"}} if event.source else {}),
            }
        ],
        "source": {"observer": {"display": "officer-health"}},
        "entity": entity or None,
        "extension": [{"url": "urn:oh:audit-seq", "valueInteger": event.seq}],
    }
    if event.purpose:
        resource["purposeOfEvent"] = [{"text": event.purpose}]
    resource = {k: v for k, v in resource.items() if v is not None}
    return FhirAuditEvent.model_validate(resource).model_dump(mode="json", exclude_none=True)
