"""A retry racing its original under one Idempotency-Key (issue 9, #11): the loser gets 409 with
Retry-After and writes nothing, never a 500; a later retry replays the winner's answer."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select
from world import World

from models.tables import AppUser, IdempotencyKey, Task


def _recheck_task(world: World) -> Task:
    with world.runtime.sessions() as session:
        task = session.scalars(
            select(Task).where(Task.officer_id == world.in_scope).order_by(Task.id)
        ).first()
        assert task is not None
        return task


def test_the_loser_of_a_race_on_one_idempotency_key_gets_409_and_writes_nothing(
    world: World, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite serialises the whole write; the race needs row-level locking")
    task = _recheck_task(world)
    headers = world.headers("medic")
    with world.runtime.sessions() as session:
        medic = session.scalars(select(AppUser).where(AppUser.username == "medic-user")).one()
    # The original request, mid-flight: its key row is written but not yet committed.
    original = world.runtime.sessions()
    original.add(
        IdempotencyKey(
            user_id=str(medic.id),
            key="accept-1",
            request_hash=b"\0" * 32,
            status_code=200,
            response="{}",
            created_at=datetime.now(UTC),
        )
    )
    original.flush()
    answers: list[Any] = []
    retry = threading.Thread(
        target=lambda: answers.append(
            world.client.post(
                f"/api/v1/tasks/{task.id}/transitions",
                json={"action": "accept"},
                headers={**headers, "If-Match": f'"{task.version}"', "Idempotency-Key": "accept-1"},
            )
        )
    )
    retry.start()
    time.sleep(1.0)  # the retry now waits on the original's uncommitted key
    original.commit()
    original.close()
    retry.join(timeout=30)
    (answer,) = answers
    assert answer.status_code == 409, answer.text
    assert answer.json()["code"] == "concurrent_write"
    assert answer.headers["Retry-After"] == "1"
    with world.runtime.sessions() as session:
        unchanged = session.get(Task, task.id)
        assert unchanged is not None
        assert (unchanged.status, unchanged.version) == (task.status, task.version)
