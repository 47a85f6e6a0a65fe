"""Generating a Bulk Data export: ``run_export`` is a plain function of (sessions, vault, id)
that the API runs in-process after the kick-off and a job runner may call as well.

Idempotent and restartable: it claims the export with one UPDATE (accepted, or running with a
stale heartbeat), starts from nothing (files of an interrupted run are dropped first), and a
second call for a finished export changes nothing. It acts as the account that asked, with
that account's scope as it is when the export runs, checks each officer as a read would
(``record.open_officer``) and audits every officer whose data goes out. Resources are built by
the same builders as the read API and validated line by line; each file holds at most
``PART_LINES`` lines and is sealed with the export's data key before it is stored.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy.orm import Session, sessionmaker

from health.clock import utcnow
from health.crypto import Sealer
from health.errors import HealthError
from health.services import audit, fhir_read, record
from health.services import fhir_resources as build
from health.services.audit import EventSpec
from health.services.context import Actor, Ctx
from health.services.fhir_clinical import CLINICAL_TYPES, clinical_resources
from health.services.fhir_export import EXPORT_TTL, file_slot, sealer_of
from health.services.fhir_search import last_updated
from health.services.fhir_tasks import task_resource
from health.services.vault import Vault
from health.vocabulary import Action, ExportStatus
from models.repositories import exports as exports_repo
from models.repositories import officer_roster as roster_repo
from models.repositories import tasks as tasks_repo
from models.repositories import units as units_repo
from models.repositories import users as users_repo
from models.tables import Officer
from models.tables_export import BulkExport, BulkExportFile

PART_LINES: Final = 10_000
OFFICERS_PER_CHUNK: Final = 200
STALE_AFTER: Final = timedelta(minutes=5)


class _Cancelled(Exception):
    """The request row is gone: its owner cancelled the export while it ran."""


@dataclass
class _Plan:
    """What one run exports, read once from the request row."""

    export_id: uuid.UUID
    actor: Actor
    types: tuple[str, ...]
    since: datetime | None
    paths: tuple[str, ...]
    group_path: str | None


@dataclass
class _Writer:
    """Lines per type, sealed into a new file whenever a part is full."""

    sealer: Sealer
    export_id: uuid.UUID
    clock: Callable[[], datetime]
    lines: dict[str, list[str]] = field(default_factory=dict)
    parts: dict[str, int] = field(default_factory=dict)

    def add(self, session: Session, resources: Iterable[dict[str, Any]]) -> None:
        for resource in resources:
            kind = str(resource["resourceType"])
            self.lines.setdefault(kind, []).append(
                json.dumps(resource, ensure_ascii=False, separators=(",", ":"))
            )
            if len(self.lines[kind]) >= PART_LINES:
                self._seal(session, kind)

    def flush(self, session: Session) -> None:
        for kind in list(self.lines):
            if self.lines[kind]:
                self._seal(session, kind)

    def _seal(self, session: Session, kind: str) -> None:
        lines = self.lines.pop(kind)
        part = self.parts.get(kind, 0) + 1
        self.parts[kind] = part
        file_id = uuid.uuid4()
        content = ("\n".join(lines) + "\n").encode()
        exports_repo.add_file(
            session,
            BulkExportFile(
                id=file_id,
                export_id=self.export_id,
                resource_type=kind,
                part=part,
                count=len(lines),
                created_at=self.clock(),
                content=self.sealer.seal(content, file_slot(file_id)),
            ),
        )


def run_export(
    sessions: sessionmaker[Session],
    vault: Vault,
    export_id: uuid.UUID,
    *,
    clock: Callable[[], datetime] = utcnow,
) -> str:
    """Generate one export; returns what happened (for a job's log), never raises for a
    refusal: an export that cannot run is marked failed with the reason's code."""
    with sessions.begin() as session:
        now = clock()
        if not exports_repo.claim(session, export_id, now, now - STALE_AFTER):
            return "not claimable (done, cancelled, running elsewhere or unknown)"
        export = exports_repo.get(session, export_id)
        assert export is not None
        exports_repo.drop_files(session, [export_id])
        plan = _plan(session, export)
    if plan is None:
        with sessions.begin() as session:
            exports_repo.fail(session, export_id, "requester_gone", clock())
        return "failed: the requesting account is disabled or gone"
    try:
        return _generate(sessions, vault, plan, clock)
    except HealthError as exc:
        with sessions.begin() as session:
            exports_repo.fail(session, export_id, exc.code, clock())
        return f"failed: {exc.code}"


def run_pending(
    sessions: sessionmaker[Session], vault: Vault, *, clock: Callable[[], datetime] = utcnow
) -> list[str]:
    """Every export still waiting (its in-process run was lost to a restart, or it was never
    started), each claimed as ``run_export`` claims it, so a running one is left alone."""
    with sessions() as session:
        waiting = exports_repo.pending(session)
    return [run_export(sessions, vault, export_id, clock=clock) for export_id in waiting]


def _plan(session: Session, export: BulkExport) -> _Plan | None:
    user = users_repo.get(session, export.requested_by)
    if user is None or user.disabled:
        return None
    paths = users_repo.unit_paths(session, user.id)
    actor = Actor(
        id=str(user.id), role=user.role, source="export", user_id=user.id, unit_paths=paths
    )
    group_path = None
    if export.group_unit_id is not None:
        unit = units_repo.get(session, export.group_unit_id)
        group_path = unit.path if unit is not None else None
        if group_path is None or not any(group_path.startswith(p) for p in paths):
            return None
    return _Plan(export.id, actor, tuple(export.types.split(",")), export.since, paths, group_path)


def _generate(
    sessions: sessionmaker[Session], vault: Vault, plan: _Plan, clock: Callable[[], datetime]
) -> str:
    scope = (plan.group_path,) if plan.group_path is not None else plan.paths
    with sessions.begin() as session:
        ctx = Ctx(session, vault, plan.actor, clock)
        export = exports_repo.get(session, plan.export_id)
        assert export is not None
        writer = _Writer(sealer_of(ctx, export), plan.export_id, clock)
        total = roster_repo.count_in_subtrees(session, scope)
        if "Organization" in plan.types:
            writer.add(session, _organizations(session, scope, plan.since))
        writer.flush(session)
    done = 0
    try:
        while True:
            with sessions.begin() as session:
                # The heartbeat first: it locks the request row, so a cancel waits for this
                # chunk and then deletes its files with the rest.
                if not exports_repo.beat(session, plan.export_id, clock(), done, total):
                    raise _Cancelled
                ctx = Ctx(session, vault, plan.actor, clock)
                page = roster_repo.page_in_subtrees(session, scope, done, OFFICERS_PER_CHUNK)
                writer.add(session, _officers(ctx, page, plan))
                done += len(page)
            if len(page) < OFFICERS_PER_CHUNK:
                break
    except _Cancelled:
        return ExportStatus.CANCELLED
    with sessions.begin() as session:
        if not exports_repo.beat(session, plan.export_id, clock(), done, total):
            return ExportStatus.CANCELLED
        writer.flush(session)
        now = clock()
        exports_repo.finish(session, plan.export_id, ExportStatus.COMPLETED, now, now + EXPORT_TTL)
    return f"exported {done} officers"


def _organizations(
    session: Session, scope: tuple[str, ...], since: datetime | None
) -> list[dict[str, Any]]:
    units = [
        u
        for u in units_repo.list_all(session)
        if any(u.path.startswith(p) for p in scope) and (since is None or u.created_at >= since)
    ]
    return [
        build.validated(build.organization(u.id, u.code, u.name, u.kind, u.parent_id, u.created_at))
        for u in sorted(units, key=lambda u: u.path)
    ]


def _officers(ctx: Ctx, page: Iterable[Any], plan: _Plan) -> list[dict[str, Any]]:
    """Every wanted resource of each officer of the page, the read audited per officer."""
    out: list[dict[str, Any]] = []
    clinical = tuple(t for t in plan.types if t in CLINICAL_TYPES)
    seen: list[Officer] = []
    records: list[record.Opened] = []
    for officer, key, _unit in page:
        if "Patient" in plan.types and _fresh(officer.created_at, plan.since):
            out.append(build.validated(build.patient(fhir_read.person(ctx, officer, key))))
        if clinical:
            records.append(record.open_officer(ctx, officer.id, Action.FHIR_EXPORT)[0])
        if "Task" in plan.types:
            out += [
                task_resource(t)
                for t in tasks_repo.of_officer(ctx.session, officer.id)
                if _fresh(t.closed_at or t.created_at, plan.since)
            ]
        seen.append(officer)
    if records:
        out += [
            r
            for r in clinical_resources(ctx, records, clinical)
            if _fresh(last_updated(r), plan.since)
        ]
    audit.record_many(
        ctx,
        [
            EventSpec(
                Action.FHIR_EXPORT,
                "officer",
                str(o.id),
                o.id,
                purpose="care",
                detail=f"export={plan.export_id}",
            )
            for o in seen
        ],
    )
    return out


def _fresh(updated: datetime | None, since: datetime | None) -> bool:
    """``_since``: resources changed at or after the instant (all of them without one)."""
    return since is None or (updated is not None and updated >= since)
