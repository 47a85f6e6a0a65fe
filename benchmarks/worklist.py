"""Issue 6: a unit manager's worklist and unit figures for a bureau of ~10k officers, in a force
of N officers (1 force → 10 bureaus → 100 stations) with 2N follow-up tasks, on PostgreSQL and
SQLite.

Each is timed through the real service function (audit row and commit included) against a bare
SQL query of the same rows in the same run. Targets: p99 ≤ 50 ms (worklist), ≤ 200 ms (figures).
The data goes straight into the tables with COPY: only the columns these reads use are real;
sealed columns hold random bytes. The bare figures SQL counts ``finding_tally`` rows per family
for the force (it cannot link them to officers without the key, as the service does).
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, bindparam, insert, text
from sqlalchemy.orm import Session, sessionmaker

from api.runtime import freeze_startup_heap
from benchmarks.common import scratch_database
from health.crypto import FileKeyProvider
from health.services import finding_tally, unit_reports, worklists
from health.services.context import MANAGER, SYSTEM, Actor, Ctx
from health.services.vault import Vault, unlock
from health.vocabulary import CLOSED_STATUSES, Outcome, TaskStatus, TaskType
from models.bulk import insert_rows
from models.db import make_engine, make_sessionmaker
from models.repositories.tasks import OPEN, Filters
from models.tables import Base, Unit

NOW = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
YEAR = 2026
BUREAUS, STATIONS = 10, 10
FAMILIES = ("glucose", "lipids", "blood_pressure", "kidney", "liver", "weight")
TYPES = tuple(TaskType)
STATUS_WEIGHTS = {
    TaskStatus.REQUESTED: 20,
    TaskStatus.ACCEPTED: 10,
    TaskStatus.IN_PROGRESS: 8,
    TaskStatus.ON_HOLD: 2,
    TaskStatus.COMPLETED: 50,
    TaskStatus.CANCELLED: 5,
    TaskStatus.FAILED: 5,
}
CLOSED = CLOSED_STATUSES


@dataclass(frozen=True)
class Force:
    bureau: Unit
    officers: int
    tasks: int
    bureau_officers: int
    postgres: bool


def _units() -> tuple[list[dict[str, Any]], list[uuid.UUID]]:
    rows: list[dict[str, Any]] = []

    def add(parent: dict[str, Any] | None, kind: str, n: int) -> dict[str, Any]:
        unit_id = uuid.uuid4()
        path = f"{parent['path'] if parent else '/'}{unit_id}/"
        row = {
            "id": unit_id,
            "parent_id": parent["id"] if parent else None,
            "kind": kind,
            "code": f"{kind[0].upper()}{n:04d}",
            "name": f"{kind} {n}",
            "path": path,
            "created_at": NOW - timedelta(days=900),
        }
        rows.append(row)
        return row

    force = add(None, "force", 0)
    stations = []
    for b in range(BUREAUS):
        bureau = add(force, "bureau", b)
        stations.extend(add(bureau, "station", b * STATIONS + s)["id"] for s in range(STATIONS))
    return rows, stations


def _copy(
    engine: Engine, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """COPY on PostgreSQL, one executemany on SQLite (the service's own bulk writer)."""
    with Session(engine) as session, session.begin():
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        insert_rows(session, Base.metadata.tables[table], records)


def build(engine: Engine, n: int, rng: random.Random, vault: Vault) -> Force:
    """Units through Core, everything else through COPY; then VACUUM ANALYZE, as autovacuum
    would."""
    tokens = finding_tally.Tokens(vault.hasher)
    units, stations = _units()
    with engine.begin() as connection:
        connection.execute(insert(Unit), units)
    blob = rng.randbytes(48)
    start = NOW - timedelta(days=640)
    officer_unit = [stations[i % len(stations)] for i in range(n)]
    officer_ids = [uuid.uuid4() for _ in range(n)]
    _copy(
        engine,
        "officer",
        ("id", "unit_id", "created_at"),
        ((o, u, start) for o, u in zip(officer_ids, officer_unit, strict=True)),
    )
    checkups, screenings, findings = [], [], []
    for officer_id, unit_id in zip(officer_ids, officer_unit, strict=True):
        for year, share in ((YEAR - 1, 0.9), (YEAR, 0.7)):
            if rng.random() >= share:
                continue
            exam = date(year, 1, 1) + timedelta(days=rng.randrange(0, 270))
            checkup_id = uuid.uuid4()
            checkups.append(
                (checkup_id, officer_id, unit_id, exam, 1, "current", blob[:32], blob, start, "b")
            )
            if rng.random() < 0.35:
                screening_id = uuid.uuid4()
                screenings.append(
                    (screening_id, checkup_id, officer_id, "d", "1", "current", start, "b", blob)
                )
                for family in rng.sample(FAMILIES, rng.randrange(1, 3)):
                    severity = rng.choice(("abnormal", "abnormal", "critical", "borderline"))
                    findings.append((tokens(screening_id), family, exam.year, severity))
    _copy(
        engine,
        "checkup",
        (
            "id",
            "officer_id",
            "unit_id",
            "exam_date",
            "version",
            "status",
            "content_hash",
            "results",
            "created_at",
            "created_by",
        ),
        checkups,
    )
    _copy(
        engine,
        "screening",
        (
            "id",
            "checkup_id",
            "officer_id",
            "ruleset",
            "ruleset_version",
            "status",
            "created_at",
            "created_by",
            "document",
        ),
        screenings,
    )
    _copy(engine, "finding_tally", ("token", "family", "year", "severity"), findings)
    statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    span = int((NOW - start).total_seconds())
    tasks = []
    for i in range(2 * n):
        officer = i % n
        created = start + timedelta(seconds=rng.randrange(span))
        due = created + timedelta(days=rng.choice((1, 7, 14, 30, 90)))
        status = rng.choices(statuses, weights)[0]
        closed = None
        if status in CLOSED:
            closed = min(created + timedelta(hours=rng.randrange(1, 24 * 120)), NOW)
        tasks.append(
            (
                uuid.uuid4(),
                officer_ids[officer],
                officer_unit[officer],
                rng.choice(TYPES),
                status,
                rng.randrange(1, 5),
                due,
                1,
                created.date(),
                created,
                closed,
                Outcome.DONE_WITH_RESULT if status == TaskStatus.COMPLETED else None,
                blob,
            )
        )
    _copy(
        engine,
        "task",
        (
            "id",
            "officer_id",
            "unit_id",
            "type",
            "status",
            "priority",
            "due",
            "version",
            "exam_date",
            "created_at",
            "closed_at",
            "outcome",
            "detail",
        ),
        tasks,
    )
    postgres = engine.dialect.name == "postgresql"
    # Autovacuum vacuums insert-only tables too (PostgreSQL 13+), which sets the visibility map
    # that index-only scans (the worklist's page) rely on.
    with engine.connect() as connection:
        autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
        autocommit.execute(text("VACUUM ANALYZE" if postgres else "ANALYZE"))
    bureau_row = units[1]
    bureau = Unit(**bureau_row)
    inside = sum(1 for u in officer_unit if str(u) in {str(r["id"]) for r in units[2:12]})
    return Force(bureau, n, len(tasks), inside, postgres)


WORKLIST_SQL = text(
    """
    SELECT t.id, t.unit_id, t.type, t.status, t.priority, t.due, t.version
    FROM task t JOIN unit u ON u.id = t.unit_id
    WHERE u.path LIKE :prefix AND t.status IN :open AND t.due < :now
    ORDER BY t.due, t.id LIMIT 50
    """
).bindparams(bindparam("open", list(OPEN), expanding=True))
WORKLIST_COUNT_SQL = text(
    """
    SELECT count(*) FROM task t JOIN unit u ON u.id = t.unit_id
    WHERE u.path LIKE :prefix AND t.status IN :open AND t.due < :now
    """
).bindparams(bindparam("open", list(OPEN), expanding=True))
# The bureau's task, officer and finding figures for one year, per unit and rolled up.
FIGURES_SQL = text(
    """
    WITH scope AS (SELECT id, path FROM unit WHERE path LIKE :prefix),
    tasks AS (
        SELECT a.id AS anc, a.id = t.unit_id AS own, t.*
        FROM task t JOIN unit u ON u.id = t.unit_id JOIN scope a ON u.path LIKE a.path || '%'
    ),
    cohort AS (
        SELECT * FROM tasks
        WHERE due >= :y0 AND due < :y1 AND due <= :now AND status <> 'cancelled'
    ),
    task_figures AS (
        SELECT anc, count(*) AS tasks_due,
               count(*) FILTER (WHERE status = 'completed') AS completed,
               count(*) FILTER (WHERE status = 'completed' AND closed_at <= due) AS on_time,
               percentile_cont(0.5) WITHIN GROUP (
                   ORDER BY extract(epoch FROM closed_at - created_at) / 86400
               ) FILTER (WHERE status = 'completed') AS median_days
        FROM cohort GROUP BY anc
    ),
    overdue AS (
        SELECT anc, count(*) AS overdue FROM tasks
        WHERE created_at <= :snap AND (closed_at IS NULL OR closed_at > :snap) AND due < :snap
        GROUP BY anc
    ),
    people AS (
        SELECT a.id AS anc, count(*) AS officers,
               count(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM checkup c WHERE c.officer_id = o.id AND c.status = 'current'
                   AND c.exam_date >= :d0 AND c.exam_date < :d1)) AS checked
        FROM officer o JOIN unit u ON u.id = o.unit_id JOIN scope a ON u.path LIKE a.path || '%'
        WHERE o.erased_at IS NULL GROUP BY a.id
    ),
    finding_counts AS (
        SELECT family, count(*) AS n FROM finding_tally
        WHERE severity IN ('abnormal', 'critical') AND year = :year GROUP BY family
    )
    SELECT s.id, p.officers, p.checked, t.tasks_due, t.completed, t.on_time, t.median_days,
           o.overdue, (SELECT json_object_agg(family, n) FROM finding_counts f)
    FROM scope s LEFT JOIN people p ON p.anc = s.id LEFT JOIN task_figures t ON t.anc = s.id
    LEFT JOIN overdue o ON o.anc = s.id
    """
)


def _figures_params(prefix: str, year: int) -> dict[str, Any]:
    y0, y1 = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    return {
        "prefix": prefix,
        "y0": y0,
        "y1": y1,
        "now": NOW,
        "snap": min(NOW, y1),
        "d0": y0.date(),
        "d1": y1.date(),
        "year": year,
    }


def _time(call: Callable[[], Any], repetitions: int) -> dict[str, float]:
    call()  # warm caches and the plan cache once, as a serving process would be
    samples = []
    for _ in range(repetitions):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "p50_ms": statistics.median(samples),
        "p99_ms": samples[min(len(samples) - 1, int(len(samples) * 0.99))],
        "n": len(samples),
    }


