"""The operator's commands against a real database (in process; start-up as a real process)."""

from __future__ import annotations

from pathlib import Path

import pytest
from databases import Opened
from operator_cli import Cli
from sqlalchemy import select, update

from models.tables import AuditEvent, Officer, OfficerKey

from factories import as_attacker


@pytest.fixture
def cli_db(demo_copy: tuple[str, Path]) -> tuple[Cli, str]:
    """A copy of the demo force (2 officers per station, 2 years) and the commands on it."""
    url, var = demo_copy
    return Cli(url, var), url


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
    cli, url = cli_db
    cli = Cli(url, Path(cli.env["OH_VAR_DIR"]), process=True)
    (Path(cli.env["OH_VAR_DIR"]) / "keyring.json").unlink()
    out = cli("audit", "verify", expect=2)
    assert "holds sealed data but the keyring" in out
