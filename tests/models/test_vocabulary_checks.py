"""The database refuses words outside the closed vocabularies (CHECK constraints, both
backends), the ORM loads the words as the vocabulary's enums, and the migration goes back down."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import IntegrityError

from health.clock import utcnow
from health.vocabulary import Role
from models.db import make_engine, make_sessionmaker
from models.migrate import downgrade, upgrade
from models.tables import AppUser

BEFORE = "worker_queue"


def _add_user(engine: Engine, role: str) -> None:
    user_id = uuid.uuid4()
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO app_user (id, username, role, disabled, created_at, totp_enabled, "
                "failed_logins) VALUES (:id, :username, :role, false, :at, false, 0)"
            ),
            {
                "id": user_id if engine.dialect.name == "postgresql" else user_id.hex,
                "username": f"u-{user_id.hex[:8]}",
                "role": role,
                "at": utcnow(),
            },
        )


@pytest.fixture
def engine(fresh_url: Callable[[], str]) -> Iterator[Engine]:
    made = make_engine(fresh_url())
    yield made
    made.dispose()


def test_an_unknown_role_is_refused_by_the_database(engine: Engine) -> None:
    _add_user(engine, "medic")
    with pytest.raises(IntegrityError):
        _add_user(engine, "nurse")
    with pytest.raises(IntegrityError):
        _add_user(engine, "system")  # the system actor holds no account


def test_roles_load_as_the_vocabulary_enum(engine: Engine) -> None:
    _add_user(engine, "unit_manager")
    with make_sessionmaker(engine)() as session:
        role = session.scalars(select(AppUser.role)).one()
    assert role is Role.MANAGER


def test_the_checks_come_off_on_downgrade_and_back_on_upgrade(engine: Engine) -> None:
    downgrade(engine, BEFORE)
    _add_user(engine, "medic")
    upgrade(engine)
    with pytest.raises(IntegrityError):
        _add_user(engine, "nurse")
