"""Every route × every role × every kind of target: expected status, and no data leaks.

A route missing from MATRIX fails the test, so new routes must state who may use them.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from routes import PUBLIC, api_routes, concrete
from world import INTEGRATOR, PASSWORD, ROLES, World

from health.permissions import roles_for
from health.reports.appraisal import default_scheme, scheme_body
from health.vocabulary import Action

A = Action

TARGETS = ("own", "in_scope", "out_of_scope", "other_unit")
_names = itertools.count()


@dataclass(frozen=True)
class Case:
    """How to call a route for a target, and the status each role gets."""

    expect: Callable[[str, str], int]
    body: Callable[[World, str], Any] = lambda world, target: None
    by_target: bool = False
    files: Callable[[World, str], Any] = lambda world, target: None
    query: Callable[[World, str], Any] = lambda world, target: None
    headers: dict[str, str] = field(default_factory=dict)


def only(*roles: str, ok: int = 200, other: int = 403) -> Callable[[str, str], int]:
    return lambda role, target: ok if role in roles else other


def allowed(action: Action, *, ok: int = 200, other: int = 403) -> Callable[[str, str], int]:
    """Routes whose role check is the permission table: the roles holding ``action`` get ``ok``."""
    return only(*roles_for(action), ok=ok, other=other)


def officer_read(role: str, target: str) -> int:
    """Reads of an officer's health data: the officer themself, or a medic serving the unit."""
    if role == "officer":
        return 200 if target == "own" else 404
    if role == "medic":
        return 200 if target in ("own", "in_scope") else 404
    return 404


def medic_in_unit(ok: int) -> Callable[[str, str], int]:
    def expect(role: str, target: str) -> int:
        if role != "medic":
            return 403
        return ok if target in ("own", "in_scope") else 404

    return expect


def unit_staff(*roles: str) -> Callable[[str, str], int]:
    """Staff serving Bureau A: their subtree answers, anything else is 404 like nonexistent."""

    def expect(role: str, target: str) -> int:
        if role not in roles:
            return 403
        return 200 if target in ("own", "in_scope") else 404

    return expect


def fhir_officer_read(role: str, target: str) -> int:
    """FHIR reads of an officer: as ``officer_read``, and 403 for roles that never may."""
    if role not in ("officer", "medic"):
        return 403
    return officer_read(role, target)


def _patient_query(world: World, target: str) -> dict[str, str]:
    """A FHIR search about the target officer, including the Patient (names would leak)."""
    return {"patient": str(_officer(world, target))}


def _officer_body(world: World, target: str) -> dict[str, Any]:
    unit = world.unit_out if target in ("out_of_scope", "other_unit") else world.unit_in
    return {
        "unit_id": str(unit),
        "badge_number": f"NEW{next(_names):05d}",
        "name": "New One",
        "birth_date": "1990-01-01",
        "sex": "F",
    }


def _badge_body(world: World, target: str) -> dict[str, Any]:
    return {"badge_number": world.badges[_officer(world, target)]}


def _checkup_body(world: World, target: str) -> dict[str, Any]:
    return {
        "officer_id": str(_officer(world, target)),
        "exam_date": "2026-05-05",
        "results": {"glu": 5.0 + next(_names) / 1000},
    }


def _import_file(world: World, target: str) -> dict[str, Any]:
    badge = world.badges[_officer(world, target)]
    csv = f"badge_number,exam_date,glu\n{badge},2026-06-0{1 + next(_names) % 9},5.5\n"
    return {"file": ("session.csv", csv.encode(), "text/csv")}


def _user_body(world: World, target: str) -> dict[str, Any]:
    return {
        "username": f"new-user-{next(_names)}",
        "role": "auditor",
        "password": "a long enough password",
    }


def own_or_medic(ok: int) -> Callable[[str, str], int]:
    """Self-care health data: the officer themself, or a medic serving the unit; else 403."""

    def expect(role: str, target: str) -> int:
        if role == "officer":
            return ok if target == "own" else 404
        if role == "medic":
            return ok if target in ("own", "in_scope") else 404
        return 403

    return expect


def _reading_body(world: World, target: str) -> dict[str, Any]:
    return {
        "kind": "home_bp",
        "taken_at": "2026-05-05T07:30:00+08:00",
        "values": {"sbp": 120 + next(_names) % 10, "dbp": 78},
    }


