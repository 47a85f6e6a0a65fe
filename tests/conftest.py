"""Test databases: SQLite always, PostgreSQL whenever it is reachable (and required in CI).

Each backend's migrations run once per session into a template database; every database a test
asks for is a copy of it. Each test on the shared ``engine`` runs inside an outer transaction
that is rolled back; tests that must really commit get a copy of their own (``fresh_url``), and
API and page tests a copy of a seeded world (``world``).
"""

from __future__ import annotations

import hashlib
import os
import queue
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from databases import Opened
from hypothesis import settings
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool
from world import Seeded, World, open_world, seed_world

from health.crypto import FileKeyProvider, Keyring
from health.services.context import SYSTEM, Ctx
from health.services.vault import Vault, unlock
from models.db import make_engine
from models.migrate import upgrade

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

# Every draw at random is reproducible: one base seed per run, printed in the header and
# overridable (OH_TEST_SEED=1234 make test); Hypothesis is derandomised the same way unless
# OH_HYPOTHESIS_PROFILE=explore asks it to search afresh.
BASE_SEED = int(os.environ.get("OH_TEST_SEED", "20261130"))
settings.register_profile("deterministic", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("OH_HYPOTHESIS_PROFILE", "deterministic"))


def pytest_report_header() -> str:
    profile = settings.get_current_profile_name()
    return f"random seed: OH_TEST_SEED={BASE_SEED} (hypothesis profile {profile})"


