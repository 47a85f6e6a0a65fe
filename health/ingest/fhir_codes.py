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

# --- used by the read API and Bulk Data export (``/fhir``) ------------------------------------
NATIONAL_ID_SYSTEM: Final = "urn:oh:national-id"
"""Patient.identifier system carrying the GB 11643 citizen ID number (when registered)."""

UNIT_SYSTEM: Final = "urn:oh:unit"
"""Organization.identifier system carrying the unit code (``A1``)."""

UNIT_KIND_SYSTEM: Final = "urn:oh:unit-kind"
"""Organization.type: force, bureau or station."""

USER_SYSTEM: Final = "urn:oh:user"
"""An account id (Task.owner, AuditEvent.agent.who)."""

RULE_SYSTEM: Final = "urn:oh:rule"
"""Flag.code: the screening rule id that raised the finding (``bp.grade2``)."""

FINDING_CATEGORY_SYSTEM: Final = "urn:oh:finding-category"
"""Flag.code: what the rule concluded (``hypertension_grade_2``)."""

TASK_TYPE_SYSTEM: Final = "urn:oh:task-type"
"""Task.code: urgent_contact, recheck, referral, lifestyle, home_visit."""

RISK_EQUATION_SYSTEM: Final = "urn:oh:risk-equation"
"""RiskAssessment.prediction.outcome: which equation (``pce_2013``) gave the estimate."""

INTERPRETATION: Final = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
FLAG_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/flag-category"
RISK_PROBABILITY: Final = "http://terminology.hl7.org/CodeSystem/risk-probability"
