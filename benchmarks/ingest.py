"""Issue 3: N officers' checkups from a wide CSV (~45 analytes each) to sealed rows through
``imports.run`` end to end (read + resolve + seal + insert, with audit and screening as the
service does them), against a bare load of the same plaintext rows in the same run (PostgreSQL:
COPY; SQLite: executemany). Target: ≥ 20,000 checkups/s on PostgreSQL and within 3× of the
bare load. Officers are registered first, untimed."""

from __future__ import annotations

import cProfile
import importlib
import importlib.util
import io
import json
import pstats
import random
import resource
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import func, select, text

from benchmarks import nhanes
from benchmarks.common import scratch_database
from health.catalog import ValueKind, load_catalog
from health.crypto import FileKeyProvider
from health.services import imports, intake, officers, units
from health.services.context import SYSTEM, Ctx
from health.services.vault import Vault, unlock
from models.db import make_engine, make_sessionmaker
from models.tables import Checkup, Task
from models.tables_bulk import FindingTally

EXAM = date(2026, 3, 1)
REGISTER_BATCH = 5000
# (mean, sd, decimals) in the canonical unit: a plausible working-age spread, not reference ranges
SHAPES: dict[str, tuple[float, float, int]] = {
    "height": (170, 7, 1),
    "weight": (72, 12, 1),
    "waist": (86, 10, 1),
    "sbp": (126, 16, 0),
    "dbp": (80, 11, 0),
    "pulse": (74, 11, 0),
    "wbc": (6.3, 1.7, 2),
    "rbc": (4.9, 0.5, 2),
    "hb": (145, 15, 0),
    "hct": (43, 4, 1),
    "plt": (230, 55, 0),
    "neut_pct": (58, 9, 1),
    "lymph_pct": (32, 8, 1),
    "mono_pct": (6.5, 1.8, 1),
    "eos_pct": (2.5, 1.5, 1),
    "baso_pct": (0.5, 0.3, 1),
    "neut_abs": (3.7, 1.2, 2),
    "lymph_abs": (2.0, 0.6, 2),
    "alt": (28, 15, 0),
    "ast": (24, 9, 0),
    "ggt": (35, 25, 0),
    "alp": (75, 20, 0),
    "tbil": (13, 5, 1),
    "tp": (73, 4.5, 1),
    "alb": (46, 3, 1),
    "urea": (5.2, 1.3, 2),
    "creat": (78, 15, 0),
    "ua": (360, 85, 0),
    # Electrolytes (catalog 2026.2), adult means and spreads around WS/T 404.3 / 404.6 ranges.
    "k": (4.2, 0.35, 2),
    "na": (140, 2.5, 0),
    "cl": (102, 2.5, 0),
    "ca": (2.35, 0.1, 2),
    "phos": (1.15, 0.15, 2),
    "tc": (4.9, 0.9, 2),
    "tg": (1.6, 1.0, 2),
    "hdl": (1.3, 0.3, 2),
    "ldl": (2.9, 0.8, 2),
    "glu": (5.5, 0.9, 2),
    "hba1c": (5.6, 0.6, 1),
}
DIPSTICK = ["-", "-", "-", "-", "±", "1+", "2+"]
FINDINGS = {
    "ecg": ["窦性心律", "窦性心律", "窦性心动过缓", "窦性心律；ST-T改变"],
    "cxr": ["未见异常", "未见异常", "两肺纹理增多"],
    "us_abd": ["未见明显异常", "轻度脂肪肝", "中度脂肪肝；胆囊结石"],
    "eye": ["未见异常", "未见异常", "白内障"],
}
CONCLUSIONS = ["未见明显异常", "血脂偏高，建议复查", "脂肪肝，建议低脂饮食并复查"]


People = list[tuple[date, str]]  # (birth date, sex) per badge


