"""An import killed with SIGKILL at a random moment leaves only whole checkups (whole chunks),
and running the same command again completes it: exactly one checkup per row, none doubled,
the audit chain intact.

The import runs as the real ``officer-health import`` process on a committed database of each
backend; the test seeds the officers through the services with the same var directory, so the
CLI unlocks the same keyring.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from api.runtime import Runtime, start
from health.catalog import ValueKind, load_catalog
from health.services import audit, officers, units
from health.services.context import SYSTEM, Ctx
from health.services.demo import RESULT_SHAPES
from health.services.sealed import results_slot
from health.settings import Settings
from models.tables import AuditEvent, Checkup, Upload

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CLI = str(ROOT / ".venv" / "bin" / "officer-health")
N = 1000
CHUNK = 50
EXAM = date(2026, 3, 1)
DIPSTICK = ("-", "±", "1+", "2+")  # level index = position (analytes.toml, dipstick scale)
ECG = {"窦性心律": ["normal"], "窦性心动过缓": ["sinus_bradycardia"]}


@dataclass
class Force:
    runtime: Runtime
    env: dict[str, str]
    badges: dict[uuid.UUID, str]


@pytest.fixture
def force(fresh_url: Callable[[], str], tmp_path: Path) -> Iterator[Force]:
    url, var = fresh_url(), tmp_path / "var"
    rt = start(Settings(var_dir=var, database_url=url))
    with rt.sessions.begin() as session:
        ctx = Ctx(session, rt.vault, SYSTEM)
        unit = units.create(ctx, code="K", name="Kill test", kind="force", parent_id=None)
        roster = [
            officers.OfficerIn(unit.id, f"K{i:05d}", f"Officer {i}", date(1970 + i % 30, 1, 1), "M")
            for i in range(N)
        ]
        created = officers.register_many(ctx, roster)
    env = {**os.environ, "OH_DATABASE_URL": url, "OH_VAR_DIR": str(var)}
    yield Force(rt, env, {o.id: p.badge_number for p, o in zip(roster, created, strict=True)})
    rt.engine.dispose()


def _session_file(rng: random.Random) -> tuple[bytes, dict[str, dict[str, Any]]]:
    """A wide CSV of one checkup per officer, in canonical units, and each row as it should
    be stored."""
    catalog = load_catalog()
    quantities = [a for a in catalog if a.code in RESULT_SHAPES]
    dipsticks = [
        a
        for a in catalog
        if a.kind is ValueKind.ORDINAL and a.scale is not None and a.scale.name == "dipstick"
    ]
    headers = ["警号", "体检日期"]
    headers += [f"{a.name_zh}({a.unit})" for a in quantities]
    headers += [a.name_zh for a in dipsticks] + ["心电图"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    expected: dict[str, dict[str, Any]] = {}
    for i in range(N):
        values: dict[str, Any] = {}
        row = [f"K{i:05d}", EXAM.isoformat()]
        for analyte in quantities:
            mean, sd, decimals = RESULT_SHAPES[analyte.code]
            text = f"{max(mean * 0.5, rng.gauss(mean, sd)):.{decimals}f}"
            row.append(text)
            values[analyte.code] = float(text)
        for analyte in dipsticks:
            level = rng.choice([0, 0, 0, 1, 2, 3])
            row.append(DIPSTICK[level])
            values[analyte.code] = level
        ecg = rng.choice(list(ECG))
        row.append(ecg)
        writer.writerow(row)
        expected[f"K{i:05d}"] = {"results": values, "ecg": ECG[ecg]}
    return out.getvalue().encode(), expected


def _count(force: Force) -> int:
    with force.runtime.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Checkup)) or 0)


def _stored(force: Force) -> dict[str, list[tuple[Checkup, dict[str, Any]]]]:
    """Every checkup row opened with its officer's key, by badge number."""
    out: dict[str, list[tuple[Checkup, dict[str, Any]]]] = {}
    with force.runtime.sessions() as session:
        sealers = {}
        for row in session.scalars(select(Checkup)):
            sealer = sealers.get(row.officer_id)
            if sealer is None:
                sealer = sealers[row.officer_id] = force.runtime.vault.sealer_for(
                    session, row.officer_id
                )
            document = json.loads(sealer.open(row.results, results_slot(row.id)))
            out.setdefault(force.badges[row.officer_id], []).append((row, document))
    return out