def _enrol_body(world: World, target: str) -> dict[str, Any]:
    return {
        "kind": "weight",
        "enrolled_on": "2026-03-10",
        "goals": [{"measure": "weight", "target": 80}],
    }


def unit_staff_status(ok: int, *roles: str) -> Callable[[str, str], int]:
    """Like unit_staff, for routes that answer ``ok`` (e.g. 201) inside the caller's units."""

    def expect(role: str, target: str) -> int:
        if role not in roles:
            return 403
        return ok if target in ("own", "in_scope") else 404

    return expect


def _training_file(world: World, target: str) -> dict[str, Any]:
    badge = world.badges[_officer(world, target)]
    csv = f"badge_number,course,attended_on\n{badge},cpr,2026-0{1 + next(_names) % 9}-01\n"
    return {"file": ("training.csv", csv.encode(), "text/csv")}


def _planned_task(world: World, target: str) -> dict[str, Any]:
    due = datetime.now(UTC) + timedelta(days=30)
    return {
        "officer_id": str(_officer(world, target)),
        "type": "home_visit",
        "due": due.isoformat(),
    }


def _roster_file(world: World, target: str) -> dict[str, Any]:
    n = next(_names)
    csv = f"badge_number,name,sex,birth_date,unit_code\nROS{n:05d},Roster One,F,1990-01-01,A2\n"
    return {"file": ("roster.csv", csv.encode(), "text/csv")}


def emergency_expect(role: str, target: str) -> int:
    """Granted only for the dedicated target, so later reads of out_of_scope stay hidden."""
    if role != "medic":
        return 403
    return 201 if target == "other_unit" else 400


def _scheme_body(world: World, target: str) -> dict[str, Any]:
    """A new appraisal scheme version each call (a version is published once)."""
    body = scheme_body(default_scheme())
    return {**body, "version": f"t{next(_names)}"}


