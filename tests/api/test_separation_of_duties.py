"""An admin alone cannot reach health data (issue 9, #9): linking an officer account, a wide
medic scope and an admin's reset of an officer's password wait for a second admin, and each
step shows in the officer's access log."""

from __future__ import annotations

from typing import Any

from world import PASSWORD, World

from health.services import accounts
from health.services.context import SYSTEM, Ctx


def _second_admin(world: World) -> dict[str, str]:
    with world.runtime.sessions.begin() as session:
        accounts.create_user(
            Ctx(session, world.runtime.vault, SYSTEM),
            world.runtime.auth,
            username="second-admin",
            role="admin",
            password=PASSWORD,
        )
    token = world.client.post(
        "/api/v1/auth/token", data={"username": "second-admin", "password": PASSWORD}
    ).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def _officer_without_account(world: World) -> str:
    return str(world.in_scope)


def _create(world: World, headers: dict[str, str], **body: Any) -> Any:
    response = world.client.post(
        "/api/v1/users", json={"password": "a long enough password", **body}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()


USER_PASSWORD = "a long enough password"


def _login(world: World, username: str, password: str = USER_PASSWORD) -> Any:
    return world.client.post(
        "/api/v1/auth/token", data={"username": username, "password": password}
    )


def test_an_officer_account_made_by_one_admin_stays_disabled_until_a_second_approves(
    world: World,
) -> None:
    admin = world.headers("admin")
    user = _create(
        world, admin, username="officer-two", role="officer", officer_id=str(world.in_scope)
    )
    assert user["disabled"] is True
    (approval_id,) = user["pending_approvals"]
    assert _login(world, "officer-two").status_code == 401
    enable = world.client.post(f"/api/v1/users/{user['id']}/enable", headers=admin)
    assert (enable.status_code, enable.json()["code"]) == (409, "approval_pending")
    own = world.client.post(f"/api/v1/approvals/{approval_id}/approve", headers=admin)
    assert (own.status_code, own.json()["code"]) == (403, "second_admin_required")
    assert _login(world, "officer-two").status_code == 401

    second = _second_admin(world)
    pending = world.client.get("/api/v1/approvals", headers=second).json()
    assert [(p["id"], p["kind"], p["officer_id"]) for p in pending] == [
        (approval_id, "officer_link", str(world.in_scope))
    ]
    approved = world.client.post(f"/api/v1/approvals/{approval_id}/approve", headers=second)
    assert approved.status_code == 200, approved.text
    login = _login(world, "officer-two")
    assert login.status_code == 200
    officer = {"Authorization": f"Bearer {login.json()['access_token']}"}
    log = world.client.get("/api/v1/me/access-log", headers=officer).json()
    actions = {entry["action"] for entry in log}
    assert {"user.create", "approval.request.officer_link", "approval.approve.officer_link"} <= (
        actions
    )


def test_a_force_wide_medic_made_by_one_admin_has_no_units_until_approved(world: World) -> None:
    admin = world.headers("admin")
    force = world.client.get("/api/v1/units", headers=admin).json()
    root = next(u["id"] for u in force if u.get("parent_id") is None)
    user = _create(world, admin, username="medic-wide", role="medic", unit_ids=[root])
    assert user["unit_ids"] == []
    (approval_id,) = user["pending_approvals"]
    medic = {"Authorization": f"Bearer {_login(world, 'medic-wide').json()['access_token']}"}
    hidden = world.client.get(f"/api/v1/officers/{world.out_of_scope}", headers=medic)
    assert hidden.status_code == 404
    # Widening an existing medic the same way is a request too (202), not a change.
    spare = world.client.put(
        f"/api/v1/users/{world.spare_user}/units", json={"unit_ids": [root]}, headers=admin
    )
    assert spare.status_code == 202
    second = _second_admin(world)
    approve = world.client.post(f"/api/v1/approvals/{approval_id}/approve", headers=second)
    assert approve.status_code == 200
    medic = {"Authorization": f"Bearer {_login(world, 'medic-wide').json()['access_token']}"}
    seen = world.client.get(f"/api/v1/officers/{world.out_of_scope}", headers=medic)
    assert seen.status_code == 200


def _grants(world: World, officer: dict[str, str]) -> list[tuple[str, str, str]]:
    log = world.client.get("/api/v1/me/access-log", headers=officer).json()
    return [(e["who"], e["role"], e["granted_to"]) for e in log if e["action"] == "scope.granted"]


def test_a_widened_medic_scope_shows_in_the_access_log_of_every_officer_it_reaches(
    world: World,
) -> None:
    admin = world.headers("admin")
    force = world.client.get("/api/v1/units", headers=admin).json()
    root = next(u["id"] for u in force if u.get("parent_id") is None)
    officer = world.headers("officer")
    # The world's medics were given units reaching this officer when the world was built.
    assert set(_grants(world, officer)) == {
        ("system", "system", "medic-user"),
        ("system", "system", "spare-medic"),
    }
    user = _create(world, admin, username="medic-wide", role="medic", unit_ids=[root])
    assert len(_grants(world, officer)) == 2, "a request grants nothing yet"
    (approval_id,) = user["pending_approvals"]
    second = _second_admin(world)
    assert world.client.post(f"/api/v1/approvals/{approval_id}/approve", headers=second).is_success
    assert _grants(world, officer)[0] == ("second-admin", "admin", "medic-wide")
    # A unit outside the officer's branch reaches other officers, not this one.
    moved = world.client.put(
        f"/api/v1/users/{world.spare_user}/units",
        json={"unit_ids": [str(world.unit_out)]},
        headers=admin,
    )
    assert moved.is_success
    assert len(_grants(world, officer)) == 3


def test_an_admin_reset_of_an_officer_password_needs_a_second_admin(world: World) -> None:
    admin = world.headers("admin")
    officer_user = next(
        u
        for u in world.client.get("/api/v1/users", headers=admin).json()
        if u["officer_id"] == str(world.own)
    )
    reset = world.client.post(
        f"/api/v1/users/{officer_user['id']}/password",
        json={"password": "admin chosen passphrase"},
        headers=admin,
    )
    assert reset.status_code == 202
    approval_id = reset.json()["approval_id"]
    # Nothing changed yet: the officer's own password still works, the admin's does not.
    assert _login(world, world.usernames["officer"], PASSWORD).status_code == 200
    assert _login(world, world.usernames["officer"], "admin chosen passphrase").status_code == 401
    refused = world.client.post(f"/api/v1/approvals/{approval_id}/approve", headers=admin)
    assert refused.status_code == 403
    approve = world.client.post(
        f"/api/v1/approvals/{approval_id}/approve", headers=_second_admin(world)
    )
    assert approve.status_code == 200
    first = _login(world, world.usernames["officer"], "admin chosen passphrase")
    assert (first.status_code, first.json()["code"]) == (403, "password_change_required")
    change = world.client.post(
        "/api/v1/auth/password",
        json={
            "username": world.usernames["officer"],
            "current_password": "admin chosen passphrase",
            "new_password": "only the officer knows",
        },
    )
    assert change.status_code == 204
    login = _login(world, world.usernames["officer"], "only the officer knows")
    officer = {"Authorization": f"Bearer {login.json()['access_token']}"}
    actions = [
        e["action"] for e in world.client.get("/api/v1/me/access-log", headers=officer).json()
    ]
    assert "approval.request.password_reset" in actions
    assert "approval.approve.password_reset" in actions
    assert "user.reset_password" in actions


def test_a_rejected_request_changes_nothing(world: World) -> None:
    admin = world.headers("admin")
    user = _create(
        world, admin, username="officer-three", role="officer", officer_id=str(world.in_scope)
    )
    (approval_id,) = user["pending_approvals"]
    rejected = world.client.post(f"/api/v1/approvals/{approval_id}/reject", headers=admin)
    assert (rejected.status_code, rejected.json()["status"]) == (200, "rejected")
    again = world.client.post(
        f"/api/v1/approvals/{approval_id}/approve", headers=_second_admin(world)
    )
    assert (again.status_code, again.json()["code"]) == (409, "approval_decided")
    assert _login(world, "officer-three").status_code == 401


def test_an_integrator_made_by_one_admin_reads_nothing_until_a_second_approves_its_units(
    world: World,
) -> None:
    """A machine reading health data across units is never one admin's decision (FHIR)."""
    admin = world.headers("admin")
    bureau = str(world.units[world.own])
    user = _create(world, admin, username="warehouse", role="integrator", unit_ids=[bureau])
    assert user["unit_ids"] == []
    (approval_id,) = user["pending_approvals"]

    def visible() -> set[str]:
        token = world.client.post(
            "/api/v1/auth/client-token",
            data={
                "grant_type": "client_credentials",
                "client_id": "warehouse",
                "client_secret": USER_PASSWORD,
            },
        ).json()["access_token"]
        bundle = world.client.get("/fhir/Patient", headers={"Authorization": f"Bearer {token}"})
        assert bundle.status_code == 200, bundle.text
        return {e["resource"]["id"] for e in bundle.json().get("entry", [])}

    assert visible() == set()
    second = _second_admin(world)
    approve = world.client.post(f"/api/v1/approvals/{approval_id}/approve", headers=second)
    assert approve.status_code == 200
    assert visible() == {str(world.own)}
