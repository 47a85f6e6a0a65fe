"""Every page × every role × every kind of target, as the API's matrix; no data leaks.

A page route missing from PAGES or ACTIONS fails the test, so a new page must say who may open
it. Pages answer like the API: 403 for a page the role never may use, 404 for an object outside
the caller's scope exactly as for one that does not exist.
"""

from __future__ import annotations

import base64
import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from routes import concrete
from test_authorization_matrix import TARGETS, medic_in_unit, officer_read, only, unit_staff
from webclient import signed_in, token_of
from world import ROLES, World

from api.web.pages import PAGE_ROUTERS
from models.tables import Task

_names = itertools.count()
PUBLIC = {("GET", "/login"), ("POST", "/login"), ("GET", "/lang/{language}")}


@dataclass(frozen=True)
class Page:
    expect: Callable[[str, str], int]
    by_target: bool = False
    form: Callable[[World, str], dict[str, Any]] = lambda world, target: {}
    files: Callable[[World, str], Any] = lambda world, target: None


def everyone(status: int) -> Callable[[str, str], int]:
    return lambda role, target: status


PAGES: dict[str, Page] = {
    "/": Page(everyone(303)),
    "/me": Page(only("officer")),
    "/me/access": Page(only("officer")),
    "/me/report.pdf": Page(only("officer")),
    "/officers/{officer_id}/report.pdf": Page(officer_read, by_target=True),
    "/units/{unit_id}/analysis.pdf": Page(unit_staff("unit_manager"), by_target=True),
    "/officers": Page(only("medic")),
    "/officers/roster": Page(only("medic")),
    "/officers/{officer_id}": Page(officer_read, by_target=True),
    "/checkups/new": Page(only("medic")),
    "/uploads": Page(only("medic")),
    "/uploads/template": Page(only("medic")),
    "/uploads/{upload_id}/rejected": Page(only("medic", ok=404)),
    "/tasks": Page(only("medic", "unit_manager")),
    "/tasks/export.csv": Page(only("medic", "unit_manager")),
    "/tasks/{task_id}": Page(unit_staff("medic", "unit_manager"), by_target=True),
    "/units": Page(only("medic", "unit_manager", "auditor", "admin")),
    "/units/{unit_id}/figures": Page(unit_staff("unit_manager"), by_target=True),
    "/units/{unit_id}/recall": Page(unit_staff("medic", "unit_manager"), by_target=True),
    "/units/{unit_id}/rounds": Page(unit_staff("medic"), by_target=True),
    "/audit": Page(only("auditor")),
    "/admin/users": Page(only("admin")),
    "/admin/units": Page(only("admin")),
}


def _badge_form(world: World, target: str) -> dict[str, Any]:
    return {"badge_number": world.badges[_officer(world, target)]}


def _register_form(world: World, target: str) -> dict[str, Any]:
    unit = world.unit_out if target in ("out_of_scope", "other_unit") else world.unit_in
    return {
        "unit_id": str(unit),
        "badge_number": f"WEB{next(_names):05d}",
        "name": "Echo Webform",
        "birth_date": "1991-04-05",
        "sex": "F",
    }


def _checkup_form(world: World, target: str) -> dict[str, Any]:
    return {
        "badge_number": world.badges[_officer(world, target)],
        "exam_date": "2026-05-06",
        "glu": f"{5.0 + next(_names) / 1000:.3f}",
        "glu__unit": "mmol/L",
    }


def _upload_file(world: World, target: str) -> Any:
    badge = world.badges[_officer(world, target)]
    body = f"badge_number,exam_date,glu\n{badge},2026-06-0{1 + next(_names) % 9},5.5\n"
    return {"file": ("session.csv", body.encode(), "text/csv")}


def _roster_file(world: World, target: str) -> Any:
    row = f"A2,ROS{next(_names):05d},Golf Roster,1988-01-02,M"
    body = f"unit_code,badge_number,name,birth_date,sex\n{row}\n"
    return {"file": ("roster.csv", body.encode(), "text/csv")}


def _confirm_form(world: World, target: str) -> dict[str, Any]:
    badge = world.badges[_officer(world, target)]
    body = f"badge_number,exam_date,glu\n{badge},2026-07-0{1 + next(_names) % 9},5.6\n"
    return {"payload": base64.b64encode(body.encode()).decode(), "filename": "s.csv"}


def _move_form(world: World, target: str) -> dict[str, Any]:
    """The version the medic's page would show (the If-Match of the API)."""
    with world.runtime.sessions() as session:
        task = session.get(Task, world.tasks[_officer(world, target)])
        assert task is not None
        return {"version": str(task.version), "action": "start"}


