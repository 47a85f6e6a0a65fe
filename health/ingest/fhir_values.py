"""Reading values out of validated FHIR resources: officers, dates, codes, levels, findings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from fhir.resources.R4B.diagnosticreport import DiagnosticReport
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from pydantic import ValidationError

from health.catalog import Analyte, Catalog, CatalogError
from health.ingest.drafts import FindingsDraft, ResultDraft, Sex
from health.ingest.fhir_codes import BADGE_SYSTEM, FINDING_SYSTEM_PREFIX, OFFICER_SYSTEM


@dataclass(frozen=True, slots=True)
class Officer:
    """Who a resource is about, as far as the Bundle says."""

    badge: str | None = None
    officer_id: str | None = None
    sex: Sex | None = None
    birth_date: date | None = None
    name: str | None = None

    @property
    def key(self) -> str | None:
        """Badge number, else ``#`` + officer id: what groups resources into one checkup."""
        return self.badge if self.badge else (f"#{self.officer_id}" if self.officer_id else None)


def merge_officers(officers: list[Officer]) -> Officer:
    """One officer from several references to them: the first value given for each field."""

    def first(attr: str) -> Any:
        return next((getattr(o, attr) for o in officers if getattr(o, attr)), None)

    return Officer(
        first("badge"), first("officer_id"), first("sex"), first("birth_date"), first("name")
    )


def officer_of(patient: Patient) -> Officer:
    """Badge number and officer id from the identifiers we issue; sex, birth date, name."""
    badge = officer_id = None
    for identifier in patient.identifier or []:
        if identifier.system == BADGE_SYSTEM and identifier.value:
            badge = identifier.value
        elif identifier.system == OFFICER_SYSTEM and identifier.value:
            officer_id = identifier.value
    sex: Sex | None = None
    if patient.gender == "male":
        sex = "male"
    elif patient.gender == "female":
        sex = "female"
    birth = patient.birthDate if isinstance(patient.birthDate, date) else None
    name = None
    for human in patient.name or []:
        parts = [str(g) for g in human.given or []] + [str(human.family or "")]
        name = human.text or " ".join(parts).strip() or None
        if name:
            break
    return Officer(badge, officer_id, sex, birth, name)


def effective_date(resource: Observation | DiagnosticReport) -> date | None:
    """The examination date as written (no time-zone shift); partial dates give ``None``."""
    value: Any = resource.effectiveDateTime
    if value is None and resource.effectivePeriod is not None:
        value = resource.effectivePeriod.start
    if value is None and isinstance(resource, Observation):
        value = resource.effectiveInstant
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def has_own_value(obs: Observation) -> bool:
    """Whether an Observation has a value itself (else a panel is read by its components)."""
    return any(
        getattr(obs, name, None) is not None
        for name in ("valueQuantity", "valueCodeableConcept", "valueString", "valueInteger")
    )


def codes_of(concept: Any, system: str) -> list[str]:
    """Codes of one system in a CodeableConcept, in order, without repeats."""
    if concept is None:
        return []
    found = [str(c.code) for c in concept.coding or [] if c.system == system and c.code]
    return list(dict.fromkeys(found))


def ordinal_level(
    catalog: Catalog, analyte: Analyte, concept: Any, text: str | None
) -> ResultDraft:
    """An ordinal level from a string or from any code, display or text of a concept."""
    candidates: list[str | None] = [text]
    if concept is not None:
        codings = concept.coding or []
        candidates += [c.code for c in codings] + [c.display for c in codings] + [concept.text]
    for candidate in candidates:
        if candidate:
            try:
                return ResultDraft(catalog.parse_ordinal(analyte.code, candidate), None, candidate)
            except CatalogError:
                continue
    raise CatalogError(f"analyte {analyte.code!r}: no level recognised")


def findings_of(
    catalog: Catalog, analyte: Analyte, concept: Any, text: str | None, remark: str | None
) -> FindingsDraft:
    """Findings from our finding codes if present, else from the words of the text/display."""
    system = FINDING_SYSTEM_PREFIX + analyte.code
    codes = [c for c in codes_of(concept, system) if c in catalog.finding_codes(analyte.code)]
    if codes:
        original = ",".join(codes)
        return FindingsDraft(tuple(codes), remark, original)
    words = text or (concept.text if concept is not None else None) or ""
    if not words and concept is not None:
        words = "；".join(c.display or c.code or "" for c in concept.coding or [])
    parsed = catalog.parse_findings(analyte.code, words)
    notes = "；".join(n for n in (parsed.remark, remark) if n) or None
    return FindingsDraft(parsed.codes, notes, words)


def error_location(kind: str, exc: ValidationError) -> str:
    """The element path of the first validation problem (never its input value)."""
    errors = exc.errors()
    if not errors:
        return kind
    path = ".".join(str(p) for p in errors[0]["loc"])
    return f"{kind}.{path}" if path else kind