MATRIX: dict[tuple[str, str], Case] = {
    ("POST", "/api/v1/auth/logout"): Case(only(*ROLES, ok=204)),
    ("POST", "/api/v1/auth/totp/enrol"): Case(
        allowed(A.AUTH_TOTP_ENROL), body=lambda w, t: {"password": PASSWORD}
    ),
    ("POST", "/api/v1/auth/totp/confirm"): Case(
        allowed(A.AUTH_TOTP_CONFIRM, ok=400), body=lambda w, t: {"code": "000000"}
    ),
    ("GET", "/api/v1/me"): Case(allowed(A.ME_READ)),
    ("GET", "/api/v1/me/account"): Case(only(*ROLES)),
    ("GET", "/api/v1/me/checkups"): Case(only("officer")),
    ("GET", "/api/v1/me/access-log"): Case(only("officer")),
    ("GET", "/api/v1/users"): Case(allowed(A.USER_LIST)),
    ("POST", "/api/v1/users"): Case(allowed(A.USER_CREATE, ok=201), body=_user_body),
    ("POST", "/api/v1/users/{user_id}/disable"): Case(allowed(A.USER_DISABLE, ok=204)),
    ("POST", "/api/v1/users/{user_id}/enable"): Case(allowed(A.USER_DISABLE, ok=204)),
    ("POST", "/api/v1/users/{user_id}/password"): Case(
        allowed(A.USER_RESET_PASSWORD, ok=202),
        body=lambda w, t: {"password": "another long password"},
    ),
    ("GET", "/api/v1/approvals"): Case(allowed(A.APPROVAL_LIST)),
    ("POST", "/api/v1/approvals/{approval_id}/approve"): Case(allowed(A.APPROVAL_APPROVE, ok=404)),
    ("POST", "/api/v1/approvals/{approval_id}/reject"): Case(allowed(A.APPROVAL_REJECT, ok=404)),
    ("PUT", "/api/v1/users/{user_id}/units"): Case(
        allowed(A.USER_SET_UNITS, ok=204), body=lambda w, t: {"unit_ids": [str(w.unit_in)]}
    ),
    ("GET", "/api/v1/units"): Case(allowed(A.UNIT_LIST)),
    ("POST", "/api/v1/units"): Case(
        allowed(A.UNIT_CREATE, ok=201),
        body=lambda w, t: {
            "code": f"N{next(_names)}",
            "name": "New unit",
            "kind": "station",
            "parent_id": str(w.unit_in),
        },
    ),
    ("POST", "/api/v1/officers"): Case(medic_in_unit(201), body=_officer_body, by_target=True),
    ("POST", "/api/v1/officers/lookup"): Case(medic_in_unit(200), body=_badge_body, by_target=True),
    ("GET", "/api/v1/officers/{officer_id}"): Case(officer_read, by_target=True),
    ("GET", "/api/v1/officers"): Case(allowed(A.OFFICER_SEARCH)),
    ("POST", "/api/v1/officers/search"): Case(
        allowed(A.OFFICER_SEARCH), body=lambda w, t: {"name": "o"}
    ),
    ("POST", "/api/v1/officers/locate"): Case(
        allowed(A.OFFICER_LOCATE), body=_badge_body, by_target=True
    ),
    ("POST", "/api/v1/officers/roster"): Case(allowed(A.OFFICER_ROSTER), files=_roster_file),
    ("POST", "/api/v1/units/{unit_id}/portal-accounts"): Case(medic_in_unit(201), by_target=True),
    ("POST", "/api/v1/tasks"): Case(medic_in_unit(201), body=_planned_task, by_target=True),
    ("PUT", "/api/v1/units/{unit_id}/round-plan"): Case(
        medic_in_unit(200), by_target=True, body=lambda w, t: {"cadence_days": 30, "visits": 2}
    ),
    ("POST", "/api/v1/units/{unit_id}/round-plan/run"): Case(medic_in_unit(200), by_target=True),
    ("POST", "/api/v1/units/{unit_id}/sessions"): Case(
        medic_in_unit(201),
        by_target=True,
        body=lambda w, t: {
            "day": (datetime.now(UTC) + timedelta(days=20)).date().isoformat(),
            "capacity": 10,
            "place": "Station clinic",
        },
    ),
    ("GET", "/api/v1/units/{unit_id}/season"): Case(medic_in_unit(200), by_target=True),
    ("POST", "/api/v1/sessions/{session_id}/bookings"): Case(
        only("medic", ok=404), body=lambda w, t: {"officer_ids": [str(w.own)]}
    ),
    ("GET", "/api/v1/sessions/{session_id}/bookings"): Case(only("medic", ok=404)),
    ("GET", "/api/v1/tasks/{task_id}/history"): Case(
        unit_staff(*roles_for(A.TASK_HISTORY)), by_target=True
    ),
    ("GET", "/api/v1/officers/{officer_id}/checkups"): Case(officer_read, by_target=True),
    ("POST", "/api/v1/checkups"): Case(medic_in_unit(201), body=_checkup_body, by_target=True),
    ("POST", "/api/v1/checkups/import"): Case(only("medic"), files=_import_file, by_target=True),
    ("GET", "/api/v1/checkups/import/template"): Case(allowed(A.CHECKUP_TEMPLATE)),
    ("GET", "/api/v1/uploads/{upload_id}/rejected"): Case(allowed(A.UPLOAD_READ, ok=404)),
    ("GET", "/api/v1/me/findings"): Case(only("officer")),
    ("GET", "/api/v1/officers/{officer_id}/findings"): Case(officer_read, by_target=True),
    # The record in plain language (issue 12): officer own only, medic in scope, others never.
    ("GET", "/api/v1/me/record"): Case(only("officer")),
    ("GET", "/api/v1/me/trends"): Case(only("officer")),
    ("GET", "/api/v1/me/findings/grouped"): Case(only("officer")),
    ("GET", "/api/v1/officers/{officer_id}/record"): Case(officer_read, by_target=True),
    ("GET", "/api/v1/officers/{officer_id}/trends"): Case(officer_read, by_target=True),
    ("GET", "/api/v1/officers/{officer_id}/findings/grouped"): Case(officer_read, by_target=True),
    # The annual report as PDF (issue 16): same access as the record.
    ("GET", "/api/v1/me/report.pdf"): Case(only("officer")),
    ("GET", "/api/v1/officers/{officer_id}/report.pdf"): Case(officer_read, by_target=True),
    # A checkup session's reports as one PDF: medics serving the session's unit (an unknown
    # session is 404 to them).
    ("GET", "/api/v1/sessions/{session_id}/reports.pdf"): Case(only("medic", ok=404)),
    # The force health analysis (issue 16): managers of the subtree only.
    ("GET", "/api/v1/units/{unit_id}/analysis"): Case(
        unit_staff(*roles_for(A.UNIT_ANALYSIS)), by_target=True
    ),
    ("GET", "/api/v1/units/{unit_id}/analysis.csv"): Case(
        unit_staff("unit_manager"), by_target=True
    ),
    ("GET", "/api/v1/units/{unit_id}/analysis.xlsx"): Case(
        unit_staff("unit_manager"), by_target=True
    ),
    ("GET", "/api/v1/units/{unit_id}/analysis/summary"): Case(
        unit_staff(*roles_for(A.UNIT_ANALYSIS)), by_target=True
    ),
    ("GET", "/api/v1/units/{unit_id}/analysis.pdf"): Case(
        unit_staff(*roles_for(A.UNIT_ANALYSIS)), by_target=True
    ),
    ("GET", "/api/v1/units/{unit_id}/analysis/trends.csv"): Case(
        unit_staff(*roles_for(A.UNIT_ANALYSIS)), by_target=True
    ),
    ("GET", "/api/v1/units/{unit_id}/analysis/trends.xlsx"): Case(
        unit_staff(*roles_for(A.UNIT_ANALYSIS)), by_target=True
    ),
    ("POST", "/api/v1/appraisal/schemes"): Case(
        allowed(A.APPRAISAL_PUBLISH, ok=201), body=_scheme_body
    ),
    ("GET", "/api/v1/appraisal/schemes"): Case(allowed(A.APPRAISAL_SCHEMES)),
    ("GET", "/api/v1/units/{unit_id}/appraisal"): Case(
        unit_staff(*roles_for(A.UNIT_APPRAISAL)), by_target=True
    ),
    ("GET", "/api/v1/units/{unit_id}/appraisal.csv"): Case(
        unit_staff("unit_manager"), by_target=True
    ),
    ("GET", "/api/v1/units/{unit_id}/appraisal.xlsx"): Case(
        unit_staff("unit_manager"), by_target=True
    ),
    ("PUT", "/api/v1/officers/{officer_id}/conditions"): Case(
        medic_in_unit(200), by_target=True, body=lambda w, t: {"conditions": ["hypertension"]}
    ),
    ("POST", "/api/v1/screening/preview"): Case(
        allowed(A.SCREENING_PREVIEW),
        body=lambda w, t: {
            "exam_date": "2026-05-05",
            "results": {"glu": 7.2},
            "sex": "F",
            "age": 40,
        },
    ),
    ("GET", "/api/v1/rulesets"): Case(allowed(A.RULESET_LIST)),
    ("POST", "/api/v1/rulesets"): Case(
        allowed(A.RULESET_UPLOAD, ok=400), body=lambda w, t: "name: x"
    ),
    ("POST", "/api/v1/rulesets/{ruleset_id}/activate"): Case(allowed(A.RULESET_ACTIVATE, ok=404)),
    ("GET", "/api/v1/audit"): Case(allowed(A.AUDIT_SEARCH)),
    ("GET", "/api/v1/audit/export"): Case(allowed(A.AUDIT_EXPORT)),
    ("GET", "/api/v1/audit/verify"): Case(allowed(A.AUDIT_VERIFY)),
    ("GET", "/api/v1/tasks"): Case(allowed(A.TASK_LIST)),
    ("GET", "/api/v1/tasks/{task_id}"): Case(unit_staff(*roles_for(A.TASK_READ)), by_target=True),
    ("POST", "/api/v1/tasks/{task_id}/transitions"): Case(
        medic_in_unit(428), by_target=True, body=lambda w, t: {"action": "accept"}
    ),
    ("POST", "/api/v1/tasks/assign"): Case(
        medic_in_unit(200),
        by_target=True,
        body=lambda w, t: {
            "task_ids": [str(w.tasks[_officer(w, t)])],
            "assignee_user_id": None,
        },
    ),
    ("GET", "/api/v1/me/tasks"): Case(allowed(A.TASK_READ_OWN)),
    ("GET", "/api/v1/units/{unit_id}/metrics"): Case(
        unit_staff(*roles_for(A.UNIT_METRICS)), by_target=True
    ),
    ("GET", "/api/v1/units/{unit_id}/recall"): Case(
        unit_staff(*roles_for(A.UNIT_RECALL)), by_target=True
    ),
    ("GET", "/api/v1/units/{unit_id}/rounds"): Case(
        unit_staff(*roles_for(A.UNIT_ROUNDS)), by_target=True
    ),
    # Self-care (issue 15): readings and programmes are health data; guidance cards are not.
    ("POST", "/api/v1/me/readings"): Case(only("officer", ok=201), body=_reading_body),
    ("GET", "/api/v1/me/readings"): Case(only("officer")),
    ("POST", "/api/v1/officers/{officer_id}/readings"): Case(
        own_or_medic(201), body=_reading_body, by_target=True
    ),
    ("GET", "/api/v1/officers/{officer_id}/readings"): Case(own_or_medic(200), by_target=True),
    ("GET", "/api/v1/guidance"): Case(only(*ROLES)),
    ("GET", "/api/v1/guidance/{card_id}"): Case(only(*ROLES, ok=404)),
    ("POST", "/api/v1/officers/{officer_id}/programmes"): Case(
        medic_in_unit(201), body=_enrol_body, by_target=True
    ),
    ("GET", "/api/v1/officers/{officer_id}/programmes"): Case(own_or_medic(200), by_target=True),
    ("GET", "/api/v1/me/programmes"): Case(only("officer")),
    ("GET", "/api/v1/programmes/{programme_id}"): Case(only("medic", "officer", ok=404)),
    ("POST", "/api/v1/programmes/{programme_id}/contacts"): Case(
        only("medic", ok=404),
        body=lambda w, t: {"contact_on": "2026-04-01", "notes": "", "measurements": {}},
    ),
    ("POST", "/api/v1/programmes/{programme_id}/outcome"): Case(
        only("medic", ok=404), body=lambda w, t: {"outcome": "withdrawn", "ended_on": "2026-04-01"}
    ),
    ("GET", "/api/v1/programmes/{programme_id}/comparison"): Case(only("medic", "officer", ok=404)),
    ("GET", "/api/v1/kit-templates"): Case(allowed(A.KIT_TEMPLATES)),
    ("POST", "/api/v1/units/{unit_id}/kits"): Case(
        unit_staff_status(201, "medic", "unit_manager"),
        by_target=True,
        body=lambda w, t: {"label": f"kit-{next(_names)}"},
    ),
    ("POST", "/api/v1/kits/{kit_id}/restock"): Case(
        only("medic", "unit_manager", ok=404),
        body=lambda w, t: {"items": [{"item": "gloves", "quantity": 4}]},
    ),
    ("POST", "/api/v1/units/{unit_id}/devices"): Case(
        unit_staff_status(201, "medic", "unit_manager"),
        by_target=True,
        body=lambda w, t: {"kind": "bp_monitor", "serial": f"SN{next(_names)}"},
    ),
    ("POST", "/api/v1/devices/{device_id}/handover"): Case(
        only("medic", "unit_manager", ok=404), body=lambda w, t: {"holder_officer_id": None}
    ),
    ("POST", "/api/v1/devices/{device_id}/calibrations"): Case(
        only("medic", "unit_manager", ok=404), body=lambda w, t: {"calibrated_on": "2026-01-01"}
    ),
    ("GET", "/api/v1/units/{unit_id}/readiness"): Case(
        unit_staff(*roles_for(A.UNIT_READINESS)), by_target=True
    ),
    ("GET", "/api/v1/courses"): Case(allowed(A.COURSE_LIST)),
    ("POST", "/api/v1/courses"): Case(
        allowed(A.COURSE_CREATE, ok=201),
        body=lambda w, t: {
            "code": f"c{next(_names)}",
            "name_zh": "心肺复苏",
            "name_en": "CPR",
            "validity_months": 24,
        },
    ),
    ("POST", "/api/v1/training/import"): Case(
        allowed(A.TRAINING_IMPORT), files=_training_file, by_target=True
    ),
    ("GET", "/api/v1/units/{unit_id}/training"): Case(
        unit_staff(*roles_for(A.TRAINING_STATUS)), by_target=True
    ),
    ("GET", "/api/v1/units/{unit_id}/selfcare-figures"): Case(
        unit_staff(*roles_for(A.UNIT_SELFCARE_FIGURES)), by_target=True
    ),
    ("GET", "/api/v1/risk/equations"): Case(only(*ROLES)),
    ("POST", "/api/v1/risk/equations/{equation_id}"): Case(
        allowed(A.RISK_WHAT_IF),
        body=lambda w, t: {
            "age": 55,
            "sex": "M",
            "race": "other",
            "tc": 5.5,
            "hdl": 1.3,
            "sbp": 120,
            "bp_treated": False,
            "smoker": False,
            "diabetes": False,
        },
    ),
    ("GET", "/api/v1/officers/{officer_id}/risk"): Case(officer_read, by_target=True),
    ("GET", "/api/v1/me/risk"): Case(only("officer")),
    ("GET", "/api/v1/ml/models"): Case(allowed(A.ML_LIST)),
    ("POST", "/api/v1/ml/models/{version}/promote"): Case(allowed(A.ML_PROMOTE, ok=409)),
    # The FHIR R4 facade (issue 18): clinical types as the record, Task as the worklist, the
    # unit tree for staff, AuditEvent for auditors. Searches about another officer's record
    # answer an empty Bundle, exactly as for an officer that does not exist.
    ("GET", "/fhir/Patient"): Case(only("officer", "medic")),
    ("GET", "/fhir/Patient/{officer_id}"): Case(fhir_officer_read, by_target=True),
    ("GET", "/fhir/Organization"): Case(only("medic", "unit_manager", "auditor", "admin")),
    ("GET", "/fhir/Organization/{unit_id}"): Case(
        only("medic", "unit_manager", "auditor", "admin"), by_target=True
    ),
    **{
        ("GET", f"/fhir/{kind}"): Case(
            only("officer", "medic"),
            by_target=True,
            query=lambda w, t, kind=kind: {
                **_patient_query(w, t),
                "_include": f"{kind}:patient",
            },
        )
        for kind in ("Observation", "DiagnosticReport", "Flag", "RiskAssessment")
    },
    **{
        ("GET", f"/fhir/{kind}/{{resource_id}}"): Case(only("officer", "medic", ok=404))
        for kind in ("Observation", "DiagnosticReport", "Flag", "RiskAssessment")
    },
    ("GET", "/fhir/Task"): Case(only("officer", "medic", "unit_manager")),
    ("GET", "/fhir/Task/{task_id}"): Case(
        lambda role, target: (
            403
            if role not in ("officer", "medic", "unit_manager")
            else officer_read("medic" if role == "unit_manager" else role, target)
        ),
        by_target=True,
    ),
    # Bulk Data export: medics (and integrators) of the unit; the status and files are the
    # requester's only, anyone else's id answers like one that does not exist.
    ("GET", "/fhir/$export"): Case(
        allowed(A.FHIR_EXPORT, ok=202), headers={"Prefer": "respond-async"}
    ),
    ("GET", "/fhir/Group/{unit_id}/$export"): Case(
        unit_staff_status(202, *roles_for(A.FHIR_EXPORT)),
        by_target=True,
        headers={"Prefer": "respond-async"},
        query=lambda w, t: {"_type": "Patient,Observation"},
    ),
    ("GET", "/fhir/export-status/{export_id}"): Case(allowed(A.FHIR_EXPORT, ok=404)),
    ("DELETE", "/fhir/export-status/{export_id}"): Case(allowed(A.FHIR_EXPORT, ok=404)),
    ("GET", "/fhir/export-files/{file_id}"): Case(allowed(A.FHIR_EXPORT, ok=404)),
    ("GET", "/fhir/AuditEvent"): Case(only("auditor")),
    ("GET", "/fhir/AuditEvent/{event_id}"): Case(only("auditor", ok=404)),
    # Last: a grant would make the dedicated target readable to the medic afterwards.
    ("POST", "/api/v1/officers/{officer_id}/emergency-access"): Case(
        emergency_expect,
        by_target=True,
        body=lambda w, t: {
            "reason": "collapsed on duty, ambulance crew asks for history"
            if t == "other_unit"
            else "",
            "minutes": 30,
        },
    ),
}