def session_frame(n: int, seed: int = 1) -> tuple[pd.DataFrame, list[str]]:
    """One wide checkup session, headers as a checkup centre writes them (Chinese name and
    unit); every measured analyte of the catalog plus an ECG remark column."""
    catalog = load_catalog()
    rng = np.random.default_rng(seed)
    badges = [f"P{i:08d}" for i in range(n)]
    columns: dict[str, Any] = {
        "警号": badges,
        "体检日期": np.full(n, EXAM.isoformat(), dtype=object),
    }
    for analyte in catalog:
        if analyte.derived:
            continue
        if analyte.kind is ValueKind.QUANTITY:
            mean, sd, decimals = SHAPES[analyte.code]
            low, high = analyte.bounds or (0.0, 1e9)
            values = np.clip(rng.normal(mean, sd, n), max(low, mean * 0.3), min(high, mean * 3))
            columns[f"{analyte.name_zh}({analyte.unit})"] = np.char.mod(f"%.{decimals}f", values)
        elif analyte.kind is ValueKind.ORDINAL and analyte.scale is not None:
            levels = DIPSTICK if analyte.scale.name == "dipstick" else analyte.scale.levels
            columns[analyte.name_zh] = rng.choice(levels, n)
        elif analyte.kind is ValueKind.CODED:
            columns[analyte.name_zh] = rng.choice(FINDINGS[analyte.code], n)
            if analyte.code == "ecg":
                columns["心电图备注"] = rng.choice(["", "", "", "心率52次/分"], n)
        else:
            columns[analyte.name_zh] = rng.choice(CONCLUSIONS, n)
    return pd.DataFrame(columns), badges


def synthetic_people(n: int) -> People:
    rng = random.Random(2)
    return [
        (date(1966 + rng.randrange(37), 1 + rng.randrange(12), 1 + i % 28), rng.choice("MF"))
        for i in range(n)
    ]


def nhanes_session(n: int) -> tuple[pd.DataFrame, list[str], People]:
    """The same wide layout from NHANES rows resampled whole (benchmarks/nhanes.py): headers
    with the catalog's Chinese name and canonical unit, empty cells where NHANES has none."""
    catalog = load_catalog()
    adults = nhanes.resample(n)
    badges = [f"P{i:08d}" for i in range(n)]
    columns: dict[str, Any] = {
        "警号": badges,
        "体检日期": np.full(n, EXAM.isoformat(), dtype=object),
    }
    for code in nhanes.COLUMNS:
        analyte = catalog.get(code)
        values = adults[code].to_numpy()
        text_values = np.char.mod("%.6g", np.nan_to_num(values)).astype(object)
        text_values[np.isnan(values)] = ""
        columns[f"{analyte.name_zh}({analyte.unit})"] = text_values
    people = list(zip(nhanes.birth_dates(adults["age"], EXAM), adults["sex"], strict=True))
    return pd.DataFrame(columns), badges, people


def _register(url: str, keyring: Path, badges: list[str], people: People) -> None:
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        ctx = Ctx(session, unlock(session, FileKeyProvider(keyring), create=True), SYSTEM)
        unit = units.create(ctx, code="BENCH", name="Bench", kind="force", parent_id=None)
    for start in range(0, len(badges), REGISTER_BATCH):
        with sessions.begin() as session:
            ctx = Ctx(session, unlock(session, FileKeyProvider(keyring), create=False), SYSTEM)
            officers.register_many(
                ctx,
                [
                    officers.OfficerIn(unit.id, badge, f"Officer {badge}", born, sex)
                    for badge, (born, sex) in zip(
                        badges[start : start + REGISTER_BATCH],
                        people[start : start + REGISTER_BATCH],
                        strict=True,
                    )
                ],
            )
    engine.dispose()


