"""`make run` on an empty directory sets everything up and serves the API (a real process)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_make_run_serves_docs_and_readyz(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "OH_VAR_DIR": str(tmp_path / "var"), "OH_PORT": str(port)}
    env.pop("OH_DATABASE_URL", None)
    env.pop("OH_PASSWORD_PROFILE", None)
    log = (tmp_path / "make-run.log").open("w")
    process = subprocess.Popen(
        ["make", "-s", "run"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        ready = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.3)
        assert ready is not None, (tmp_path / "make-run.log").read_text()
        assert ready.status_code == 200
        assert httpx.get(f"http://127.0.0.1:{port}/docs", timeout=5).status_code == 200
        logins = json.loads((tmp_path / "var" / "demo-credentials.json").read_text())
        token = httpx.post(
            f"http://127.0.0.1:{port}/api/v1/auth/token",
            timeout=10,
            data={"username": "medic-b1", "password": logins["medic-b1"]["password"]},
        ).json()
        units = httpx.get(
            f"http://127.0.0.1:{port}/api/v1/units",
            timeout=5,
            headers={"Authorization": f"Bearer {token['access_token']}"},
        )
        assert len(units.json()) == 10, "the demo force is seeded"
        assert (tmp_path / "var" / "keyring.json").stat().st_mode & 0o777 == 0o600
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()