def _officer(world: World, target: str) -> uuid.UUID:
    return {
        "own": world.own,
        "in_scope": world.in_scope,
        "out_of_scope": world.out_of_scope,
        "other_unit": world.emergency_target,
    }[target]


def _call(
    world: World, method: str, path: str, case: Case, target: str, headers: dict[str, str]
) -> Any:
    """One request of a matrix case against a target (body, files and query as it says)."""
    officer = _officer(world, target)
    url = concrete(
        path,
        officer_id=officer,
        user_id=world.spare_user,
        task_id=world.tasks[officer],
        unit_id=world.units[officer],
    )
    return world.client.request(
        method,
        url,
        headers={**headers, **case.headers},
        json=case.body(world, target),
        files=case.files(world, target),
        params=case.query(world, target),
    )


def test_every_route_has_a_matrix_entry(world: World) -> None:
    missing = [r for r in api_routes(world) if r not in MATRIX and r not in PUBLIC]
    assert missing == []


@pytest.mark.parametrize("role", ROLES)
def test_authorization_matrix(world: World, role: str) -> None:
    """Each role against each route and target; forbidden officers' data never appears."""
    headers = world.headers(role)
    if role == "medic":
        allowed = {world.own, world.in_scope}
    elif role == "officer":
        allowed = {world.own}
    else:
        allowed = set()
    forbidden = [o for o in world.names if o not in allowed]
    for (method, path), case in MATRIX.items():
        if path == "/api/v1/auth/logout":
            continue
        for target in TARGETS:
            officer = _officer(world, target)
            body, files = case.body(world, target), case.files(world, target)
            response = _call(world, method, path, case, target, headers)
            expected = case.expect(role, target)
            assert response.status_code == expected, (role, target, method, path, response.text)
            for other in forbidden:
                if other == officer and (path.endswith("emergency-access") or files or body):
                    continue  # the caller's own input may come back (errors name the value)
                assert world.names[other] not in response.text, (role, method, path)
                assert world.badges[other] not in response.text, (role, method, path)
            if not case.by_target:
                break
    logout = world.client.post("/api/v1/auth/logout", headers=headers)
    assert logout.status_code == MATRIX[("POST", "/api/v1/auth/logout")].expect(role, "own")


