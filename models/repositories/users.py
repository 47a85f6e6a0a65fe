"""Queries on accounts, their unit assignments and their login sessions."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from models.tables import AppUser, AuthSession, Unit, UserUnit


def add(session: Session, user: AppUser) -> AppUser:
    session.add(user)
    session.flush()
    return user


def get(session: Session, user_id: uuid.UUID) -> AppUser | None:
    return session.get(AppUser, user_id)


def by_username(session: Session, username: str) -> AppUser | None:
    return session.scalars(select(AppUser).where(AppUser.username == username)).one_or_none()


def list_all(session: Session) -> Sequence[AppUser]:
    return session.scalars(select(AppUser).order_by(AppUser.username)).all()


def set_units(session: Session, user_id: uuid.UUID, unit_ids: Sequence[uuid.UUID]) -> None:
    session.execute(delete(UserUnit).where(UserUnit.user_id == user_id))
    session.add_all(UserUnit(user_id=user_id, unit_id=unit_id) for unit_id in unit_ids)
    session.flush()


def unit_paths(session: Session, user_id: uuid.UUID) -> tuple[str, ...]:
    query = (
        select(Unit.path)
        .join(UserUnit, UserUnit.unit_id == Unit.id)
        .where(UserUnit.user_id == user_id)
        .order_by(Unit.path)
    )
    return tuple(session.scalars(query).all())


def unit_ids(session: Session, user_id: uuid.UUID) -> list[uuid.UUID]:
    return list(session.scalars(select(UserUnit.unit_id).where(UserUnit.user_id == user_id)))


def add_session(session: Session, auth_session: AuthSession) -> None:
    session.add(auth_session)
    session.flush()


def session_with_user(
    session: Session, session_id: uuid.UUID
) -> tuple[AuthSession, AppUser] | None:
    query = (
        select(AuthSession, AppUser)
        .join(AppUser, AppUser.id == AuthSession.user_id)
        .where(AuthSession.id == session_id)
    )
    row = session.execute(query).one_or_none()
    return (row[0], row[1]) if row else None


def session_by_refresh(session: Session, refresh_hash: bytes) -> AuthSession | None:
    query = select(AuthSession).where(AuthSession.refresh_hash == refresh_hash)
    return session.scalars(query.with_for_update()).one_or_none()


def touch_session(session: Session, session_id: uuid.UUID, when: datetime) -> None:
    session.execute(
        update(AuthSession).where(AuthSession.id == session_id).values(last_used_at=when)
    )


def revoke_sessions_of(session: Session, user_id: uuid.UUID, when: datetime) -> None:
    session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=when)
    )


def revoke_session(session: Session, session_id: uuid.UUID, when: datetime) -> None:
    session.execute(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=when)
    )
