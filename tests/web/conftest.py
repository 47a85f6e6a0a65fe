"""The pages' world: the API's small force on a fresh database of each backend."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from world import World, build_world


@pytest.fixture
def world(fresh_url: Callable[[], str], tmp_path: Path) -> Iterator[World]:
    built = build_world(fresh_url(), tmp_path)
    with built.client:
        yield built