@contextmanager
def _phases() -> Iterator[dict[str, float]]:
    """Seconds spent in each step ``imports.run`` takes, measured by wrapping the steps."""
    spent: dict[str, float] = {}
    steps: list[tuple[Any, str, str]] = [
        (imports, "read", "read"),
        (intake, "resolve", "resolve"),
        (intake, "store", "store"),
    ]
    if importlib.util.find_spec("health.services.screening") is not None:
        screening = importlib.import_module("health.services.screening")
        if hasattr(screening, "screen_and_store"):
            steps.append((screening, "screen_and_store", "screening"))

    def timed(name: str, step: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return step(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - start

        return wrapper

    originals = [(module, attr, getattr(module, attr)) for module, attr, _ in steps]
    for (module, attr, name), (_, _, step) in zip(steps, originals, strict=True):
        setattr(module, attr, timed(name, step))
    try:
        yield spent
    finally:
        for module, attr, step in originals:
            setattr(module, attr, step)


def _import(
    url: str, keyring: Path, data: bytes, *, phases: bool = True
) -> tuple[float, imports.ImportReport, int, dict[str, float]]:
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        vault: Vault = unlock(session, FileKeyProvider(keyring), create=False)
    with _phases() if phases else nullcontext({}) as spent:
        start = time.perf_counter()
        report = imports.run(sessions, vault, SYSTEM, data, "bench-session.csv")
        seconds = time.perf_counter() - start
    with sessions() as session:
        rows = int(session.scalar(select(func.count()).select_from(Checkup)) or 0)
    engine.dispose()
    return seconds, report, rows, spent


def _derived(url: str) -> tuple[int, int]:
    """Tally rows (abnormal or critical families) and tasks the import derived."""
    engine = make_engine(url)
    with engine.connect() as connection:
        tallied = connection.scalar(select(func.count()).select_from(FindingTally)) or 0
        tasks = connection.scalar(select(func.count()).select_from(Task)) or 0
    engine.dispose()
    return int(tallied), int(tasks)


def _plain_rows(frame: pd.DataFrame) -> list[tuple[uuid.UUID, uuid.UUID, date, str]]:
    """The same checkups as plaintext JSON documents, one per row, ready to load."""
    values = frame.drop(columns=["警号", "体检日期"])
    for column in values.columns:
        if column.endswith(")"):  # a quantity, with its unit in the header
            values[column] = pd.to_numeric(values[column], errors="coerce")
    records = values.to_dict("records")
    return [
        (uuid.uuid4(), uuid.uuid4(), EXAM, json.dumps(r, ensure_ascii=False, separators=(",", ":")))
        for r in records
    ]


def _bare_load(url: str, rows: list[tuple[uuid.UUID, uuid.UUID, date, str]]) -> float:
    engine = make_engine(url)
    with engine.begin() as connection:
        kind = "uuid" if engine.dialect.name == "postgresql" else "blob"
        connection.execute(
            text(
                f"CREATE TABLE bare_checkup (id {kind} PRIMARY KEY, officer_id {kind} NOT NULL, "
                "exam_date date NOT NULL, results text NOT NULL)"
            )
        )
    raw = engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        start = time.perf_counter()
        if engine.dialect.name == "postgresql":
            with driver.cursor() as cursor:
                query = "COPY bare_checkup (id, officer_id, exam_date, results) FROM STDIN"
                with cursor.copy(query) as copy:
                    for row in rows:
                        copy.write_row(row)
        else:
            driver.executemany(
                "INSERT INTO bare_checkup VALUES (?, ?, ?, ?)",
                [(a.bytes, b.bytes, c.isoformat(), d) for a, b, c, d in rows],
            )
        driver.commit()
        seconds = time.perf_counter() - start
    finally:
        raw.close()
        engine.dispose()
    return seconds


def _profile(
    backend: str, n: int, badges: list[str], people: People, data: bytes, keys: Path
) -> str:
    """A cProfile of one more import on a fresh database (not the timed one)."""
    with scratch_database(backend) as url:
        _register(url, keys / "profile-keyring.json", badges, people)
        profiler = cProfile.Profile()
        profiler.enable()
        _import(url, keys / "profile-keyring.json", data, phases=False)
        profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(15)
    return f"cProfile, {backend}, {n:,} checkups, top 15 by cumulative time\n{out.getvalue()}"


def run(
    backend: str, n: int, *, profile: bool = False, source: str = "synthetic"
) -> dict[str, Any]:
    """Figures for one backend and data source (``synthetic`` or ``nhanes``); ``profile`` adds
    a cProfile report of a separate run."""
    if source == "nhanes":
        frame, badges, people = nhanes_session(n)
    else:
        frame, badges = session_frame(n)
        people = synthetic_people(n)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    data = buffer.getvalue().encode("utf-8")
    analytes = frame.shape[1] - (3 if "心电图备注" in frame.columns else 2)  # badge, date, remark
    with tempfile.TemporaryDirectory() as tmp:
        keys = Path(tmp)
        with scratch_database(backend) as url:
            _register(url, keys / "keyring.json", badges, people)
            seconds, report, rows, phases = _import(url, keys / "keyring.json", data)
            findings, tasks = _derived(url)
            plain = _plain_rows(frame)
            bare = _bare_load(url, plain)
        assert report.errors == [], report.errors[:5]
        assert report.stored == rows == n, (report.stored, rows, n)
        profile_text = _profile(backend, n, badges, people, data, keys) if profile else ""
    return {
        "n": n,
        "analytes": analytes,
        "mb": len(data) / 1e6,
        "import_s": seconds,
        "bare_s": bare,
        "checkups_s": n / seconds,
        "results_s": n * analytes / seconds,
        "bare_rows_s": n / bare,
        "ratio": seconds / bare,
        "phases": phases,
        "source": source,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "tallied_per_checkup": findings / n,
        "tasks_per_checkup": tasks / n,
        "profile": profile_text,
    }
