"""Helpers for tests that need their own committed databases."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from models.db import make_engine, make_sessionmaker


class Opened:
    """Engines opened by a test on committed databases, disposed when the test ends."""

    def __init__(self) -> None:
        self.engines: list[Engine] = []

    def sessions(self, url: str) -> sessionmaker[Session]:
        engine = make_engine(url)
        self.engines.append(engine)
        return make_sessionmaker(engine)


def kill_other_connections(url: str) -> int:
    """What a server restart or ``pg_terminate_backend`` does to a pool: every other
    connection to this database dropped by the server. Returns how many were."""
    outsider = create_engine(url, isolation_level="AUTOCOMMIT")
    with outsider.connect() as connection:
        killed = connection.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar_one()
    outsider.dispose()
    return int(killed)