def _user_form(world: World, target: str) -> dict[str, Any]:
    return {
        "username": f"web-user-{next(_names)}",
        "role": "auditor",
        "password": "long enough pw 1",
    }


def _unit_form(world: World, target: str) -> dict[str, Any]:
    return {"code": f"W{next(_names)}", "name": "Web unit", "kind": "station",
            "parent_id": str(world.unit_in)}  # fmt: skip


def _emergency_form(world: World, target: str) -> dict[str, Any]:
    """A reason only for the dedicated target, so the other targets stay hidden afterwards."""
    reason = "collapsed on duty, ambulance crew asks for history" if target == "other_unit" else ""
    return {
        "badge_number": world.badges[_officer(world, target)],
        "reason": reason,
        "minutes": "30",
    }


def medic_by_target(ok: int, outside: int) -> Callable[[str, str], int]:
    def expect(role: str, target: str) -> int:
        if role != "medic":
            return 403
        return ok if target in ("own", "in_scope") else outside

    return expect


# State-changing pages, posted with a valid CSRF token; run in this order (task moves before
# checkups that would decide the tasks), sign-out last.
ACTIONS: dict[str, Page] = {
    "/tasks/{task_id}/move": Page(medic_in_unit(303), by_target=True, form=_move_form),
    "/tasks/{task_id}/assign": Page(medic_in_unit(303), by_target=True),
    "/officers/find": Page(medic_in_unit(303), by_target=True, form=_badge_form),
    "/officers": Page(medic_by_target(303, 404), by_target=True, form=_register_form),
    "/checkups/new": Page(medic_in_unit(303), by_target=True, form=_checkup_form),
    "/officers/roster": Page(only("medic"), files=_roster_file),
    "/uploads/preview": Page(only("medic"), by_target=True, files=_upload_file),
    "/uploads/confirm": Page(only("medic"), by_target=True, form=_confirm_form),
    "/admin/users": Page(only("admin", ok=303), form=_user_form),
    "/admin/users/{user_id}/disable": Page(only("admin", ok=303)),
    "/admin/users/{user_id}/enable": Page(only("admin", ok=303)),
    "/admin/units": Page(only("admin", ok=303), form=_unit_form),
    "/officers/emergency": Page(
        lambda role, target: (303 if target == "other_unit" else 400) if role == "medic" else 403,
        by_target=True,
        form=_emergency_form,
    ),
    "/logout/everywhere": Page(everyone(303)),
    "/logout": Page(lambda role, target: 303),
}


def _officer(world: World, target: str) -> uuid.UUID:
    return {
        "own": world.own,
        "in_scope": world.in_scope,
        "out_of_scope": world.out_of_scope,
        "other_unit": world.emergency_target,
    }[target]


def page_routes() -> list[tuple[str, str]]:
    return sorted(
        (method, route.path)  # type: ignore[attr-defined]
        for router in PAGE_ROUTERS
        for route in router.routes
        for method in route.methods  # type: ignore[attr-defined]
        if method != "HEAD"
    )


def _url(world: World, path: str, officer: uuid.UUID) -> str:
    return concrete(
        path,
        officer_id=officer,
        user_id=world.spare_user,
        task_id=world.tasks[officer],
        unit_id=world.units[officer],
    )


def test_every_page_has_a_matrix_entry() -> None:
    listed = {("GET", p) for p in PAGES} | {("POST", p) for p in ACTIONS} | PUBLIC
    assert [r for r in page_routes() if r not in listed] == []


def _allowed(world: World, role: str) -> set[uuid.UUID]:
    if role == "medic":
        return {world.own, world.in_scope}
    if role == "officer":
        return {world.own}
    return set()


@pytest.mark.parametrize("role", ROLES)
def test_page_authorization_matrix(world: World, role: str) -> None:
    """Each role opens each page for each target; hidden officers never appear on a page."""
    browser = signed_in(world, role)
    forbidden = [o for o in world.names if o not in _allowed(world, role)]
    for path, case in PAGES.items():
        for target in TARGETS:
            officer = _officer(world, target)
            response = browser.get(_url(world, path, officer), follow_redirects=False)
            assert response.status_code == case.expect(role, target), (role, target, path)
            for other in forbidden:
                assert world.names[other] not in response.text, (role, path)
                assert world.badges[other] not in response.text, (role, path)
            if not case.by_target:
                break
    token = token_of(browser)
    for path, case in ACTIONS.items():
        for target in TARGETS:
            officer = _officer(world, target)
            form = {"csrf_token": token, **case.form(world, target)}
            response = browser.post(
                _url(world, path, officer),
                data=form,
                files=case.files(world, target),
                follow_redirects=False,
            )
            assert response.status_code == case.expect(role, target), (
                role,
                target,
                path,
                response.text[-2000:],
            )
            if not case.by_target:
                break
