"""Queries on accounts, their unit assignments and their login sessions."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, case, delete, func, literal, or_, select, update
from sqlalchemy.orm import Session

from health.vocabulary import Role
from models.tables import AppUser, AuthSession, Unit, UserUnit
from models.tables_auth import RetiredRefresh
from models.types import UTCDateTime


def add(session: Session, user: AppUser) -> AppUser:
    session.add(user)
    session.flush()
    return user


def get(session: Session, user_id: uuid.UUID) -> AppUser | None:
    return session.get(AppUser, user_id)


def by_username(session: Session, username: str) -> AppUser | None:
    """Case-insensitive: "Medic-B1" and "medic-b1" are one account."""
    query = select(AppUser).where(func.lower(AppUser.username) == func.lower(username))
    return session.scalars(query).one_or_none()


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


def by_officer(session: Session, officer_id: uuid.UUID) -> AppUser | None:
    return session.scalars(select(AppUser).where(AppUser.officer_id == officer_id)).one_or_none()


def count_attempt(
    session: Session, username: str, now: datetime, threshold: int, until: datetime
) -> tuple[uuid.UUID, int] | None:
    """Count one login attempt in a single UPDATE ... RETURNING, or None when the account is
    unknown or locked.

    The row is matched, counted and (at the threshold) locked in one statement: PostgreSQL
    re-checks the WHERE clause on the locked row and SQLite runs writers one at a time, so
    concurrent attempts never read the same count. An expired lock starts a fresh count.
    """
    expired = and_(AppUser.locked_until.is_not(None), AppUser.locked_until <= now)
    count = case((expired, 1), else_=AppUser.failed_logins + 1)
    statement = (
        update(AppUser)
        .where(
            func.lower(AppUser.username) == func.lower(username),
            or_(AppUser.locked_until.is_(None), AppUser.locked_until <= now),
        )
        .values(
            failed_logins=count,
            locked_until=case((count >= threshold, literal(until, UTCDateTime())), else_=None),
        )
        .returning(AppUser.id, AppUser.failed_logins)
        .execution_options(synchronize_session=False)
    )
    row = session.execute(statement).one_or_none()
    return (row[0], int(row[1])) if row else None


def clear_failures(session: Session, user_id: uuid.UUID) -> None:
    session.execute(
        update(AppUser)
        .where(AppUser.id == user_id)
        .values(failed_logins=0, locked_until=None)
        .execution_options(synchronize_session=False)
    )


def claim_totp_step(session: Session, user_id: uuid.UUID, step: int) -> bool:
    """Record ``step`` as used unless it (or a later one) already was; True when claimed."""
    result = session.execute(
        update(AppUser)
        .where(
            AppUser.id == user_id,
            or_(AppUser.totp_last_step.is_(None), AppUser.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    claimed = bool(getattr(result, "rowcount", 0) == 1)
    if claimed:
        user = session.get(AppUser, user_id)
        if user is not None:
            session.refresh(user, ["totp_last_step"])
    return claimed


def retire_refresh(
    session: Session, refresh_hash: bytes, session_id: uuid.UUID, when: datetime
) -> None:
    session.add(RetiredRefresh(refresh_hash=refresh_hash, session_id=session_id, retired_at=when))
    session.flush()


def retired_refresh(session: Session, refresh_hash: bytes) -> RetiredRefresh | None:
    return session.get(RetiredRefresh, refresh_hash)


def count_active_admins(session: Session, *, excluding: uuid.UUID | None = None) -> int:
    query = (
        select(func.count())
        .select_from(AppUser)
        .where(AppUser.role == Role.ADMIN, AppUser.disabled.is_(False))
    )
    if excluding is not None:
        query = query.where(AppUser.id != excluding)
    return int(session.scalar(query) or 0)
