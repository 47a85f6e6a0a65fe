"""A small force with one account per role, served by the real app on a real database."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from api.runtime import Runtime, start
from health.services import accounts, audit_sequencer, checkups, officers, units
from health.services.context import SYSTEM, Ctx
from health.settings import Settings
from health.vocabulary import HUMAN_ROLES
from models.tables import Officer, Task

PASSWORD = "correct horse battery staple"
# The integrator is no person: it reads /fhir with a client credential and has its own test
# (test_authorization_matrix), so the per-role sweeps cover the people's roles.
INTEGRATOR = "integrator"
ROLES = tuple(r for r in HUMAN_ROLES if r != INTEGRATOR)


@dataclass
class Seeded:
    """What a seeded world holds, by id: the same in every copy of its database."""

    unit_in: uuid.UUID
    unit_out: uuid.UUID
    own: uuid.UUID
    in_scope: uuid.UUID
    out_of_scope: uuid.UUID
    emergency_target: uuid.UUID
    spare_user: uuid.UUID
    names: dict[uuid.UUID, str] = field(default_factory=dict)
    badges: dict[uuid.UUID, str] = field(default_factory=dict)
    usernames: dict[str, str] = field(default_factory=dict)
    tasks: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    units: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)


@dataclass(kw_only=True)
class World(Seeded):
    client: TestClient
    runtime: Runtime

    def login(self, role: str) -> str:
        response = self.client.post(
            "/api/v1/auth/token", data={"username": self.usernames[role], "password": PASSWORD}
        )
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    def headers(self, role: str) -> dict[str, str]:
        if role == INTEGRATOR:
            return {"Authorization": f"Bearer {self.client_token()}"}
        return {"Authorization": f"Bearer {self.login(role)}"}

    def client_token(self) -> str:
        """The integrator's token: OAuth2 client credentials, not a person's login."""
        response = self.client.post(
            "/api/v1/auth/client-token",
            data={
                "grant_type": "client_credentials",
                "client_id": self.usernames[INTEGRATOR],
                "client_secret": PASSWORD,
            },
        )
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])


def seed_world(url: str, var: Path) -> Seeded:
    """Write the force, its people and accounts into an empty migrated database (and ``var``)."""
    rt = start(_settings(url, var))
    people = {}
    with rt.sessions.begin() as session:
        ctx = Ctx(session, rt.vault, SYSTEM)
        force = units.create(ctx, code="F", name="Force", kind="force", parent_id=None)
        bureau_a = units.create(ctx, code="A", name="Bureau A", kind="bureau", parent_id=force.id)
        bureau_b = units.create(ctx, code="B", name="Bureau B", kind="bureau", parent_id=force.id)
        a1 = units.create(ctx, code="A1", name="Station A1", kind="station", parent_id=bureau_a.id)
        a2 = units.create(ctx, code="A2", name="Station A2", kind="station", parent_id=bureau_a.id)
        b1 = units.create(ctx, code="B1", name="Station B1", kind="station", parent_id=bureau_b.id)
        for key, unit, name, badge in (
            ("own", a1, "Alpha Ownington", "OWN0001"),
            ("in", a2, "Bravo Inscope", "INS0002"),
            ("out", b1, "Charlie Outscope", "OUT0003"),
            ("em", b1, "Delta Emergency", "EMG0004"),
        ):
            new = officers.register(
                ctx, officers.OfficerIn(unit.id, badge, name, date(1984, 2, 29), "M")
            )
            checkups.submit(ctx, new.id, date(2026, 3, 3), {"glu": 7.31, "sbp": 151})
            people[key] = (new.id, name, badge)
        policy = rt.auth
        usernames = {}
        for role, unit_ids, officer_id in (
            ("officer", [], people["own"][0]),
            ("medic", [bureau_a.id], None),
            ("unit_manager", [bureau_a.id], None),
            ("auditor", [], None),
            ("admin", [], None),
            (INTEGRATOR, [bureau_a.id], None),
        ):
            username = f"{role}-user"
            accounts.create_user(
                ctx,
                policy,
                username=username,
                role=role,
                password=PASSWORD,
                unit_ids=unit_ids,
                officer_id=officer_id,
            )
            usernames[role] = username
        spare = accounts.create_user(
            ctx, policy, username="spare-medic", role="medic", password=PASSWORD, unit_ids=[a1.id]
        )
    # Chained as a running service's sequencer would have left it: every copy is served later,
    # possibly after the chain's bound, and its first sequencer round waits a whole interval.
    audit_sequencer.sequence(rt.sessions, rt.vault.hasher)
    with rt.sessions() as session:
        tasks = dict(session.execute(select(Task.officer_id, Task.id)).all())
        unit_of = dict(session.execute(select(Officer.id, Officer.unit_id)).all())
    rt.engine.dispose()
    return Seeded(
        unit_in=a2.id,
        unit_out=b1.id,
        own=people["own"][0],
        in_scope=people["in"][0],
        out_of_scope=people["out"][0],
        emergency_target=people["em"][0],
        spare_user=spare.id,
        names={v[0]: v[1] for v in people.values()},
        badges={v[0]: v[2] for v in people.values()},
        usernames=usernames,
        tasks=tasks,
        units=unit_of,
    )


def open_world(url: str, var: Path, seeded: Seeded) -> World:
    """Serve a seeded database (or a copy of one, with a copy of its ``var``)."""
    settings = _settings(url, var)
    rt = start(settings)
    client = TestClient(create_app(settings, rt))
    return World(client=client, runtime=rt, **dataclasses.asdict(seeded))


def build_world(url: str, var: Path) -> World:
    return open_world(url, var, seed_world(url, var))


def _settings(url: str, var: Path) -> Settings:
    return Settings(var_dir=var, database_url=url, password_profile="fast-insecure")
