"""Break-the-glass: refused without a reason, works until it expires, visible to the officer."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from world import PASSWORD, World

from health.clock import utcnow
from health.services import accounts
from health.services.context import SYSTEM, Ctx
from models.tables import AccessGrant

REASON = "found unconscious at the scene; paramedics ask about diabetes"


def _officer_login(world: World) -> dict[str, str]:
    # Made on the server (as the CLI does): over the API one admin alone cannot link an
    # officer account (a second admin approves; tests/api/test_separation_of_duties.py).
    with world.runtime.sessions.begin() as session:
        accounts.create_user(
            Ctx(session, world.runtime.vault, SYSTEM),
            world.runtime.auth,
            username="delta",
            role="officer",
            password=PASSWORD,
            officer_id=world.emergency_target,
        )
    token = world.client.post(
        "/api/v1/auth/token", data={"username": "delta", "password": PASSWORD}
    ).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def test_break_glass_without_reason_is_refused(world: World) -> None:
    medic = world.headers("medic")
    url = f"/api/v1/officers/{world.emergency_target}/emergency-access"
    for body in ({}, {"reason": ""}, {"reason": "   urgent "}):
        refused = world.client.post(url, headers=medic, json=body)
        assert refused.status_code == 400
        assert refused.json()["code"] == "reason_required"
    assert (
        world.client.get(f"/api/v1/officers/{world.emergency_target}", headers=medic).status_code
        == 404
    )


def test_break_glass_works_until_expiry_and_is_shown_to_officer(world: World) -> None:
    medic = world.headers("medic")
    target = world.emergency_target
    granted = world.client.post(
        f"/api/v1/officers/{target}/emergency-access",
        headers=medic,
        json={"reason": REASON, "minutes": 30},
    )
    assert granted.status_code == 201
    record = world.client.get(f"/api/v1/officers/{target}", headers=medic)
    assert record.status_code == 200
    assert record.json()["name"] == "Delta Emergency"
    assert world.client.get(f"/api/v1/officers/{target}/checkups", headers=medic).status_code == 200

    with world.runtime.sessions.begin() as session:
        session.execute(update(AccessGrant).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert world.client.get(f"/api/v1/officers/{target}", headers=medic).status_code == 404

    log = world.client.get("/api/v1/me/access-log", headers=_officer_login(world)).json()
    grants = [e for e in log if e["action"] == "emergency.grant"]
    assert grants[0]["emergency_reason"] == REASON
    assert grants[0]["who"] == world.usernames["medic"]
    reads = [
        e
        for e in log
        if e["action"] in ("officer.read", "checkup.read") and e["outcome"] == "success"
    ]
    assert {e["purpose"] for e in reads} == {"emergency"}
    denied = [e for e in log if e["outcome"] == "denied"]
    assert denied, "the refused read after expiry is in the log too"

    flagged = world.client.get(
        "/api/v1/audit", params={"purpose": "emergency"}, headers=world.headers("auditor")
    ).json()
    assert {e["action"] for e in flagged} >= {"emergency.grant", "officer.read"}


def test_break_glass_is_only_for_medics(world: World) -> None:
    for role in ("unit_manager", "auditor", "admin", "officer"):
        response = world.client.post(
            f"/api/v1/officers/{world.emergency_target}/emergency-access",
            headers=world.headers(role),
            json={"reason": REASON},
        )
        assert response.status_code == 403
