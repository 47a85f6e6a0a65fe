"""FHIR R4 read and search routes: parse the FHIR parameters, call one service, wrap a Bundle.

Parameters are declared as plain strings and parsed in ``health.services.fhir_search``, so a
FHIR value (``date=ge2026-01-01``, ``code=http://loinc.org|2345-7``) is read as FHIR reads it;
a parameter the route does not declare is refused (400), never silently ignored.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date as day
from typing import Annotated, Any

from fastapi import Query, Request

from api.deps import CtxDep
from api.fhir.capability import EXPORT_PATH, INCLUDES, capability_statement
from api.fhir.params import fhir_router, path_id
from api.fhir_audit import to_fhir_audit_event
from health.errors import Invalid, NotFound
from health.services import audit_trail, fhir_read, fhir_tasks
from health.services import fhir_resources as build
from health.services.context import OFFICER, Ctx
from health.services.fhir_clinical import CLINICAL_TYPES
from health.services.fhir_read import Found
from health.services.fhir_search import (
    all_match,
    count_of,
    date_bounds,
    offset_of,
    tokens,
)
from health.services.fhir_search import last_updated as updated_instant

router = fhir_router()

Param = Annotated[str | None, Query()]
Dates = Annotated[list[str] | None, Query()]
Count = Annotated[str | None, Query(alias="_count", description="page size, 1 to 500")]
Offset = Annotated[str | None, Query(alias="_offset", description="where the page starts")]
Include = Annotated[str | None, Query(alias="_include", description="Type:patient")]
LastUpdated = Annotated[list[str] | None, Query(alias="_lastUpdated")]


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/fhir"


def _bundle(request: Request, found: Found, count: int, offset: int) -> dict[str, Any]:
    following = offset + len(found.resources)
    next_url = None
    if following < found.total:
        next_url = str(request.url.include_query_params(_offset=following, _count=count))
    entries = [(r, "match") for r in found.resources] + [(r, "include") for r in found.included]
    bundle = build.bundle_page(_base(request), entries, found.total, str(request.url), next_url)
    return build.validated(bundle)


def _officer_ref(value: str | None) -> uuid.UUID | None:
    if value is None:
        return None
    text = value.removeprefix("Patient/")
    try:
        return uuid.UUID(text)
    except ValueError as exc:
        raise Invalid("patient: a Patient id or Patient/{id}", code="fhir_bad_search") from exc


def _included(ctx: Ctx, include: str | None, resource_type: str, found: Found) -> Found:
    if include is None:
        return found
    if include not in INCLUDES.get(resource_type, ()):
        raise Invalid(f"_include: only {resource_type}:patient", code="fhir_bad_search")
    refs: dict[str, None] = {}
    for resource in found.resources:
        subject = resource.get("subject") or resource.get("for") or {}
        reference = str(subject.get("reference", ""))
        if reference.startswith("Patient/"):
            refs[reference.removeprefix("Patient/")] = None
    patients = [fhir_read.patient(ctx, uuid.UUID(ref)) for ref in refs]
    return Found(found.resources, found.total, patients)


@router.get("/metadata", summary="CapabilityStatement")
def metadata(request: Request) -> dict[str, Any]:
    """What this server does, and nothing it does not; readable without a token."""
    export = EXPORT_PATH in request.app.openapi()["paths"]  # mounted, as the router says
    return capability_statement(_base(request), export=export, software_version="0.1.0")


@router.get("/Patient")
def search_patient(
    request: Request,
    ctx: CtxDep,
    identifier: Param = None,
    count: Count = None,
    offset: Offset = None,
) -> dict[str, Any]:
    size, start = count_of(count), offset_of(offset)
    found = fhir_read.patients(ctx, tokens("identifier", identifier), size, start)
    return _bundle(request, found, size, start)


@router.get("/Patient/{officer_id}")
def read_patient(ctx: CtxDep, officer_id: str) -> dict[str, Any]:
    wanted = path_id("Patient", officer_id)
    return fhir_read.patient(ctx, wanted)


@router.get("/Organization")
def search_organization(
    request: Request,
    ctx: CtxDep,
    identifier: Param = None,
    count: Count = None,
    offset: Offset = None,
) -> dict[str, Any]:
    size, start = count_of(count), offset_of(offset)
    found = fhir_read.organizations(ctx, tokens("identifier", identifier), size, start)
    return _bundle(request, found, size, start)


@router.get("/Organization/{unit_id}")
def read_organization(ctx: CtxDep, unit_id: str) -> dict[str, Any]:
    wanted = path_id("Organization", unit_id)
    return fhir_read.organization(ctx, wanted)


def _clinical_search(
    request: Request,
    ctx: Ctx,
    resource_type: str,
    *,
    patient: str | None,
    code: str | None,
    date: list[str] | None,
    last_updated: list[str] | None,
    count: str | None,
    offset: str | None,
    include: str | None,
) -> dict[str, Any]:
    size, start = count_of(count), offset_of(offset)
    wanted_codes = tokens("code", code)
    when, updated = date_bounds("date", date or []), date_bounds("_lastUpdated", last_updated or [])
    officer_id = _officer_ref(patient)
    if officer_id is None:
        if ctx.actor.role != OFFICER or ctx.actor.officer_id is None:
            raise Invalid(
                f"{resource_type} search needs a patient parameter", code="fhir_patient_required"
            )
        officer_id = ctx.actor.officer_id
    try:
        everything = fhir_read.officer_clinical(ctx, officer_id, resource_type, "fhir.search")
    except NotFound:
        everything = []  # out of scope answers as a patient with nothing: an empty searchset
    matched = [
        r
        for r in everything
        if (not wanted_codes or any(t.matches(r["code"].get("coding", [])) for t in wanted_codes))
        and all_match(when, _clinical_date(r))
        and all_match(updated, updated_instant(r))
    ]
    page = Found(matched[start : start + size], len(matched))
    return _bundle(request, _included(ctx, include, resource_type, page), size, start)


def _clinical_date(resource: dict[str, Any]) -> day | None:
    text = (
        resource.get("effectiveDateTime")
        or resource.get("occurrenceDateTime")
        or resource.get("period", {}).get("start")
    )
    return day.fromisoformat(text[:10]) if text else None


def _clinical_routes(resource_type: str, with_code: bool) -> None:
    """Search and read for one clinical type (the same parameters, documented per type)."""

    def read(ctx: CtxDep, resource_id: str) -> dict[str, Any]:
        return fhir_read.clinical(ctx, resource_type, resource_id)

    read.__name__ = f"read_{resource_type.lower()}"
    router.get(f"/{resource_type}/{{resource_id}}", summary=f"Read {resource_type}")(read)

    if with_code:

        def search_coded(
            request: Request,
            ctx: CtxDep,
            patient: Param = None,
            code: Param = None,
            date: Dates = None,
            last_updated: LastUpdated = None,
            count: Count = None,
            offset: Offset = None,
            include: Include = None,
        ) -> dict[str, Any]:
            return _clinical_search(
                request,
                ctx,
                resource_type,
                patient=patient,
                code=code,
                date=date,
                last_updated=last_updated,
                count=count,
                offset=offset,
                include=include,
            )

        search: Callable[..., dict[str, Any]] = search_coded
    else:

        def search_uncoded(
            request: Request,
            ctx: CtxDep,
            patient: Param = None,
            date: Dates = None,
            last_updated: LastUpdated = None,
            count: Count = None,
            offset: Offset = None,
            include: Include = None,
        ) -> dict[str, Any]:
            return _clinical_search(
                request,
                ctx,
                resource_type,
                patient=patient,
                code=None,
                date=date,
                last_updated=last_updated,
                count=count,
                offset=offset,
                include=include,
            )

        search = search_uncoded
    search.__name__ = f"search_{resource_type.lower()}"
    router.get(f"/{resource_type}", summary=f"Search {resource_type}")(search)


for _type in CLINICAL_TYPES:
    _clinical_routes(_type, with_code=_type in ("Observation", "DiagnosticReport"))


@router.get("/Task")
def search_task(
    request: Request,
    ctx: CtxDep,
    patient: Param = None,
    owner: Param = None,
    status: Param = None,
    period: Dates = None,
    count: Count = None,
    offset: Offset = None,
    include: Include = None,
) -> dict[str, Any]:
    size, start = count_of(count), offset_of(offset)
    try:
        owner_id = uuid.UUID(owner.removeprefix("Practitioner/")) if owner else None
    except ValueError as exc:
        raise Invalid("owner: an account id", code="fhir_bad_search") from exc
    statuses = tuple(t.code for t in tokens("status", status) if t.code)
    found = fhir_tasks.search(
        ctx,
        owner=owner_id,
        statuses=statuses,
        period=date_bounds("period", period or []),
        patient=_officer_ref(patient),
        count=size,
        offset=start,
    )
    return _bundle(request, _included(ctx, include, "Task", found), size, start)


@router.get("/Task/{task_id}")
def read_task(ctx: CtxDep, task_id: str) -> dict[str, Any]:
    wanted = path_id("Task", task_id)
    return fhir_tasks.read(ctx, wanted)


@router.get("/AuditEvent")
def search_audit_event(
    request: Request,
    ctx: CtxDep,
    patient: Param = None,
    date: Dates = None,
    count: Count = None,
    offset: Offset = None,
) -> dict[str, Any]:
    size, start = count_of(count), offset_of(offset)
    since = None
    for bound in date_bounds("date", date or []):
        if bound.prefix not in ("ge", "gt"):
            raise Invalid("AuditEvent date: ge or gt only", code="fhir_bad_search")
        since = bound.start if bound.prefix == "ge" else bound.end
    page = audit_trail.search_page(
        ctx, officer_id=_officer_ref(patient), since=since, limit=size, offset=start
    )
    found = Found([to_fhir_audit_event(e) for e in page.events], page.total)
    return _bundle(request, found, size, start)


@router.get("/AuditEvent/{event_id}")
def read_audit_event(ctx: CtxDep, event_id: str) -> dict[str, Any]:
    wanted = path_id("AuditEvent", event_id)
    return to_fhir_audit_event(audit_trail.event(ctx, wanted))