def _assert_each_equals_its_row(
    stored: dict[str, list[tuple[Checkup, dict[str, Any]]]], expected: dict[str, dict[str, Any]]
) -> None:
    for badge, versions in stored.items():
        assert len(versions) == 1, f"{badge} stored {len(versions)} times"
        ((row, document),) = versions
        assert (row.exam_date, row.version, row.status) == (EXAM, 1, "current")
        assert document["results"] == pytest.approx(expected[badge]["results"]), badge
        assert document["findings"]["ecg"]["codes"] == expected[badge]["ecg"], badge


def _kill_mid_import(force: Force, path: Path, rng: random.Random) -> int:
    """Start the import, wait until a random number of chunks is stored, wait a random moment
    more, SIGKILL it; returns how many checkups were stored when it died."""
    threshold = rng.randrange(1, N // CHUNK - 6) * CHUNK
    fraction = rng.random()  # of the time one chunk takes, waited after the threshold
    log_path = path.parent / "killed.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [CLI, "import", str(path), "--chunk-size", str(CHUNK)],
            env=force.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            first: float | None = None
            while (stored := _count(force)) < threshold:
                if process.poll() is not None:
                    output = log_path.read_text("utf-8", errors="replace")
                    pytest.fail(f"import ended before it could be killed:\n{output[-2000:]}")
                assert time.monotonic() < deadline, "import did not start storing"
                if first is None and stored:
                    first = time.monotonic()
                time.sleep(0.001)
            if first is not None:
                per_chunk = (time.monotonic() - first) / max(1, stored // CHUNK - 1)
                time.sleep(fraction * per_chunk)
            process.send_signal(signal.SIGKILL)
        finally:
            if process.poll() is None:
                process.kill()
            returncode = process.wait(timeout=30)
    assert returncode == -signal.SIGKILL, f"the import was not killed (exit {returncode})"
    return _count(force)


def test_killed_import_leaves_whole_chunks_and_a_rerun_completes_it(
    force: Force, tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    data, expected = _session_file(rng)
    path = tmp_path / "session.csv"
    path.write_bytes(data)

    survived = _kill_mid_import(force, path, rng)
    assert 0 < survived < N, f"seed {seed}: the kill did not land mid-import ({survived} stored)"
    assert survived % CHUNK == 0, f"seed {seed}: {survived} stored is not whole chunks"
    stored = _stored(force)
    assert sum(map(len, stored.values())) == survived
    _assert_each_equals_its_row(stored, expected)

    done = subprocess.run(
        [CLI, "import", str(path), "--chunk-size", str(CHUNK)],
        env=force.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    stored = _stored(force)
    assert set(stored) == set(expected), f"seed {seed}"
    _assert_each_equals_its_row(stored, expected)

    with force.runtime.sessions() as session:
        chain = audit.verify(session, force.runtime.vault.hasher)
        assert chain.ok, chain.reason
        created = select(func.count()).where(AuditEvent.action == "checkup.create")
        assert session.scalar(created) == N, "an audit event per stored checkup, no more"
        uploads = session.execute(
            select(Upload.status, Upload.stored, Upload.duplicates).order_by(Upload.created_at)
        ).all()
    # The re-run marked the killed upload failed (its process is gone), recognised what
    # survived and stored the rest.
    assert [tuple(u) for u in uploads] == [
        ("failed", survived, 0),
        ("stored", N - survived, survived),
    ], f"seed {seed}"
