"""The compose deployment (issue 18): the files are valid, and the processes they name work.

No Docker engine runs here, so the compose file is checked by ``docker-compose config`` and the
Dockerfile by hadolint; then the migration, the API and the worker are started as the compose
file starts them (its commands after the image's entrypoint, its environment, a keyring made by
``keys new`` as the secret) on a local PostgreSQL, and the compose file's own health checks must
pass against them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import PG_ADMIN, DatabaseFactory

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
COMPOSE = ROOT / "docker" / "compose.yaml"
DOCKERFILE = ROOT / "docker" / "Dockerfile"
APP_SERVICES = ("migrate", "api", "worker")


def _compose() -> dict[str, Any]:
    """The compose file as docker-compose resolves it (anchors merged, variables defaulted)."""
    tool = shutil.which("docker-compose")
    assert tool, "docker-compose is missing: bash scripts/system-deps.sh installs it"
    env = {k: v for k, v in os.environ.items() if not k.startswith("OH_")}
    done = subprocess.run(
        [tool, "-f", str(COMPOSE), "config"], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return dict(yaml.safe_load(done.stdout))


def _entrypoint() -> list[str]:
    found = re.search(r"^ENTRYPOINT (\[.*\])$", DOCKERFILE.read_text(), re.MULTILINE)
    assert found, "the image names its entrypoint in exec form"
    return list(json.loads(found.group(1)))


def _local(argv: list[str]) -> list[str]:
    """A container's command as this machine runs it: the project's venv for our programs."""
    if argv[0] == "officer-health":
        return [str(BIN / "officer-health"), *argv[1:]]
    if argv[0] == "python":
        return [sys.executable, *argv[1:]]
    return argv


def test_compose_file_is_valid_for_docker_compose() -> None:
    assert set(_compose()["services"]) == {"postgres", *APP_SERVICES}


def test_dockerfile_passes_hadolint() -> None:
    done = subprocess.run(
        [str(BIN / "hadolint"), str(DOCKERFILE)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_compose_starts_in_order_with_health_checks_and_the_keyring_as_a_secret() -> None:
    services = _compose()["services"]
    for name in ("api", "worker"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
        assert "healthcheck" in services[name]
    assert services["migrate"]["depends_on"]["postgres"] == {"condition": "service_healthy"}
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"]
    for name in ("api", "worker"):
        env = services[name]["environment"]
        assert env["OH_KEYRING_FILE"] == "/run/secrets/keyring"
        assert {"source": "keyring"} in services[name]["secrets"]
        assert env["OH_KEYRING_CREATE"] == "false"
        assert "OH_KEYRING" not in env  # the keyring itself is never an environment value


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def database(databases: DatabaseFactory) -> str:
    if PG_ADMIN is None:
        pytest.skip("the compose deployment runs on PostgreSQL")
    return databases.create_empty("postgresql")


def _environment(service: dict[str, Any], url: str, keyring: Path, var: Path) -> dict[str, str]:
    """The service's environment, with what only exists inside the deployment made local: the
    database address, the keyring secret's path, the container's own var directory."""
    env = {k: str(v) for k, v in service["environment"].items()}
    env.pop("PGPASSFILE")  # the local server trusts 127.0.0.1
    assert env.pop("OH_DATABASE_URL").startswith("postgresql+psycopg://")
    assert env.pop("OH_KEYRING_FILE") == "/run/secrets/keyring"
    local = {"OH_DATABASE_URL": url, "OH_KEYRING_FILE": str(keyring), "OH_VAR_DIR": str(var)}
    if "OH_HOST" in env:
        local |= {"OH_HOST": "127.0.0.1", "OH_PORT": str(_free_port())}
    base = {k: v for k, v in os.environ.items() if not k.startswith("OH_")}
    return base | env | local


def _check(test: list[str], env: dict[str, str], deadline: float, what: str) -> None:
    assert test[0] == "CMD"
    last = ""
    while time.monotonic() < deadline:
        done = subprocess.run(_local(test[1:]), env=env, capture_output=True, text=True, timeout=30)
        if done.returncode == 0:
            return
        last = done.stdout + done.stderr
        time.sleep(0.5)
    pytest.fail(f"{what} health check never passed: {last[-2000:]}")


def test_the_processes_compose_names_run_migrate_api_and_worker(
    database: str, tmp_path: Path
) -> None:
    services = _compose()["services"]
    entry = _entrypoint()
    keyring = tmp_path / "secrets" / "keyring"
    made = subprocess.run(
        _local(["officer-health", "keys", "new", str(keyring)]),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    assert keyring.stat().st_mode & 0o777 == 0o600
    first = keyring.read_bytes()
    again = subprocess.run(
        _local(["officer-health", "keys", "new", str(keyring)]), capture_output=True, timeout=60
    )
    assert (again.returncode, keyring.read_bytes()) == (2, first)  # never overwritten
    envs = {
        name: _environment(services[name], database, keyring, tmp_path / name)
        for name in APP_SERVICES
    }
    # The postgres service's own check, pointed at the local server.
    pg_check = services["postgres"]["healthcheck"]["test"][1:]
    assert subprocess.run([*pg_check, "-h", "127.0.0.1"], timeout=30).returncode == 0

    migrate = subprocess.run(
        _local(entry + services["migrate"]["command"]),
        env=envs["migrate"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert migrate.returncode == 0, migrate.stderr

    logs = {name: (tmp_path / f"{name}.log").open("wb") for name in ("api", "worker")}
    running = {
        name: subprocess.Popen(
            _local(entry + services[name]["command"]),
            env=envs[name],
            stdout=logs[name],
            stderr=subprocess.STDOUT,
        )
        for name in ("api", "worker")
    }
    try:
        deadline = time.monotonic() + 90
        for name in ("api", "worker"):
            _check(services[name]["healthcheck"]["test"], envs[name], deadline, name)
    finally:
        for process in running.values():
            process.send_signal(signal.SIGTERM)
        codes = {name: process.wait(30) for name, process in running.items()}
        for handle in logs.values():
            handle.close()
    assert codes == {"api": 0, "worker": 0}, {
        name: (tmp_path / f"{name}.log").read_text()[-2000:] for name in codes
    }
