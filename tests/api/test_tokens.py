"""Bad tokens get 401 on every route; logins are slowed by lockout; sessions end properly."""

from __future__ import annotations

import uuid
from datetime import timedelta

import jwt
import pytest
from routes import PUBLIC, api_routes, concrete
from sqlalchemy import select, update
from world import PASSWORD, World

from health.clock import utcnow
from health.crypto.tokens import AUDIENCE, ISSUER, TokenSigner
from models.tables import AppUser, AuditEvent, AuthSession


def _claims(world: World, **overrides: object) -> dict[str, object]:
    now = utcnow()
    claims: dict[str, object] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(uuid.uuid4()),
        "sid": str(uuid.uuid4()),
        "role": "admin",
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=5)).timestamp()),
    }
    claims.update(overrides)
    return claims


def _bad_tokens(world: World) -> dict[str, str]:
    signer = world.runtime.auth.signer
    valid = world.login("admin")
    payload = jwt.decode(valid, options={"verify_signature": False})
    key = signer._key  # the real key, to show only the named defect is refused
    revoked = world.login("admin")
    world.client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {revoked}"})
    past = utcnow() - timedelta(hours=1)
    return {
        "malformed": "not-a-jwt",
        "expired": TokenSigner(key, timedelta(minutes=15)).issue(
            uuid.UUID(payload["sub"]), uuid.UUID(payload["sid"]), "admin", past
        ),
        "revoked": revoked,
        "wrong_signature": jwt.encode(dict(payload), b"x" * 32, algorithm="HS256"),
        "wrong_audience": jwt.encode({**payload, "aud": "someone-else"}, key, algorithm="HS256"),
        "wrong_issuer": jwt.encode({**payload, "iss": "someone-else"}, key, algorithm="HS256"),
        "alg_none": jwt.encode(dict(payload), None, algorithm="none"),
        "unknown_session": jwt.encode(_claims(world), key, algorithm="HS256"),
    }


def test_every_route_refuses_missing_and_bad_tokens(world: World) -> None:
    tokens = _bad_tokens(world)
    headers = [{}] + [{"Authorization": f"Bearer {t}"} for t in tokens.values()]
    routes = [r for r in api_routes(world) if r not in PUBLIC]
    assert len(routes) > 20
    for method, path in routes:
        for header in headers:
            response = world.client.request(method, concrete(path), headers=header)
            assert response.status_code == 401, (method, path, header)
            # The FHIR facade answers its errors as OperationOutcome (FHIR clients read those).
            media = (
                "application/fhir+json" if path.startswith("/fhir/") else "application/problem+json"
            )
            assert response.headers["content-type"] == media
            assert response.headers["www-authenticate"] == "Bearer"


def test_repeated_failed_logins_lock_the_account_and_are_audited(world: World) -> None:
    username = world.usernames["medic"]
    for _ in range(5):
        failed = world.client.post(
            "/api/v1/auth/token", data={"username": username, "password": "wrong password!"}
        )
        assert failed.status_code == 401
    locked = world.client.post(
        "/api/v1/auth/token", data={"username": username, "password": PASSWORD}
    )
    unknown = world.client.post(
        "/api/v1/auth/token", data={"username": "no-such-user", "password": PASSWORD}
    )
    # Locked and unknown accounts answer alike, so the lockout does not reveal usernames.
    assert (
        (locked.status_code, locked.json())
        == (unknown.status_code, unknown.json())
        == (
            401,
            unknown.json(),
        )
    )
    assert locked.json()["code"] == "bad_credentials"
    with world.runtime.sessions() as session:
        user = session.scalars(select(AppUser).where(AppUser.username == username)).one()
        outcomes = session.scalars(
            select(AuditEvent.outcome)
            .where(AuditEvent.action == "auth.login", AuditEvent.resource_id == str(user.id))
            .order_by(AuditEvent.seq)
        ).all()
    assert outcomes == ["failure"] * 4 + ["locked", "locked"]


def test_unknown_user_login_is_audited_and_generic(world: World) -> None:
    response = world.client.post(
        "/api/v1/auth/token", data={"username": "nobody", "password": "whatever"}
    )
    assert response.status_code == 401
    assert response.json()["code"] == "bad_credentials"


def test_refresh_rotates_and_old_refresh_token_dies(world: World) -> None:
    first = world.client.post(
        "/api/v1/auth/token", data={"username": world.usernames["auditor"], "password": PASSWORD}
    ).json()
    second = world.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert second.status_code == 200
    replay = world.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert replay.status_code == 401


def test_refresh_token_reuse_revokes_the_whole_session(world: World) -> None:
    """RFC 9700 §4.14.2: a rotated refresh token presented again ends its session, so the
    legitimate holder and a thief alike must log in again."""
    first = world.client.post(
        "/api/v1/auth/token", data={"username": world.usernames["auditor"], "password": PASSWORD}
    ).json()
    second = world.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    ).json()
    fresh = {"Authorization": f"Bearer {second['access_token']}"}
    assert world.client.get("/api/v1/audit/verify", headers=fresh).status_code == 200
    replay = world.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert (replay.status_code, replay.json()["code"]) == (401, "session_ended")
    assert world.client.get("/api/v1/audit/verify", headers=fresh).status_code == 401
    latest = world.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]}
    )
    assert latest.status_code == 401
    with world.runtime.sessions() as session:
        reuse = session.scalars(
            select(AuditEvent.outcome).where(AuditEvent.action == "auth.refresh_reuse")
        ).all()
    assert reuse == ["denied"]


def test_logout_revokes_the_session(world: World) -> None:
    headers = world.headers("auditor")
    assert world.client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert world.client.get("/api/v1/audit/verify", headers=headers).status_code == 401


def test_idle_session_expires(world: World) -> None:
    headers = world.headers("auditor")
    with world.runtime.sessions.begin() as session:
        session.execute(update(AuthSession).values(last_used_at=utcnow() - timedelta(minutes=31)))
    response = world.client.get("/api/v1/audit/verify", headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "session_ended"


def test_disabled_account_loses_its_sessions(world: World) -> None:
    medic = world.headers("medic")
    admin = world.headers("admin")
    users = world.client.get("/api/v1/users", headers=admin).json()
    medic_id = next(u["id"] for u in users if u["username"] == world.usernames["medic"])
    assert world.client.post(f"/api/v1/users/{medic_id}/disable", headers=admin).status_code == 204
    assert world.client.get("/api/v1/units", headers=medic).status_code == 401


@pytest.mark.parametrize("role", ["medic", "admin"])
def test_totp_second_factor_is_required_once_enrolled(world: World, role: str) -> None:
    import pyotp

    headers = world.headers(role)
    uri = world.client.post(
        "/api/v1/auth/totp/enrol", json={"password": PASSWORD}, headers=headers
    ).json()
    secret = pyotp.parse_uri(uri["provisioning_uri"]).secret
    code = pyotp.TOTP(secret).now()
    assert (
        world.client.post(
            "/api/v1/auth/totp/confirm", json={"code": code}, headers=headers
        ).status_code
        == 204
    )
    login = {"username": world.usernames[role], "password": PASSWORD}
    without = world.client.post("/api/v1/auth/token", data=login)
    assert without.status_code == 401
    assert without.json()["code"] == "totp_required"
    # The confirming code's step is spent; the next step's code is inside the ±1 window.
    next_code = pyotp.TOTP(secret).at(utcnow() + timedelta(seconds=30))
    with_code = world.client.post("/api/v1/auth/token", data={**login, "totp": next_code})
    assert with_code.status_code == 200
