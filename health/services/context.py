"""Who is acting, on which session, with which keys: passed to every use case."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from health.clock import utcnow
from health.services.vault import Vault


@dataclass(frozen=True)
class Actor:
    """The caller. Until accounts exist, the bootstrap token acts as the ``operator`` role."""

    id: str
    role: str
    source: str | None = None


SYSTEM = Actor(id="system", role="system", source="cli")


@dataclass
class Ctx:
    session: Session
    vault: Vault
    actor: Actor
    clock: Callable[[], datetime] = field(default=utcnow)
