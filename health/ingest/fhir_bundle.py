"""FHIR R4 Bundle uploads: Patient + Observation (+ DiagnosticReport, Specimen) to drafts.

Resources are validated with the ``fhir.resources.R4B`` models. fhir.resources 8 ships R5 as its
default package; R4B (4.3) is wire-compatible with R4 (4.0.1) for every element read here
(Patient identifier/gender/birthDate/name, Observation code/subject/effective[x]/value[x]/
component/note/specimen, DiagnosticReport code/conclusion/conclusionCode, Specimen
collection.fastingStatus[x]), so R4 Bundles validate unchanged.

Mapping rules:
- the officer is the subject Patient's identifier with system ``BADGE_SYSTEM`` (badge number)
  or ``OFFICER_SYSTEM`` (our id); a subject ``Patient/{id}`` not in the Bundle, or a subject
  identifier, names an officer already registered with us;
- an Observation maps through any LOINC coding (``Catalog.by_loinc``) or our ``ANALYTE_SYSTEM``;
  glucose in serum/plasma (2345-7) counts as fasting glucose only when its Specimen says
  fasting (v2-0916 ``F``); whole-blood glucose (15074-8) never maps (see analytes.toml);
- a Blood pressure panel (85354-9) is read through its 8480-6/8462-4 components;
- ``exam_date`` is the date of effective[x] as written (local date of the examination);
- a DiagnosticReport whose code is a coded examination (ECG, chest X-ray...) gives findings from
  conclusionCode and its remark from conclusion; other reports are containers and are skipped.

``row`` in errors is the 0-based index of the entry in ``Bundle.entry``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.diagnosticreport import DiagnosticReport
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.specimen import Specimen
from pydantic import ValidationError

from health.catalog import Analyte, Catalog, CatalogError, ValueKind, load_catalog
from health.ingest.drafts import (
    CheckupDraft,
    FindingsDraft,
    IngestResult,
    ReasonCode,
    ResultDraft,
    RowError,
)
from health.ingest.fhir_codes import (
    ANALYTE_SYSTEM,
    BADGE_SYSTEM,
    FASTING_CODE,
    FASTING_STATUS_SYSTEM,
    LOINC,
    OFFICER_SYSTEM,
    SKIPPED_STATUSES,
)
from health.ingest.fhir_export import to_fhir_bundle
from health.ingest.fhir_values import (
    Officer,
    codes_of,
    effective_date,
    error_location,
    findings_of,
    has_own_value,
    merge_officers,
    officer_of,
    ordinal_level,
)
from health.ingest.limits import LimitExceeded, check_json_depth

_MODELS: Mapping[str, Any] = {
    "Patient": Patient,
    "Observation": Observation,
    "DiagnosticReport": DiagnosticReport,
    "Specimen": Specimen,
}

__all__ = ["BADGE_SYSTEM", "OFFICER_SYSTEM", "read_fhir_bundle", "to_fhir_bundle"]

# Where each identity field lives in a Bundle, for errors that name it.
FHIR_FIELDS = {
    "badge_number": "Patient.identifier",
    "officer_id": "Patient.identifier",
    "name": "Patient.name",
    "sex": "Patient.gender",
    "birth_date": "Patient.birthDate",
    "exam_date": "Observation.effective[x]",
}


@dataclass(frozen=True, slots=True)
class _Item:
    entry: int
    officer: Officer
    exam_date: date
    code: str
    # None: the value was refused; the entry still belongs to its officer's checkup, so that
    # checkup is refused whole rather than stored without it.
    result: ResultDraft | FindingsDraft | None


def read_fhir_bundle(
    data: bytes | str | Mapping[str, Any], *, catalog: Catalog | None = None
) -> IngestResult:
    """Drafts and errors from a FHIR R4 Bundle (JSON text or an already parsed dict)."""
    return _Reader(catalog or load_catalog()).read(data)


@dataclass(slots=True)
class _Reader:
    catalog: Catalog
    errors: list[RowError] = field(default_factory=list)
    patients: dict[str, Officer] = field(default_factory=dict)
    specimens: dict[str, Specimen] = field(default_factory=dict)

    def error(self, row: int, where: str, value: str, code: ReasonCode, reason: str) -> None:
        self.errors.append(RowError(row, where, value, reason, code))

    def read(self, data: bytes | str | Mapping[str, Any]) -> IngestResult:
        raw = self._bundle(data)
        if raw is None:
            return self._result([], 0)
        entries = raw.get("entry") or []
        resources = self._validate(entries)
        for _, full_url, resource in resources:
            refs = [f"{resource.get_resource_type()}/{resource.id}"] if resource.id else []
            refs += [full_url] if full_url else []
            for ref in refs:
                if isinstance(resource, Patient):
                    self.patients[ref] = officer_of(resource)
                elif isinstance(resource, Specimen):
                    self.specimens[ref] = resource
        items: list[_Item] = []
        for index, _, resource in resources:
            if isinstance(resource, Observation):
                items += self._observation(index, resource)
            elif isinstance(resource, DiagnosticReport):
                items += self._report(index, resource)
        return self._result(items, len(entries))

    def _bundle(self, data: bytes | str | Mapping[str, Any]) -> Mapping[str, Any] | None:
        try:
            if isinstance(data, bytes | str):
                check_json_depth(data.encode() if isinstance(data, str) else data)
            raw = json.loads(data) if isinstance(data, bytes | str) else data
        except LimitExceeded as exc:
            self.error(0, "Bundle", "", ReasonCode.MALFORMED_FILE, str(exc))
            return None
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            self.error(0, "Bundle", "", ReasonCode.MALFORMED_FILE, "file is not JSON")
            return None
        if not isinstance(raw, Mapping) or raw.get("resourceType") != "Bundle":
            self.error(0, "Bundle", "", ReasonCode.MALFORMED_FILE, "JSON is not a FHIR Bundle")
            return None
        try:
            Bundle.model_validate({k: v for k, v in raw.items() if k != "entry"})
        except ValidationError as exc:
            self.error(
                0,
                error_location("Bundle", exc),
                "",
                ReasonCode.MALFORMED_FILE,
                "Bundle is not valid FHIR R4",
            )
            return None
        return raw

    def _validate(self, entries: list[Any]) -> list[tuple[int, str | None, Any]]:
        out: list[tuple[int, str | None, Any]] = []
        for index, entry in enumerate(entries):
            resource = entry.get("resource") if isinstance(entry, Mapping) else None
            kind = resource.get("resourceType") if isinstance(resource, Mapping) else None
            model = _MODELS.get(str(kind))
            if model is None:
                continue
            try:
                out.append((index, entry.get("fullUrl"), model.model_validate(resource)))
            except ValidationError as exc:
                self.error(
                    index,
                    error_location(str(kind), exc),
                    "",
                    ReasonCode.INVALID_RESOURCE,
                    f"{kind} is not valid FHIR R4",
                )
        return out

    # ---------------------------------------------------------------- context of one resource

    def _context(
        self, index: int, kind: str, resource: Observation | DiagnosticReport
    ) -> tuple[Officer, date] | None:
        officer = self._subject(resource)
        if officer is None or officer.key is None:
            self.error(
                index,
                f"{kind}.subject",
                "",
                ReasonCode.MISSING_OFFICER,
                "subject names no officer (badge number or officer id)",
            )
            return None
        when = effective_date(resource)
        if when is None:
            self.error(
                index,
                f"{kind}.effective[x]",
                "",
                ReasonCode.MALFORMED_DATE,
                "no effective date (YYYY-MM-DD at least)",
            )
            return None
        return officer, when

    def _subject(self, resource: Observation | DiagnosticReport) -> Officer | None:
        subject = resource.subject
        if subject is None:
            return None
        if subject.reference:
            found = self.patients.get(subject.reference)
            if found is not None:
                return found
            kind, _, ident = subject.reference.rpartition("/")
            return Officer(officer_id=ident) if kind.endswith("Patient") and ident else None
        if subject.identifier is not None and subject.identifier.value:
            if subject.identifier.system == BADGE_SYSTEM:
                return Officer(badge=subject.identifier.value)
            if subject.identifier.system == OFFICER_SYSTEM:
                return Officer(officer_id=subject.identifier.value)
        return None

    # ---------------------------------------------------------------- Observation

    def _observation(self, index: int, obs: Observation) -> list[_Item]:
        """Map the code first (an unknown code makes officer and date moot), then read values;
        a panel without a value of its own (blood pressure) is read through its components."""
        if obs.status in SKIPPED_STATUSES:
            return []
        parts: list[tuple[str, Any]] = [("Observation", obs)]
        if obs.component and not has_own_value(obs):
            parts = [(f"Observation.component[{n}]", c) for n, c in enumerate(obs.component)]
        fasting = self._fasting(obs)
        mapped = []
        for where, holder in parts:
            analyte = self._analyte(index, f"{where}.code", holder.code, fasting=fasting)
            if analyte is not None:
                mapped.append((where, analyte, holder))
        context = self._context(index, "Observation", obs) if mapped else None
        if context is None:
            return []
        officer, when = context
        remark = "；".join(n.text for n in obs.note or [] if n.text) or None
        items = []
        for where, analyte, holder in mapped:
            result = self._value(index, where, analyte, holder, remark)
            items.append(_Item(index, officer, when, analyte.code, result))
        return items

    def _fasting(self, obs: Observation) -> bool:
        reference = obs.specimen.reference if obs.specimen else None
        specimen = self.specimens.get(reference) if reference else None
        status = (
            specimen.collection.fastingStatusCodeableConcept
            if specimen and specimen.collection
            else None
        )
        return FASTING_CODE in codes_of(status, FASTING_STATUS_SYSTEM)

    def _analyte(self, index: int, where: str, concept: Any, *, fasting: bool) -> Analyte | None:
        for coding in (concept.coding if concept else None) or []:
            if coding.system == LOINC and coding.code:
                found = self.catalog.by_loinc(coding.code, fasting=fasting)
                if found is not None:
                    return found
            if coding.system == ANALYTE_SYSTEM and coding.code in self.catalog:
                return self.catalog.get(coding.code)
        first = (concept.coding or [None])[0] if concept else None
        shown = f"{first.system}|{first.code}" if first else (concept.text if concept else "")
        self.error(
            index,
            where,
            shown or "",
            ReasonCode.UNKNOWN_ANALYTE,
            "code maps to no analyte in the catalog",
        )
        return None

    def _value(
        self, index: int, where: str, analyte: Analyte, holder: Any, remark: str | None
    ) -> ResultDraft | FindingsDraft | None:
        quantity, concept = holder.valueQuantity, holder.valueCodeableConcept
        text = holder.valueString
        try:
            if analyte.kind is ValueKind.QUANTITY and quantity is not None:
                return self._quantity(index, f"{where}.valueQuantity", analyte, quantity, remark)
            if analyte.kind is ValueKind.CODED and (concept is not None or text):
                return findings_of(self.catalog, analyte, concept, text, remark)
            if analyte.kind is ValueKind.ORDINAL and (concept is not None or text):
                level = ordinal_level(self.catalog, analyte, concept, text)
                return ResultDraft(level.value, None, level.value_original, remark)
            if analyte.kind is ValueKind.TEXT and text:
                return ResultDraft(str(text), None, str(text), remark)
        except CatalogError:
            self.error(
                index,
                f"{where}.value[x]",
                "",
                ReasonCode.MALFORMED_VALUE,
                f"value is not in the vocabulary of {analyte.code}",
            )
            return None
        self.error(
            index,
            f"{where}.value[x]",
            "",
            ReasonCode.MALFORMED_VALUE,
            f"no value of the kind {analyte.code} takes ({analyte.kind})",
        )
        return None

    def _quantity(
        self, index: int, where: str, analyte: Analyte, quantity: Any, remark: str | None
    ) -> ResultDraft | None:
        if quantity.value is None:
            self.error(index, f"{where}.value", "", ReasonCode.MALFORMED_VALUE, "no number")
            return None
        unit = quantity.code or quantity.unit
        original = str(quantity.value)
        try:
            value = self.catalog.to_canonical(analyte.code, float(Decimal(quantity.value)), unit)
        except CatalogError:
            self.error(
                index,
                f"{where}.code",
                unit or "",
                ReasonCode.UNIT_NOT_CONVERTIBLE,
                f"unit cannot be converted to {analyte.unit} for {analyte.code}",
            )
            return None
        problem = self.catalog.plausibility_error(analyte.code, value)
        if problem is not None:
            self.error(index, f"{where}.value", original, ReasonCode.IMPLAUSIBLE_VALUE, problem)
            return None
        return ResultDraft(value, unit or analyte.unit, original, remark)

    # ---------------------------------------------------------------- DiagnosticReport

    def _report(self, index: int, report: DiagnosticReport) -> list[_Item]:
        if report.status in SKIPPED_STATUSES:
            return []
        analyte = next(
            (a for a in self._report_analytes(report) if a.kind is ValueKind.CODED), None
        )
        if analyte is None:
            return []
        context = self._context(index, "DiagnosticReport", report)
        if context is None:
            return []
        officer, when = context
        if report.conclusionCode:
            codes: list[str] = []
            for concept in report.conclusionCode:
                parsed = findings_of(self.catalog, analyte, concept, None, None)
                codes += [c for c in parsed.codes if c not in codes]
            if len(codes) > 1 and "normal" in codes:
                codes.remove("normal")
            original = report.conclusion or ",".join(codes)
            result = FindingsDraft(tuple(codes), report.conclusion or None, original)
        elif report.conclusion:
            result = findings_of(self.catalog, analyte, None, report.conclusion, None)
        else:
            self.error(
                index,
                "DiagnosticReport.conclusion",
                "",
                ReasonCode.MALFORMED_VALUE,
                "report has neither conclusionCode nor conclusion",
            )
            return []
        return [_Item(index, officer, when, analyte.code, result)]

    def _report_analytes(self, report: DiagnosticReport) -> list[Analyte]:
        found = []
        for coding in report.code.coding or []:
            if coding.system == LOINC and coding.code:
                analyte = self.catalog.by_loinc(coding.code)
                found += [analyte] if analyte else []
            if coding.system == ANALYTE_SYSTEM and coding.code and coding.code in self.catalog:
                found.append(self.catalog.get(coding.code))
        return found

    # ---------------------------------------------------------------- grouping

    def _result(self, items: list[_Item], n_entries: int) -> IngestResult:
        groups: dict[tuple[str, date], list[_Item]] = {}
        for item in items:
            assert item.officer.key is not None
            groups.setdefault((item.officer.key, item.exam_date), []).append(item)
        drafts = [d for d in (self._draft(g) for g in groups.values()) if d is not None]
        errors = sorted(self.errors, key=lambda e: e.row)
        return IngestResult(
            tuple(drafts), tuple(errors), "fhir", self.catalog.version, n_entries, FHIR_FIELDS
        )

    def _draft(self, items: list[_Item]) -> CheckupDraft | None:
        by_code: dict[str, list[_Item]] = {}
        for item in items:
            if item.result is not None:
                by_code.setdefault(item.code, []).append(item)
        results: dict[str, ResultDraft] = {}
        findings: dict[str, FindingsDraft] = {}
        for code, same in by_code.items():
            if len(same) > 1:
                for item in same:
                    other = next(i.entry for i in same if i is not item)
                    self.error(
                        item.entry,
                        "Observation.code",
                        code,
                        ReasonCode.DUPLICATE_IN_FILE,
                        f"{code} given twice for one officer and date (also entry {other})",
                    )
                continue
            result = same[0].result
            if isinstance(result, FindingsDraft):
                findings[code] = result
            elif result is not None:
                results[code] = result
        if not results and not findings:
            return None
        officer = merge_officers([i.officer for i in items])
        return CheckupDraft(
            items[0].exam_date,
            officer.badge,
            officer.officer_id,
            results,
            findings,
            officer.sex,
            officer.birth_date,
            officer.name,
            tuple(sorted({i.entry for i in items})),
        )