def test_out_of_scope_answers_exactly_like_nonexistent(world: World) -> None:
    headers = world.headers("medic")
    hidden = world.client.get(f"/api/v1/officers/{world.out_of_scope}", headers=headers)
    absent = world.client.get(f"/api/v1/officers/{uuid.uuid4()}", headers=headers)
    assert (hidden.status_code, hidden.json()) == (absent.status_code, absent.json())


def test_integrator_reads_the_fhir_facade_as_a_medic_would_and_nothing_else(world: World) -> None:
    """A client credential reaches /fhir only: there it sees what a medic of the same units
    sees (no emergency access), anywhere else it is refused with 403."""
    headers = world.headers(INTEGRATOR)
    allowed = {world.own, world.in_scope}
    forbidden = [o for o in world.names if o not in allowed]
    for (method, path), case in MATRIX.items():
        fhir = path.startswith("/fhir/")
        for target in TARGETS if (fhir and case.by_target) else TARGETS[:1]:
            response = _call(world, method, path, case, target, headers)
            expected = case.expect("medic", target) if fhir else 403
            assert response.status_code == expected, (target, method, path, response.text)
            for other in forbidden:
                assert world.names[other] not in response.text, (method, path)


def test_integrator_secret_is_no_password_and_staff_passwords_are_no_client_secret(
    world: World,
) -> None:
    as_login = world.client.post(
        "/api/v1/auth/token",
        data={"username": world.usernames[INTEGRATOR], "password": PASSWORD},
    )
    assert as_login.status_code == 401
    as_client = world.client.post(
        "/api/v1/auth/client-token",
        data={
            "grant_type": "client_credentials",
            "client_id": world.usernames["medic"],
            "client_secret": PASSWORD,
        },
    )
    assert as_client.status_code == 401
    wider = world.client.post(
        "/api/v1/auth/client-token",
        data={
            "grant_type": "client_credentials",
            "client_id": world.usernames[INTEGRATOR],
            "client_secret": PASSWORD,
            "scope": "system/*.write",
        },
    )
    assert wider.status_code == 400
    assert wider.json()["code"] == "invalid_scope"
    granted = world.client.post(
        "/api/v1/auth/client-token",
        data={
            "grant_type": "client_credentials",
            "client_id": world.usernames[INTEGRATOR],
            "client_secret": PASSWORD,
        },
    ).json()
    assert granted["scope"] == "system/*.read"
    assert "refresh_token" not in granted
