"""Upload readers: spreadsheets (CSV/XLSX, wide or long) and FHIR R4 Bundles to checkup drafts.

Nothing here stores anything: readers return ``CheckupDraft``s and ``RowError``s for the
service to resolve, screen and seal (or to show as a dry-run preview).
"""

from health.ingest.drafts import (
    CheckupDraft,
    FindingsDraft,
    IngestResult,
    ReasonCode,
    ResultDraft,
    RowError,
)
from health.ingest.fhir_bundle import read_fhir_bundle, to_fhir_bundle
from health.ingest.fhir_codes import BADGE_SYSTEM, OFFICER_SYSTEM
from health.ingest.spreadsheet import (
    read_long,
    read_spreadsheet,
    read_wide,
    template,
    template_filename,
)

__all__ = [
    "BADGE_SYSTEM",
    "OFFICER_SYSTEM",
    "CheckupDraft",
    "FindingsDraft",
    "IngestResult",
    "ReasonCode",
    "ResultDraft",
    "RowError",
    "read_fhir_bundle",
    "read_long",
    "read_spreadsheet",
    "read_wide",
    "template",
    "template_filename",
    "to_fhir_bundle",
]
