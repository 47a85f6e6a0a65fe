"""The operator's commands, run as real processes against a real database."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from databases import Opened
from sqlalchemy import select, update

from models.tables import AuditEvent, Officer, OfficerKey

from factories import as_attacker

ROOT = Path(__file__).resolve().parents[2]
CLI = str(ROOT / ".venv" / "bin" / "officer-health")


class Cli:
    def __init__(self, url: str, var: Path) -> None:
        self.env = {**os.environ, "OH_DATABASE_URL": url, "OH_VAR_DIR": str(var)}

    def __call__(self, *args: str, expect: int = 0) -> str:
        done = subprocess.run(
            [CLI, *args], env=self.env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == expect, done.stdout + done.stderr
        return done.stdout + done.stderr


@pytest.fixture
def cli_db(fresh_url: Callable[[], str], tmp_path: Path) -> tuple[Cli, str]:
    url = fresh_url()
    cli = Cli(url, tmp_path / "var")
    cli("demo", "--officers-per-station", "2", "--years", "2")
    return cli, url


@pytest.mark.slow
def test_cli_rotate_erase_and_verify(cli_db: tuple[Cli, str], opened: Opened) -> None:
    cli, url = cli_db
    assert "12 data keys re-wrapped" in cli("keys", "rotate", "--batch-size", "5")
    sessions = opened.sessions(url)
    with sessions() as session:
        assert set(session.scalars(select(OfficerKey.kek_version)).all()) == {2}
        victim = session.scalars(select(Officer.id).limit(1)).one()
    assert "erased" in cli("officers", "erase", str(victim), "--yes")
    assert "audit chain intact" in cli("audit", "verify")
    with sessions.begin() as session:
        as_attacker(session)
        session.execute(update(AuditEvent).where(AuditEvent.seq == 5).values(detail="forged"))
    assert "broken at row 5" in cli("audit", "verify", expect=1)


@pytest.mark.slow
def test_cli_refuses_to_start_without_its_keyring(cli_db: tuple[Cli, str]) -> None:
    cli, _ = cli_db
    (Path(cli.env["OH_VAR_DIR"]) / "keyring.json").unlink()
    out = cli("audit", "verify", expect=2)
    assert "holds sealed data but the keyring" in out
