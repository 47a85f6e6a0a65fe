"""Helpers for tests that need their own committed databases."""

from __future__ import annotations

from sqlalchemy import Engine
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
