"""An upload killed mid-way does not stay ``running`` forever (issue 9, #11): the next import,
or the next start of the service, marks it failed when its process is gone or silent."""

from __future__ import annotations

import socket
import subprocess
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from api.runtime import Runtime, start
from health.clock import utcnow
from health.services import imports
from health.settings import Settings
from models.tables import AuditEvent, Upload


def _upload(rt: Runtime, worker: str, heartbeat_minutes_ago: float) -> uuid.UUID:
    upload_id = uuid.uuid4()
    now = utcnow()
    with rt.sessions.begin() as session:
        session.add(
            Upload(
                id=upload_id,
                created_at=now - timedelta(hours=1),
                created_by="medic",
                kind="wide",
                mode="all",
                status="running",
                content_hash=uuid.uuid4().bytes * 2,
                catalog_version="1",
                worker=worker,
                heartbeat_at=now - timedelta(minutes=heartbeat_minutes_ago),
            )
        )
    return upload_id


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def _status(rt: Runtime, upload_id: uuid.UUID) -> str:
    with rt.sessions() as session:
        upload = session.get(Upload, upload_id)
        assert upload is not None
        return upload.status


def test_fail_stuck_fails_dead_or_silent_uploads_and_keeps_live_ones(
    fresh_url: Callable[[], str], tmp_path: Path
) -> None:
    rt = start(Settings(var_dir=tmp_path, database_url=fresh_url()))
    here = socket.gethostname()
    dead = _upload(rt, f"{here}:{_dead_pid()}", heartbeat_minutes_ago=0.1)
    silent = _upload(rt, "other-host:4242", heartbeat_minutes_ago=16)
    alive_elsewhere = _upload(rt, "other-host:4243", heartbeat_minutes_ago=14)
    this_process = _upload(rt, imports.worker_id(), heartbeat_minutes_ago=1)
    assert imports.fail_stuck(rt.sessions, rt.vault) == 2
    assert [_status(rt, u) for u in (dead, silent, alive_elsewhere, this_process)] == [
        "failed",
        "failed",
        "running",
        "running",
    ]
    with rt.sessions() as session:
        failed = session.scalars(
            select(AuditEvent.resource_id).where(AuditEvent.action == "upload.fail")
        ).all()
    assert sorted(failed) == sorted([str(dead), str(silent)])
    rt.engine.dispose()


def test_start_up_fails_uploads_left_running(fresh_url: Callable[[], str], tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path, database_url=fresh_url())
    rt = start(settings)
    stuck = _upload(rt, f"{socket.gethostname()}:{_dead_pid()}", heartbeat_minutes_ago=0.1)
    rt.engine.dispose()
    again = start(settings)
    assert _status(again, stuck) == "failed"
    again.engine.dispose()
