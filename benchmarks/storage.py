"""Issue 2: seal + blind index + insert N officers with one checkup each, against the same rows
inserted unencrypted through the same tables in the same run. Target: sealed ≤ 3× plain."""

from __future__ import annotations

import json
import random
import tempfile
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from benchmarks.common import Timer, scratch_database
from health.crypto import FileKeyProvider
from health.ingest import CheckupDraft, ResultDraft
from health.national_id import with_check
from health.services import intake, officers, units
from health.services.context import SYSTEM, Ctx
from health.services.demo import RESULT_SHAPES
from health.services.sealed import canonical
from health.services.vault import unlock
from models.db import make_engine, make_sessionmaker
from models.repositories import checkups as checkups_repo
from models.repositories import officers as officers_repo
from models.repositories import units as units_repo
from models.tables import Unit

BATCH = 5000
EXAM = date(2026, 3, 1)


def _people(n: int, unit_id: uuid.UUID, rng: random.Random) -> list[officers.OfficerIn]:
    return [
        officers.OfficerIn(
            unit_id=unit_id,
            badge_number=f"P{i:08d}",
            name=f"Officer {i}",
            birth_date=date(1970 + i % 30, 1 + i % 12, 1 + i % 28),
            sex="MF"[i % 2],
            national_id=with_check(f"{110000 + i % 900000:06d}19800101{i // 900000:03d}"),
        )
        for i in range(n)
    ]


def _results(rng: random.Random) -> dict[str, float]:
    return {
        code: round(rng.gauss(mean, sd), decimals)
        for code, (mean, sd, decimals) in RESULT_SHAPES.items()
    }


def sealed_run(url: str, n: int, keyring_dir: str) -> float:
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    rng = random.Random(1)
    provider = FileKeyProvider(Path(keyring_dir) / "bench-keyring.json")
    with sessions.begin() as session:
        ctx = Ctx(session, unlock(session, provider, create=True), SYSTEM)
        unit = units.create(ctx, code="BENCH", name="Bench", kind="force", parent_id=None)
    people = _people(n, unit.id, rng)
    drafts = [
        CheckupDraft(exam_date=EXAM, results={c: ResultDraft(v) for c, v in r.items()})
        for r in (_results(rng) for _ in range(n))
    ]
    timer = Timer()
    with timer.measure():
        for start in range(0, n, BATCH):
            with sessions.begin() as session:
                ctx = Ctx(session, unlock(session, provider, create=False), SYSTEM)
                batch = people[start : start + BATCH]
                created = officers.register_many(ctx, batch)
                items = [
                    intake.Resolved(d, o.id, o.unit_id, p.sex, p.birth_date)
                    for p, o, d in zip(batch, created, drafts[start : start + BATCH], strict=True)
                ]
                intake.store(
                    ctx, items, {o.id: o.sealer for o in created}, upload_id=None, screen=False
                )
    engine.dispose()
    return timer.seconds


def plain_run(url: str, n: int) -> float:
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    rng = random.Random(1)
    with sessions.begin() as session:
        unit_id = uuid.uuid4()
        units_repo.add(
            session,
            Unit(
                id=unit_id,
                parent_id=None,
                kind="force",
                code="BENCH",
                name="Bench",
                path=f"/{unit_id}/",
                created_at=datetime.now(UTC),
            ),
        )
    people = _people(n, unit_id, rng)
    results = [_results(rng) for _ in range(n)]
    timer = Timer()
    with timer.measure():
        for start in range(0, n, BATCH):
            now = datetime.now(UTC)
            officer_rows: list[dict[str, Any]] = []
            key_rows: list[dict[str, Any]] = []
            checkup_rows: list[dict[str, Any]] = []
            for person, result in zip(
                people[start : start + BATCH], results[start : start + BATCH], strict=True
            ):
                officer_id = uuid.uuid4()
                personal = json.dumps(
                    {
                        "badge_number": person.badge_number,
                        "name": person.name,
                        "birth_date": person.birth_date.isoformat(),
                        "sex": person.sex,
                        "national_id": person.national_id,
                    },
                    separators=(",", ":"),
                ).encode()
                officer_rows.append(
                    {
                        "id": officer_id,
                        "unit_id": unit_id,
                        "badge_index": person.badge_number.encode(),
                        "national_id_index": (person.national_id or "").encode(),
                        "personal": personal,
                        "created_at": now,
                        "erased_at": None,
                    }
                )
                key_rows.append(
                    {
                        "officer_id": officer_id,
                        "dek_version": 1,
                        "kek_version": 1,
                        "wrapped_dek": b"\0" * 60,
                        "wrapped_at": now,
                    }
                )
                document = canonical(officer_id, EXAM, {"results": dict(sorted(result.items()))})
                checkup_rows.append(
                    {
                        "id": uuid.uuid4(),
                        "officer_id": officer_id,
                        "unit_id": unit_id,
                        "exam_date": date(2026, 3, 1),
                        "version": 1,
                        "status": "current",
                        "supersedes_id": None,
                        "content_hash": officer_id.bytes * 2,
                        "results": document,
                        "created_at": now,
                        "created_by": "bench",
                        "upload_id": None,
                    }
                )
            with sessions.begin() as session:
                officers_repo.add_many(session, officer_rows, key_rows)
                checkups_repo.add_many(session, checkup_rows)
    engine.dispose()
    return timer.seconds


def run(backend: str, n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as keys_dir:
        with scratch_database(backend) as url:
            plain = plain_run(url, n)
        with scratch_database(backend) as url:
            sealed = sealed_run(url, n, keys_dir)
    return {
        "plain_s": plain,
        "sealed_s": sealed,
        "plain_rows_s": n / plain,
        "sealed_rows_s": n / sealed,
        "ratio": sealed / plain,
    }
