"""Issue 18: a FHIR Bulk Data ``$export`` of N officers' Observations (``_type=Observation``)
as NDJSON, through the real path (``kick_off`` + ``run_export``: scope, opening each record,
grading for interpretation and reference ranges, building and validating every resource with
fhir.resources, auditing each officer, sealing the files), against a bare JSON dump of the same
rows in the same run: the same checkup rows read and opened (unwrap the officer's key, decrypt
the sealed results) and each value written as one plain JSON line.

The force is seeded as the ingest benchmark seeds it (a wide CSV session through
``imports.run``: ~45 analytes per officer, screened, tasks planned). BENCH_N sets N (100,000 by
default, the issue's figure); seeding dominates the run time at that size.
"""

from __future__ import annotations

import io
import json
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from benchmarks.common import scratch_database
from benchmarks.ingest import _import, _register, session_frame, synthetic_people
from health.crypto import FileKeyProvider
from health.services import fhir_export
from health.services.context import Actor, Ctx
from health.services.fhir_export_run import run_export
from health.services.sealed import open_document
from health.services.vault import Vault, unlock
from models.db import make_engine, make_sessionmaker
from models.repositories import users as users_repo
from models.tables import AppUser, Checkup, OfficerKey, Unit
from models.tables_export import BulkExport, BulkExportFile


def _medic(sessions: sessionmaker[Session], vault: Vault) -> Actor:
    """A medic of the seeded force (the export runs with the requester's scope)."""
    with sessions.begin() as session:
        unit = session.scalars(select(Unit).where(Unit.code == "BENCH")).one()
        user = users_repo.add(
            session,
            AppUser(
                id=uuid.uuid4(), username="bench-medic", role="medic", created_at=unit.created_at
            ),
        )
        users_repo.set_units(session, user.id, [unit.id])
        return Actor(id=str(user.id), role="medic", user_id=user.id, unit_paths=(unit.path,))


def _export(sessions: sessionmaker[Session], vault: Vault, actor: Actor) -> tuple[float, int]:
    """Seconds for kick-off and generation, and the Observation lines written."""
    start = time.perf_counter()
    with sessions.begin() as session:
        export_id = fhir_export.kick_off(
            Ctx(session, vault, actor),
            types=["Observation"],
            since=None,
            group_unit_id=None,
            request_url="bench",
        )
    outcome = run_export(sessions, vault, export_id)
    seconds = time.perf_counter() - start
    assert outcome.startswith("exported"), outcome
    with sessions() as session:
        export = session.get(BulkExport, export_id)
        assert export is not None and export.status == "completed"
        lines = session.scalar(
            select(func.sum(BulkExportFile.count)).where(BulkExportFile.export_id == export_id)
        )
    return seconds, int(lines or 0)


def _bare_dump(sessions: sessionmaker[Session], vault: Vault) -> tuple[float, int]:
    """The floor: the same checkups read, keys unwrapped, results opened, one JSON line per
    value (no scope check, grading, FHIR, validation, audit or sealing)."""
    start = time.perf_counter()
    out = io.StringIO()
    count = 0
    with sessions() as session:
        rows = session.execute(
            select(Checkup, OfficerKey).join(
                OfficerKey, OfficerKey.officer_id == Checkup.officer_id
            )
        )
        for checkup, key in rows:
            sealer = vault.open_key(
                key.officer_id, key.kek_version, key.dek_version, key.wrapped_dek
            )
            document = open_document(checkup.id, checkup.results, sealer)
            for code, value in document.get("results", {}).items():
                row = {
                    "checkup": str(checkup.id),
                    "officer": str(checkup.officer_id),
                    "date": checkup.exam_date.isoformat(),
                    "code": code,
                    "value": value,
                }
                out.write(json.dumps(row, separators=(",", ":")) + "\n")
                count += 1
    return time.perf_counter() - start, count


def run(backend: str, n: int) -> dict[str, Any]:
    frame, badges = session_frame(n)
    people = synthetic_people(n)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    with tempfile.TemporaryDirectory() as tmp:
        keyring = Path(tmp) / "keyring.json"
        with scratch_database(backend) as url:
            _register(url, keyring, badges, people)
            _import(url, keyring, buffer.getvalue().encode("utf-8"), phases=False)
            engine = make_engine(url)
            sessions = make_sessionmaker(engine)
            with sessions.begin() as session:
                vault = unlock(session, FileKeyProvider(keyring), create=False)
            actor = _medic(sessions, vault)
            bare_s, bare_lines = _bare_dump(sessions, vault)
            export_s, lines = _export(sessions, vault, actor)
            engine.dispose()
    return {
        "n": n,
        "export_s": export_s,
        "observations": lines,
        "export_per_s": lines / export_s,
        "bare_s": bare_s,
        "bare_lines": bare_lines,
        "bare_per_s": bare_lines / bare_s,
        "ratio": (bare_lines / bare_s) / (lines / export_s),
    }
