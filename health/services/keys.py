"""Key lifecycle: KEK rotation (re-wrap data keys only, resumable) and crypto-shredding."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from health import permissions
from health.clock import utcnow
from health.crypto import KeyProvider, key_check_value
from health.crypto.envelope import unwrap_dek, wrap_dek
from health.errors import Forbidden, NotFound
from health.services import access, audit, finding_tally
from health.services.context import SYSTEM, Actor, Ctx
from health.services.vault import Vault, kek_check_name, unlock
from health.vocabulary import Action
from models.repositories import keys as keys_repo
from models.repositories import officers as officers_repo


@dataclass(frozen=True)
class RotationReport:
    kek_version: int
    rewrapped: int
    remaining: int
    retired: tuple[int, ...]
    resumed: bool


def rotate(
    sessions: sessionmaker[Session],
    provider: KeyProvider,
    *,
    batch_size: int = 500,
    actor: Actor = SYSTEM,
    after_batch: Callable[[int], None] | None = None,
) -> RotationReport:
    """Make a new KEK current and re-wrap every data key under it, one committed batch at a time.

    A run that finds keys still wrapped by an older version resumes that rotation instead of
    starting another; old versions leave the keyring only once no key needs them.
    """
    with sessions.begin() as session:
        vault = unlock(session, provider, create=False)
        allowed = permissions.allows(actor.role, Action.KEY_ROTATE)
        if not allowed:
            audit.record(Ctx(session, vault, actor), Action.KEY_ROTATE, "role", outcome="denied")
    if not allowed:
        raise Forbidden(f"the {actor.role} role may not do this", code="role_forbidden")
    with sessions.begin() as session:
        pending = sum(
            n
            for v, n in officers_repo.count_keys_by_kek(session).items()
            if v != vault.keyring.current
        )
        resumed = pending > 0
        if not resumed:
            keyring = vault.keyring.with_new_version()
            provider.save(keyring)
            keys_repo.add_check(
                session,
                kek_check_name(keyring.current),
                key_check_value(keyring.kek(keyring.current)),
                utcnow(),
            )
            vault = Vault(provider, keyring)
            audit.record(
                Ctx(session, vault, actor),
                "keys.rotate.start",
                "keyring",
                resource_id=f"kek:{keyring.current}",
            )
    current = vault.keyring.current
    new_kek = vault.keyring.kek(current)
    rewrapped = 0
    batches = 0
    while True:
        with sessions.begin() as session:
            batch = officers_repo.keys_not_on(session, current, batch_size)
            if not batch:
                break
            for key in batch:
                dek = unwrap_dek(
                    vault.keyring.kek(key.kek_version),
                    key.kek_version,
                    key.wrapped_dek,
                    str(key.officer_id),
                )
                key.wrapped_dek = wrap_dek(new_kek, current, dek, str(key.officer_id))
                key.kek_version = current
                key.wrapped_at = utcnow()
            rewrapped += len(batch)
            audit.record(
                Ctx(session, vault, actor),
                "keys.rewrap",
                "officer_key",
                detail=f"count={len(batch)} kek={current}",
            )
        batches += 1
        if after_batch is not None:
            after_batch(batches)
    retired = tuple(sorted(v for v in vault.keyring.keks if v != current))
    with sessions.begin() as session:
        for version in retired:
            keys_repo.retire(session, kek_check_name(version), utcnow())
        audit.record(
            Ctx(session, vault, actor),
            "keys.rotate.complete",
            "keyring",
            resource_id=f"kek:{current}",
            detail=f"rewrapped={rewrapped}",
        )
        if retired:
            provider.save(vault.keyring.without(set(retired)))
    return RotationReport(current, rewrapped, 0, retired, resumed)


def erase_officer(ctx: Ctx, officer_id: uuid.UUID) -> None:
    """Crypto-shred one officer: destroy the data key; audit rows keep only the id."""
    access.require(ctx, Action.OFFICER_ERASE)
    officer = officers_repo.get(ctx.session, officer_id)
    if officer is None or officer.erased_at is not None:
        raise NotFound("officer not found", code="officer_not_found")
    finding_tally.retire_officer(ctx, officer_id)
    officers_repo.shred(ctx.session, officer_id, ctx.clock())
    audit.record(
        ctx, "officer.erase", "officer", resource_id=str(officer_id), officer_id=officer_id
    )
