"""Upgrading a database whose events were chained by the requests themselves (before the
sequencer) keeps that chain: each old event becomes the link at its own position, verifies
unchanged, and new events continue the chain; the migration also goes back down."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, text

from health.clock import utcnow
from health.crypto import FileKeyProvider, Hasher
from health.services import audit
from health.services.audit_sequencer import sequence_batch
from health.services.context import SYSTEM, Ctx
from health.services.vault import unlock
from models.db import make_engine, make_sessionmaker
from models.migrate import downgrade, upgrade

BEFORE = "risk_scores"
COLUMNS = (
    "seq, id, occurred_at, actor_id, actor_role, action, resource_type, resource_id, "
    "officer_id, purpose, outcome, source, detail, prev_hash, hash"
)


def _legacy_events(engine: Engine, hasher: Hasher, n: int) -> None:
    """Rows as the old ``record_many`` wrote them: seq, prev_hash and chain MAC per row."""
    prev = audit.GENESIS
    uuid_type = engine.dialect.name == "postgresql"
    with engine.begin() as connection:
        for seq in range(1, n + 1):
            row = {
                "seq": seq,
                "id": uuid.uuid4(),
                "occurred_at": utcnow(),
                "actor_id": "system",
                "actor_role": "system",
                "action": "officer.read",
                "resource_type": "officer",
                "resource_id": None,
                "officer_id": None,
                "purpose": None,
                "outcome": "success",
                "source": "cli",
                "detail": f"n={seq}",
            }
            mac = audit.chain_mac(hasher, row, prev)
            values = {
                **row,
                "id": row["id"] if uuid_type else row["id"].hex,
                "prev_hash": prev,
                "hash": mac,
            }
            connection.execute(
                text(
                    f"INSERT INTO audit_event ({COLUMNS}) VALUES (:seq, :id, :occurred_at, "
                    ":actor_id, :actor_role, :action, :resource_type, :resource_id, :officer_id, "
                    ":purpose, :outcome, :source, :detail, :prev_hash, :hash)"
                ),
                values,
            )
            prev = mac
        connection.execute(
            text("UPDATE audit_head SET seq = :seq, hash = :hash"), {"seq": n, "hash": prev}
        )


def test_the_old_chain_survives_the_upgrade_and_the_new_one_continues_it(
    fresh_url: Callable[[], str], keyring_file: Path
) -> None:
    engine = make_engine(fresh_url())
    downgrade(engine, BEFORE)
    hasher = Hasher(FileKeyProvider(keyring_file).load().index_key)
    _legacy_events(engine, hasher, 5)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        vault = unlock(session, FileKeyProvider(keyring_file), create=False)
        report = audit.verify(session, vault.hasher)
        assert report.ok and report.checked == 5, report
        audit.record(Ctx(session, vault, SYSTEM), "officer.read", "officer")
        assert sequence_batch(session, vault.hasher).linked == 1
    with sessions() as session:
        report = audit.verify(session, vault.hasher)
        assert report.ok and report.checked == 6, report
    downgrade(engine, BEFORE)
    upgrade(engine)
    with sessions() as session:
        report = audit.verify(session, vault.hasher)
        assert report.ok and report.checked == 6, report
    engine.dispose()