@pytest.fixture
def seed(request: pytest.FixtureRequest) -> int:
    """This test's seed: the run's base seed mixed with the test's id, so tests draw
    independently of each other and of their order; a failure message should name it."""
    digest = hashlib.sha256(f"{BASE_SEED}:{request.node.nodeid}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


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


# OH_TEST_BACKENDS=sqlite narrows a local run (make test-fast); CI runs both.
ONLY = os.environ.get("OH_TEST_BACKENDS", "sqlite,postgresql").split(",")

# Test databases do not wait for each commit's WAL flush (about 7 ms on this machine's disk,
# paid by every request a test makes): what they test is what was committed, never whether it
# survives a crash of the server itself. Every other behaviour of PostgreSQL is unchanged.
NO_FLUSH_WAIT = {"options": "-csynchronous_commit=off"}
SPARES_PER_TEMPLATE = 2
PG_ADMIN = _postgres_admin_url() if "postgresql" in ONLY else None
BACKENDS = ["sqlite"] + (["postgresql"] if PG_ADMIN else [])


class DatabaseFactory:
    """Empty migrated databases, cloned from one migrated template per backend.

    Migrations run once per backend and session; every later database is a copy of that
    template (``CREATE DATABASE … TEMPLATE`` on PostgreSQL, a file copy on SQLite), and so is
    any seeded database a fixture wants to hand out many times (``clone``).
    """

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.created: list[str] = []
        self.templates: dict[str, str] = {}
        self._released: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._dropper: threading.Thread | None = None
        self._spares: dict[str, queue.Queue[str | BaseException]] = {}
        self._fillers: list[threading.Thread] = []
        self._closing = threading.Event()

    def create(self, backend: str) -> str:
        if backend not in self.templates:
            url = self.create_empty(backend)
            engine = make_engine(url)
            upgrade(engine)
            engine.dispose()
            self.templates[backend] = url
        return self.clone(self.templates[backend])

    def clone(self, template_url: str) -> str:
        """A new database with the template's content; nobody may be connected to the
        template meanwhile (PostgreSQL's rule; on SQLite the file must be checkpointed)."""
        template = make_url(template_url)
        if template.get_backend_name() == "sqlite":
            assert template.database is not None
            path = self.tmp / f"oh-{uuid.uuid4().hex[:8]}.db"
            for suffix in ("", "-wal"):
                source = Path(template.database + suffix)
                if source.exists():
                    shutil.copyfile(source, Path(f"{path}{suffix}"))
            path.chmod(0o600)
            return f"sqlite:///{path}"
        spare = self._spares_of(template_url).get()
        if isinstance(spare, BaseException):
            raise spare
        return spare

    def _spares_of(self, template_url: str) -> queue.Queue[str | BaseException]:
        """Copies of a PostgreSQL template made ahead by a background thread: CREATE DATABASE
        mostly waits on the disk (about a second when the machine is busy), and a test
        should not wait with it."""
        spares = self._spares.get(template_url)
        if spares is None:
            spares = self._spares[template_url] = queue.Queue(maxsize=SPARES_PER_TEMPLATE)
            filler = threading.Thread(target=self._fill, args=(template_url, spares), daemon=True)
            self._fillers.append(filler)
            filler.start()
        return spares

    def _fill(self, template_url: str, spares: queue.Queue[str | BaseException]) -> None:
        template = make_url(template_url)
        while not self._closing.is_set():
            name = f"oh_test_{uuid.uuid4().hex[:12]}"
            try:
                self._copy(name, str(template.database))
            except Exception as exc:  # the test that asks next sees why
                spares.put(exc)
                return
            self.created.append(name)
            made = template.set(database=name).render_as_string(hide_password=False)
            while not self._closing.is_set():
                try:
                    spares.put(made, timeout=0.2)
                    break
                except queue.Full:
                    continue

    def create_empty(self, backend: str) -> str:
        """A new database without any schema (the template, or a test that migrates itself)."""
        if backend == "sqlite":
            return f"sqlite:///{self.tmp / f'oh-{uuid.uuid4().hex[:8]}.db'}"
        assert PG_ADMIN is not None
        name = f"oh_test_{uuid.uuid4().hex[:12]}"
        self._admin(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        url = make_url(PG_ADMIN).set(database=name).update_query_dict(NO_FLUSH_WAIT)
        return url.render_as_string(hide_password=False)

    def _admin(self, statement: str) -> None:
        assert PG_ADMIN is not None
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        try:
            with admin.connect() as connection:
                connection.execute(text(statement))
        finally:
            admin.dispose()

    def release(self, url: str) -> None:
        """A test is done with this database: PostgreSQL drops it in the background (each
        DROP DATABASE waits for a checkpoint, so dropping hundreds at the end took minutes)."""
        name = make_url(url).database
        if make_url(url).get_backend_name() != "postgresql" or name not in self.created:
            return
        self.created.remove(name)
        if self._dropper is None:
            self._dropper = threading.Thread(target=self._drop_released, daemon=True)
            self._dropper.start()
        self._released.put(name)

    def _copy(self, name: str, template: str) -> None:
        """CREATE DATABASE … TEMPLATE, retried while the template's last session (a process
        that seeded it, say) is still ending on the server."""
        for attempt in range(5):
            try:
                self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                return
            except OperationalError:
                if attempt == 4:
                    raise
                time.sleep(1 + attempt)

    def _drop_released(self) -> None:
        while (name := self._released.get()) is not None:
            try:
                self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except OperationalError:
                self.created.append(name)  # drop_all tries again at the end

    def drop_all(self) -> None:
        self._closing.set()
        for filler in self._fillers:
            filler.join()
        if self._dropper is not None:
            self._released.put(None)
            self._dropper.join()
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
def fresh_url(backend: str, databases: DatabaseFactory) -> Iterator[Callable[[], str]]:
    """An empty migrated database of this backend, for tests that must really commit."""
    made: list[str] = []

    def create() -> str:
        made.append(databases.create(backend))
        return made[-1]

    yield create
    for url in made:
        databases.release(url)


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


@pytest.fixture(scope="session")
def world_template(
    backend: str, databases: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path, Seeded]:
    """The small force of ``world.py`` seeded once per backend; tests get copies of it."""
    var = tmp_path_factory.mktemp(f"world-{backend}")
    url = databases.create(backend)
    return url, var, seed_world(url, var)


@pytest.fixture
def world(
    world_template: tuple[str, Path, Seeded], databases: DatabaseFactory, tmp_path: Path
) -> Iterator[World]:
    """A copy of the seeded world (database and ``var``: the keyring that seals it) served by
    the real app; each test writes to its own copy."""
    template_url, template_var, seeded = world_template
    shutil.copytree(template_var, tmp_path, dirs_exist_ok=True)
    url = databases.clone(template_url)
    built = open_world(url, tmp_path, seeded)
    with built.client:
        yield built
    built.runtime.engine.dispose()
    databases.release(url)


@pytest.fixture(scope="session")
def demo_template(
    backend: str, databases: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path]:
    """``officer-health demo`` (2 officers per station, 2 years), run once per backend as a real
    process; the operator-command tests get copies of it."""
    from operator_cli import Cli

    var = tmp_path_factory.mktemp(f"demo-{backend}")
    url = databases.create(backend)
    Cli(url, var, process=True)("demo", "--officers-per-station", "2", "--years", "2")
    return url, var


@pytest.fixture
def demo_copy(
    demo_template: tuple[str, Path], databases: DatabaseFactory, tmp_path: Path
) -> Iterator[tuple[str, Path]]:
    """A copy of the demo database and of the ``var`` (keyring, demo logins) that goes with it."""
    template_url, template_var = demo_template
    var = tmp_path / "var"
    shutil.copytree(template_var, var)
    url = databases.clone(template_url)
    yield url, var
    databases.release(url)
