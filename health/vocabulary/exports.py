"""FHIR Bulk Data export states (the asynchronous request pattern of FHIR R4 Bulk Data Access:
hl7.org/fhir/uv/bulkdata). They share some words with task statuses, not their meaning."""

from __future__ import annotations

from enum import StrEnum


class ExportStatus(StrEnum):
    ACCEPTED = "accepted"
    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