def _profile(call: Callable[[], Any]) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    call()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(10)
    return out.getvalue()


class Bench:
    def __init__(self, sessions: sessionmaker[Session], vault: Vault, force: Force) -> None:
        self.sessions, self.vault, self.force = sessions, vault, force
        self.actor = Actor(id="bench-manager", role=MANAGER, unit_paths=(force.bureau.path,))

    def _ctx(self, session: Session, actor: Actor | None = None) -> Ctx:
        return Ctx(session, self.vault, actor or self.actor, clock=lambda: NOW)

    def worklist(self) -> int:
        filters = Filters(statuses=tuple(OPEN), overdue=True)
        with self.sessions.begin() as session:
            page = worklists.worklist(self._ctx(session), filters, sort="due", page_size=50)
        return page.total

    def worklist_sql(self) -> int:
        params = {"prefix": f"{self.force.bureau.path}%", "now": NOW}
        with self.sessions() as session:
            rows = session.execute(WORKLIST_SQL, params).all()
            total = int(session.execute(WORKLIST_COUNT_SQL, params).scalar_one())
        assert len(rows) == 50
        return total

    def figures(self, live: bool = False) -> int:
        with self.sessions.begin() as session:
            found = unit_reports.metrics(self._ctx(session), self.force.bureau.id, YEAR, live=live)
        return len(found.units)

    def figures_sql(self) -> int:
        """PostgreSQL only (FILTER, percentile_cont, json_object_agg)."""
        prefix = f"{self.force.bureau.path}%"
        with self.sessions() as session:
            rows = session.execute(FIGURES_SQL, _figures_params(prefix, YEAR)).all()
            session.execute(FIGURES_SQL, _figures_params(prefix, YEAR - 1)).all()
        return len(rows)

    def report(self) -> float:
        start = time.perf_counter()
        with self.sessions.begin() as session:
            unit_reports.compute(self._ctx(session, SYSTEM), YEAR)
        return time.perf_counter() - start


