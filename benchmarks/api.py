"""Issues 5 and 17: authenticated reads of an officer's own record under 50 concurrent clients,
with wrk (a separate process) against the real server (``serve --workers 2``) on PostgreSQL and
on SQLite, next to the unauthenticated probe of the same server; plus an in-process profile of
one request (``api_profile``: where the milliseconds go) and the CPU a request costs the server
and the database under load. Target: ≥ 1,000 requests/s with p99 ≤ 50 ms."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import httpx

from benchmarks import api_profile
from benchmarks.common import scratch_database
from health.services import accounts, checkups, officers, units
from health.services.context import SYSTEM, Ctx
from health.settings import Settings

PASSWORD = "benchmark password 2026"
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _seed(url: str, var: Path) -> None:
    from api.runtime import start

    rt = start(Settings(var_dir=var, database_url=url))
    with rt.sessions.begin() as session:
        ctx = Ctx(session, rt.vault, SYSTEM)
        unit = units.create(ctx, code="BENCH", name="Bench", kind="force", parent_id=None)
        for i in range(200):
            new = officers.register(
                ctx,
                officers.OfficerIn(unit.id, f"AB{i:06d}", f"Officer {i}", date(1980, 1, 1), "M"),
            )
            for year in (2024, 2025, 2026):
                checkups.submit(ctx, new.id, date(year, 4, 1), {"glu": 5.1, "sbp": 121})
        accounts.create_user(
            ctx,
            rt.auth,
            username="bench-officer",
            role="officer",
            password=PASSWORD,
            officer_id=new.id,
        )
    rt.engine.dispose()


def _wait_ready(base: str, seconds: float = 120) -> None:
    """Both workers import the whole app first: on a loaded 2-core machine, tens of seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not become ready in {seconds:.0f} s")


def _wrk(url: str, token: str | None, seconds: int, connections: int = 50) -> dict[str, float]:
    """wrk's figures; its timeout is raised to a minute so a stalled request is counted in the
    latencies (and as a socket error) rather than dropped from them at wrk's default 2 s."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s"]
    command += ["--latency", url]
    if token:
        command[1:1] = ["-H", f"Authorization: Bearer {token}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}  # type: ignore[union-attr]
    for pct in ("50", "99"):
        value, unit = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        figures[f"p{pct}_ms"] = float(value) * UNITS[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    figures["non2xx"] = float(errors.group(1)) if errors else 0.0
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    figures["socket_errors"] = float(sum(map(int, socket.groups()))) if socket else 0.0
    return figures


STALL = "no stall (/api/v1/me, 200 connections)"
TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes so far (Linux ``/proc``; 0 for a gone one)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / TICKS


def _pids(*pgrep: str) -> list[int]:
    found = subprocess.run(["pgrep", *pgrep], capture_output=True, text=True).stdout.split()
    return [int(pid) for pid in found]


def _cpu_per_request(
    server: int, backend: str, work: Callable[[], dict[str, float]]
) -> tuple[dict[str, float], dict[str, float]]:
    """``work``'s wrk figures, and the CPU each request cost the server's processes (Python:
    event loop, framework, services, driver) and, on PostgreSQL, every postgres process (on a
    shared machine that includes other databases' work) — where a request's time goes when
    the machine, not a lock, is the limit."""
    workers = _pids("-P", str(server))
    workers += [child for worker in workers for child in _pids("-P", str(worker))]
    database = _pids("-u", "postgres") if backend == "postgresql" else []
    before = (_cpu_seconds([server, *workers]), _cpu_seconds(database), time.monotonic())
    figures = work()
    after = (_cpu_seconds([server, *workers]), _cpu_seconds(database), time.monotonic())
    requests = max(figures["rps"] * (after[2] - before[2]), 1.0)
    cpu = {"server CPU per /me under wrk (Python processes)": (after[0] - before[0]) / requests}
    if database:
        cpu["database CPU per /me under wrk (all postgres processes)"] = (
            after[1] - before[1]
        ) / requests
    return figures, {name: seconds * 1000 for name, seconds in cpu.items()}


def run(
    backend: str = "postgresql", seconds: int = 10, workers: int = 2, stall_seconds: int = 30
) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """(wrk figures per route, in-process profile of one request in ms per phase). Issue 17
    acceptance 0 is the last run: 200 connections for ``stall_seconds`` (0: skipped) must keep
    completing, with no error and p99 printed."""
    with tempfile.TemporaryDirectory() as tmp, scratch_database(backend) as url:
        var = Path(tmp)
        _seed(url, var)
        profile = api_profile.run(url, var, "bench-officer", PASSWORD)
        port = _port()
        env = {
            **os.environ,
            "OH_DATABASE_URL": url,
            "OH_VAR_DIR": str(var),
            "OH_LOG_LEVEL": "WARNING",
        }
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "api.cli",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--no-access-log",
            ],
            env=env,
            start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_ready(base)
            token = httpx.post(
                f"{base}/api/v1/auth/token",
                data={"username": "bench-officer", "password": PASSWORD},
            ).json()["access_token"]
            assert (
                httpx.get(
                    f"{base}/api/v1/me", headers={"Authorization": f"Bearer {token}"}
                ).status_code
                == 200
            )
            hello = _wrk(f"{base}/healthz", None, seconds)
            own, cpu = _cpu_per_request(
                server.pid, backend, lambda: _wrk(f"{base}/api/v1/me", token, seconds)
            )
            profile.update(cpu)
            figures = {"hello (/healthz, no auth)": hello, "own record (/api/v1/me)": own}
            if stall_seconds > 0:
                figures[STALL] = _wrk(f"{base}/api/v1/me", token, stall_seconds, connections=200)
            return figures, profile
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
