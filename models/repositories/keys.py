"""Key check values: the database's record of which keys its ciphertexts need."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.tables import KeyCheck


def all_checks(session: Session) -> Sequence[KeyCheck]:
    return session.scalars(select(KeyCheck).order_by(KeyCheck.name)).all()


def add_check(session: Session, name: str, kcv: str, when: datetime) -> None:
    session.add(KeyCheck(name=name, kcv=kcv, created_at=when))
    session.flush()


def retire(session: Session, name: str, when: datetime) -> None:
    session.execute(update(KeyCheck).where(KeyCheck.name == name).values(retired_at=when))
