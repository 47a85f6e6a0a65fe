"""A serving worker freezes what start-up built, so a full garbage collection no longer walks it
(about 240,000 long-lived objects: each full collection was a pause for every request in
flight). An app given a runtime by its caller (tests, ``serve --workers 1``) leaves the
heap to that caller."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.runtime import start
from health.settings import Settings


@pytest.fixture
def settings(fresh_url: Callable[[], str], tmp_path: Path) -> Iterator[Settings]:
    gc.unfreeze()
    try:
        yield Settings(
            var_dir=tmp_path,
            database_url=fresh_url(),
            password_profile="fast-insecure",
            audit_sequence_seconds=0,
        )
    finally:
        gc.unfreeze()  # what a test froze goes back to the collector


def test_a_worker_that_starts_its_own_runtime_freezes_its_startup_heap(
    settings: Settings,
) -> None:
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").status_code == 200
        assert gc.get_freeze_count() > 10_000


def test_an_app_given_its_runtime_leaves_the_heap_alone(settings: Settings) -> None:
    runtime = start(settings)
    with TestClient(create_app(settings, runtime)) as client:
        assert client.get("/healthz").status_code == 200
        assert gc.get_freeze_count() == 0
