"""Who is acting, on which session, with which keys: passed to every use case."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from health.clock import utcnow
from health.services.vault import Vault
from health.vocabulary import HUMAN_ROLES, Role

# Short names for the roles of health.vocabulary, kept for the many callers that import them.
OFFICER = Role.OFFICER
MEDIC = Role.MEDIC
MANAGER = Role.MANAGER
AUDITOR = Role.AUDITOR
ADMIN = Role.ADMIN
INTEGRATOR = Role.INTEGRATOR
SYSTEM_ROLE = Role.SYSTEM
ROLES = HUMAN_ROLES


@dataclass(frozen=True)
class Actor:
    """The caller, as established by authentication; scope comes from the database, not input."""

    id: str
    role: Role
    source: str | None = None
    user_id: uuid.UUID | None = None
    officer_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = None
    unit_paths: tuple[str, ...] = ()


SYSTEM = Actor(id="system", role=SYSTEM_ROLE, source="cli")


def anonymous(source: str | None) -> Actor:
    """A caller who has not signed in yet (login, refresh); ``source`` is their address."""
    return Actor(id=str(Role.ANONYMOUS), role=Role.ANONYMOUS, source=source)


@dataclass
class Ctx:
    """One unit of work. ``deferred`` runs in a fresh transaction after a rollback, so a denied
    access or failed login is audited even though the request itself changes nothing."""

    session: Session
    vault: Vault
    actor: Actor
    clock: Callable[[], datetime] = field(default=utcnow)
    deferred: list[Callable[[Ctx], None]] = field(default_factory=list)
