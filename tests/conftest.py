"""Test databases: SQLite always, PostgreSQL whenever it is reachable (and required in CI).

Each backend gets its own freshly created database, built by ``alembic upgrade head`` once per
session; each test runs inside an outer transaction that is rolled back.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from databases import Opened
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from health.crypto import FileKeyProvider, Keyring
from health.services.context import SYSTEM, Ctx
from health.services.vault import Vault, unlock
from models.db import make_engine
from models.migrate import upgrade

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _postgres_admin_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", DEFAULT_PG)
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        if os.environ.get("OH_TEST_REQUIRE_POSTGRES") == "1":
            raise RuntimeError(f"PostgreSQL required but unreachable at {url}: {exc}") from exc
        return None
    return url


PG_ADMIN = _postgres_admin_url()
BACKENDS = ["sqlite"] + (["postgresql"] if PG_ADMIN else [])


class DatabaseFactory:
    """Creates empty, migrated databases and drops them when the session ends."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.created: list[str] = []

    def create(self, backend: str) -> str:
        url = self.create_empty(backend)
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        return url

    def create_empty(self, backend: str) -> str:
        """A new database without any schema (for tests that run the migration themselves)."""
        if backend == "sqlite":
            path = self.tmp / f"oh-{uuid.uuid4().hex[:8]}.db"
            url = f"sqlite:///{path}"
        else:
            assert PG_ADMIN is not None
            name = f"oh_test_{uuid.uuid4().hex[:12]}"
            admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
            url = make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
            self.created.append(name)
        return url

    def drop_all(self) -> None:
        if not self.created or PG_ADMIN is None:
            return
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            for name in self.created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(tmp_path_factory.mktemp("databases"))
    yield factory
    factory.drop_all()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def engine(backend: str, databases: DatabaseFactory) -> Iterator[Engine]:
    engine = make_engine(databases.create(backend))
    yield engine
    engine.dispose()


@pytest.fixture
def fresh_url(backend: str, databases: DatabaseFactory) -> Callable[[], str]:
    """An empty migrated database of this backend, for tests that must really commit."""
    return lambda: databases.create(backend)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    connection = engine.connect()
    outer = connection.begin()
    db = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield db
    finally:
        db.close()
        outer.rollback()
        connection.close()


@pytest.fixture(scope="session")
def keyring_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "keyring.json"
    FileKeyProvider(path).save(Keyring.generate())
    return path


@pytest.fixture
def vault(session: Session, keyring_file: Path) -> Vault:
    return unlock(session, FileKeyProvider(keyring_file), create=False)


@pytest.fixture
def ctx(session: Session, vault: Vault) -> Ctx:
    """A system context (CLI-equivalent); role-specific behaviour is tested through ``as_role``."""
    return Ctx(session, vault, SYSTEM)


@pytest.fixture
def opened() -> Iterator[Opened]:
    tracker = Opened()
    yield tracker
    for engine in tracker.engines:
        engine.dispose()
