"""Code systems and codes shared by the FHIR reader and writer."""

from __future__ import annotations

from typing import Final

BADGE_SYSTEM: Final = "urn:oh:badge"
"""Patient.identifier system carrying the police badge number."""

OFFICER_SYSTEM: Final = "urn:oh:officer"
"""Patient.identifier system carrying this service's officer id."""

ANALYTE_SYSTEM: Final = "urn:oh:analyte"
"""Our analyte codes as a code system, for items without a LOINC code and for round trips."""

FINDING_SYSTEM_PREFIX: Final = "urn:oh:finding:"
"""Finding codes of a coded analyte: ``urn:oh:finding:ecg`` + ``sinus_bradycardia``."""

ORDINAL_SYSTEM_PREFIX: Final = "urn:oh:ordinal:"
"""Levels of an ordinal scale: ``urn:oh:ordinal:dipstick`` + ``2+``."""

LOINC: Final = "http://loinc.org"
UCUM: Final = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/observation-category"

FASTING_STATUS_SYSTEM: Final = "http://terminology.hl7.org/CodeSystem/v2-0916"
"""HL7 v2 table 0916 (relevant clinical information): ``F`` = patient was fasting."""
FASTING_CODE: Final = "F"

BP_PANEL: Final = "85354-9"
"""LOINC blood pressure panel with all children optional; systolic/diastolic are components."""

SKIPPED_STATUSES: Final = frozenset({"entered-in-error", "cancelled"})
"""Observation/DiagnosticReport statuses that carry no result."""