def run(
    n: int, repetitions: int = 200, live_repetitions: int = 20, backend: str = "postgresql"
) -> dict[str, Any]:
    """Build the force, then time every path and its baseline; figures in milliseconds."""
    rng = random.Random(6)
    with scratch_database(backend) as url, tempfile.TemporaryDirectory() as keys:
        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        provider = FileKeyProvider(Path(keys) / "bench-keyring.json")
        with sessions.begin() as session:
            vault = unlock(session, provider, create=True)
        started = time.perf_counter()
        force = build(engine, n, rng, vault)
        load_s = time.perf_counter() - started
        bench = Bench(sessions, vault, force)
        freeze_startup_heap()  # as a serving worker does once it is ready
        total, bare_total = bench.worklist(), bench.worklist_sql()
        assert total == bare_total, (total, bare_total)
        results: dict[str, Any] = {
            "load_s": load_s,
            "force": force,
            "overdue_in_bureau": total,
            "worklist": _time(bench.worklist, repetitions),
            "worklist_sql": _time(bench.worklist_sql, repetitions),
            "figures_sql": (_time(bench.figures_sql, repetitions) if force.postgres else None),
            "figures_live": _time(lambda: bench.figures(live=True), live_repetitions),
        }
        results["report_s"] = bench.report()
        results["figures"] = _time(bench.figures, repetitions)
        results["profile"] = (
            _profile(lambda: bench.figures(live=True))
            if os.environ.get("BENCH_PROFILE") == "1"
            else ""
        )
        engine.dispose()
    return results
