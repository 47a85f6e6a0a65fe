"""`outbox deliver` says why deliveries failed and exits non-zero (was: "0 sent, 162 failed",
exit 0, no reason)."""

from __future__ import annotations

import os
import socket
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path

from databases import Opened

from health.clock import utcnow
from models.tables import Outbox

ROOT = Path(__file__).resolve().parents[2]
CLI = str(ROOT / ".venv" / "bin" / "officer-health")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_outbox_deliver_names_the_failure_and_exits_1(
    fresh_url: Callable[[], str], tmp_path: Path, opened: Opened
) -> None:
    url = fresh_url()
    env = {
        **os.environ,
        "OH_DATABASE_URL": url,
        "OH_VAR_DIR": str(tmp_path / "var"),
        "OH_SMTP_HOST": "127.0.0.1",
        "OH_SMTP_PORT": str(_closed_port()),
    }
    with opened.sessions(url).begin() as session:
        for i in range(3):
            session.add(
                Outbox(
                    id=uuid.uuid4(),
                    key=f"escalation/{i}",
                    recipient="manager@example.invalid",
                    channel="email",
                    subject="overdue",
                    body="a task is overdue",
                    created_at=utcnow(),
                    attempts=0,
                )
            )
    done = subprocess.run(
        [CLI, "outbox", "deliver"], env=env, capture_output=True, text=True, timeout=120
    )
    output = " ".join((done.stdout + done.stderr).split())  # the console wraps long lines
    assert done.returncode == 1, output
    assert "0 sent, 3 failed" in output
    assert "3 failed: SMTP delivery via 127.0.0.1" in output
    assert "ConnectionRefusedError: Connection refused" in output
    assert "manager@example.invalid" not in output
