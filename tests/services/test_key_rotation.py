"""KEK rotation re-wraps every data key, resumes after an interruption, retires the old KEK."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from databases import Opened
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from health.crypto import FileKeyProvider, unwrap_dek
from health.errors import Forbidden, KeyringError
from health.services import audit, checkups, keys, officers
from health.services.context import SYSTEM, Actor, Ctx
from health.services.vault import unlock
from models.tables import AuditEvent, OfficerKey

from factories import make_checkup, make_officer, make_unit


class Interrupted(Exception):
    pass


def _force(sessions: sessionmaker[Session], provider: FileKeyProvider, n: int) -> list[str]:
    with sessions.begin() as session:
        ctx = Ctx(session, unlock(session, provider, create=True), SYSTEM)
        unit = make_unit(ctx)
        ids = []
        for i in range(n):
            new = make_officer(ctx, unit=unit, name=f"Rotating {i}")
            make_checkup(ctx, new.id, glu=5.0 + i / 10)
            ids.append(str(new.id))
    return ids


def _all_open(sessions: sessionmaker[Session], provider: FileKeyProvider) -> list[str]:
    with sessions.begin() as session:
        ctx = Ctx(session, unlock(session, provider, create=False), SYSTEM)
        names = []
        for key in session.scalars(select(OfficerKey)).all():
            names.append(officers.get(ctx, key.officer_id).name)
            assert checkups.of_officer(ctx, key.officer_id)
        assert audit.verify(session, ctx.vault.hasher).ok
        return sorted(names)


def _kek_versions(sessions: sessionmaker[Session]) -> set[int]:
    with sessions() as session:
        return set(session.scalars(select(OfficerKey.kek_version)).all())


def test_rotate_rewraps_every_key_under_new_version_only(
    fresh_url: Callable[[], str], tmp_path: Path, opened: Opened
) -> None:
    sessions = opened.sessions(fresh_url())
    provider = FileKeyProvider(tmp_path / "k.json")
    _force(sessions, provider, 7)
    before = _all_open(sessions, provider)
    report = keys.rotate(sessions, provider, batch_size=3)
    assert (report.kek_version, report.rewrapped, report.retired) == (2, 7, (1,))
    assert _kek_versions(sessions) == {2}
    assert set(provider.load().keks) == {2}
    assert _all_open(sessions, provider) == before


def test_interrupted_rotation_resumes_and_completes(
    fresh_url: Callable[[], str], tmp_path: Path, opened: Opened
) -> None:
    sessions = opened.sessions(fresh_url())
    provider = FileKeyProvider(tmp_path / "k.json")
    _force(sessions, provider, 7)
    before = _all_open(sessions, provider)

    def crash(batch: int) -> None:
        raise Interrupted(batch)

    with pytest.raises(Interrupted):
        keys.rotate(sessions, provider, batch_size=3, after_batch=crash)
    assert _kek_versions(sessions) == {1, 2}
    assert set(provider.load().keks) == {1, 2}
    assert _all_open(sessions, provider) == before
    report = keys.rotate(sessions, provider, batch_size=3)
    assert report.resumed and report.kek_version == 2 and report.rewrapped == 4
    assert _kek_versions(sessions) == {2}
    assert _all_open(sessions, provider) == before


def test_rotated_away_kek_no_longer_opens_old_wrapping(
    fresh_url: Callable[[], str], tmp_path: Path, opened: Opened
) -> None:
    sessions = opened.sessions(fresh_url())
    provider = FileKeyProvider(tmp_path / "k.json")
    _force(sessions, provider, 1)
    with sessions() as session:
        old = session.scalars(select(OfficerKey)).one()
        old_wrapped, officer_id = old.wrapped_dek, str(old.officer_id)
    keys.rotate(sessions, provider)
    keyring = provider.load()
    with pytest.raises(KeyringError, match="KEK version 1 is not in the keyring"):
        unwrap_dek(keyring.kek(1), 1, old_wrapped, officer_id)


@pytest.mark.parametrize("role", ["medic", "officer", "auditor", "unit_manager"])
def test_rotation_by_a_role_without_key_permission_is_refused_and_audited(
    fresh_url: Callable[[], str], tmp_path: Path, opened: Opened, role: str
) -> None:
    sessions = opened.sessions(fresh_url())
    provider = FileKeyProvider(tmp_path / "k.json")
    _force(sessions, provider, 1)
    with pytest.raises(Forbidden):
        keys.rotate(sessions, provider, actor=Actor(id=f"{role}-1", role=role))
    assert _kek_versions(sessions) == {1} and set(provider.load().keks) == {1}
    with sessions() as session:
        refused = session.scalars(select(AuditEvent).where(AuditEvent.action == "key.rotate")).all()
    assert [(e.actor_role, e.outcome) for e in refused] == [(role, "denied")]


def test_rotation_by_an_admin_account_rewraps(
    fresh_url: Callable[[], str], tmp_path: Path, opened: Opened
) -> None:
    sessions = opened.sessions(fresh_url())
    provider = FileKeyProvider(tmp_path / "k.json")
    _force(sessions, provider, 2)
    report = keys.rotate(sessions, provider, actor=Actor(id="admin-1", role="admin"))
    assert report.rewrapped == 2
