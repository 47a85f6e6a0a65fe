"""Whole-file imports: read, preview, then store in chunks that each commit on their own.

A crash leaves whole chunks; running the same file again stores only what is missing, because
every checkup already stored is recognised (same officer, exam date and content).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import socket
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy.orm import Session, sessionmaker

from health.catalog import load_catalog
from health.clock import utcnow
from health.crypto import Sealer, Slot
from health.csv_export import write_rows
from health.errors import NotFound
from health.ingest import (
    CheckupDraft,
    IngestResult,
    ReasonCode,
    RowError,
    read_fhir_bundle,
    read_spreadsheet,
    template,
    template_filename,
)
from health.ingest.cells import cell_text
from health.ingest.sheet import SheetError, load_sheet
from health.services import access, audit, import_stream, intake
from health.services.context import SYSTEM, Actor, Ctx
from health.services.vault import Vault
from health.vocabulary import Action, Role
from models.repositories import planner_stats
from models.repositories import uploads as uploads_repo
from models.tables import Upload

Mode = Literal["all", "valid"]
Progress = Callable[[int, int], None]
HEADER_ROW = 1
# An upload that stored no chunk for this long is taken for dead (a chunk takes seconds).
STALE_AFTER = timedelta(minutes=15)
# Checkups stored by one import before the planner's statistics are first checked; then at
# every doubling (models/repositories/planner_stats.py says why).
ANALYZE_FROM = 10_000


@dataclass
class ImportReport:
    """What an import did (or, as a dry run, would do)."""

    upload_id: uuid.UUID | None
    dry_run: bool
    mode: Mode
    status: str
    layout: str
    rows_read: int
    checkups: int
    valid: int
    stored: int = 0
    duplicates: int = 0
    corrected: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    repeated_file: bool = False
    warnings: list[RowError] = field(default_factory=list)
    exam_date: date | None = None


def _uploads_sealer(vault: Vault) -> Sealer:
    return Sealer(vault.hasher.derive_key(b"upload reports"), 1)


def _report_slot(upload_id: uuid.UUID) -> Slot:
    return Slot("upload", "report", str(upload_id))


# Files that are no table at all, told by their first bytes (the file name is not trusted).
_NOT_TABLES = (
    (b"%PDF", "a PDF report cannot be imported: export the results as CSV or XLSX"),
    (b"\x89PNG", "an image cannot be imported: export the results as CSV or XLSX"),
    (b"\xff\xd8\xff", "an image cannot be imported: export the results as CSV or XLSX"),
    (b"GIF8", "an image cannot be imported: export the results as CSV or XLSX"),
    (b"II*\x00", "an image cannot be imported: export the results as CSV or XLSX"),
    (b"MM\x00*", "an image cannot be imported: export the results as CSV or XLSX"),
    (b"\xd0\xcf\x11\xe0", "an old .xls workbook cannot be read: save it as XLSX or CSV"),
)


def unsupported(data: bytes) -> str | None:
    """Why a file is refused before reading (a PDF, an image, a legacy .xls), or ``None``."""
    return next((reason for magic, reason in _NOT_TABLES if data.startswith(magic)), None)


def read(data: bytes, filename: str, exam_date: date | None = None) -> IngestResult:
    """FHIR Bundles by their JSON shape, PDFs and images refused, the rest as a spreadsheet;
    ``exam_date`` applies to rows without one (a session exported without a date column)."""
    reason = unsupported(data)
    if reason is not None:
        error = RowError(0, "file", "", reason, ReasonCode.UNSUPPORTED_FILE)
        return IngestResult((), (error,), "wide", load_catalog().version, 0)
    if filename.lower().endswith(".json") or data.lstrip()[:1] == b"{":
        return read_fhir_bundle(data)
    return read_spreadsheet(data, filename, exam_date=exam_date)


def _split_warnings(
    errors: Sequence[RowError], mode: Mode
) -> tuple[list[RowError], list[RowError]]:
    """In ``mode=valid`` an unknown column is left out with a warning instead of refusing the
    file: its values are not read, every other column is."""
    if mode != "valid":
        return list(errors), []
    warning = [
        e for e in errors if e.row <= HEADER_ROW and e.reason_code == ReasonCode.UNKNOWN_COLUMN
    ]
    return [e for e in errors if e not in warning], [
        RowError(e.row, e.field, e.value, e.reason, ReasonCode.IGNORED_COLUMN) for e in warning
    ]


def _rejected_drafts(drafts: Sequence[CheckupDraft], errors: Sequence[RowError]) -> set[int]:
    """Positions of drafts touched by any error: a checkup is stored whole or not at all."""
    bad_rows = {e.row for e in errors}
    return {i for i, d in enumerate(drafts) if bad_rows.intersection(d.source_rows)}


def _refused_count(
    drafts: Sequence[CheckupDraft], refused: set[int], errors: Sequence[RowError], kept: int
) -> int:
    """Checkups refused, plus rows refused before they could become a checkup at all."""
    covered = {row for draft in drafts for row in draft.source_rows}
    orphan_rows = {e.row for e in errors if e.row > HEADER_ROW and e.row not in covered}
    return len(drafts) - kept + len(orphan_rows)


def _file_level(errors: Sequence[RowError], layout: str) -> bool:
    """Header problems (an unknown column, an unreadable file) concern every row."""
    return layout != "fhir" and any(e.row <= HEADER_ROW for e in errors)


def run(
    sessions: sessionmaker[Session],
    vault: Vault,
    actor: Actor,
    data: bytes,
    filename: str,
    *,
    dry_run: bool = False,
    mode: Mode = "all",
    chunk_size: int = 2000,
    progress: Progress | None = None,
    exam_date: date | None = None,
) -> ImportReport:
    """Import one file as ``actor``; all-or-nothing (``all``) or the valid rows (``valid``).

    ``valid`` and ``rejected`` count checkups whatever the mode, so a ``mode=all`` preview of a
    file with five bad rows says how many are fine and that five are not. A wide CSV is read
    in parts of ``chunk_size`` rows (``import_stream``), anything else whole.
    """
    with sessions.begin() as session:
        access.require(Ctx(session, vault, actor), Action.CHECKUP_IMPORT)
    if unsupported(data) is None and import_stream.streamable(data, filename):
        return _run_streamed(
            sessions, vault, actor, data, dry_run, mode, chunk_size, progress, exam_date
        )
    parsed = read(data, filename, exam_date)
    with sessions.begin() as session:
        resolution = intake.resolve(
            Ctx(session, vault, actor), parsed.drafts, parsed.identity_headers
        )
    found, warnings = _split_warnings(parsed.errors, mode)
    errors = sorted([*found, *resolution.errors], key=lambda e: (e.row, e.field))
    if not parsed.drafts and not errors:
        errors = [RowError(0, "file", "", "the file has no data rows", ReasonCode.MALFORMED_FILE)]
    refused = _rejected_drafts(parsed.drafts, errors)
    file_level = _file_level(errors, parsed.layout)
    valid = [] if file_level else [r for r in resolution.items if r.position not in refused]
    items = [] if mode == "all" and errors else valid
    report = ImportReport(
        None,
        dry_run,
        mode,
        "preview" if dry_run else "stored",
        parsed.layout,
        parsed.rows_read,
        len(parsed.drafts),
        len(valid),
        rejected=_refused_count(parsed.drafts, refused, errors, len(valid)),
        errors=errors,
        warnings=warnings,
        exam_date=exam_date,
    )
    if dry_run:
        return report
    chunks = (
        (items[start : start + chunk_size], resolution.sealers)
        for start in range(0, len(items), chunk_size)
    )
    return _commit(
        sessions,
        vault,
        actor,
        data,
        report,
        catalog_version=parsed.catalog_version,
        refused_rows=lambda: _refused_rows(
            data, filename, parsed, errors, refused, everything=not items
        ),
        batches=chunks,
        total=len(items),
        progress=progress,
    )


def _run_streamed(
    sessions: sessionmaker[Session],
    vault: Vault,
    actor: Actor,
    data: bytes,
    dry_run: bool,
    mode: Mode,
    chunk_size: int,
    progress: Progress | None,
    exam_date: date | None,
) -> ImportReport:
    """``run`` for a wide CSV: decided on a first pass, stored on a second (import_stream)."""
    checked = import_stream.check(
        sessions, vault, actor, data, rows=chunk_size, exam_date=exam_date
    )
    found, warnings = _split_warnings(checked.errors, mode)
    errors = sorted(found, key=lambda e: (e.row, e.field))
    if not checked.checkups and not errors:
        errors = [RowError(0, "file", "", "the file has no data rows", ReasonCode.MALFORMED_FILE)]
    checked.errors = errors
    file_level = _file_level(errors, "wide")
    valid = checked.valid(file_level)
    storing = valid > 0 and not (mode == "all" and errors)
    report = ImportReport(
        None,
        dry_run,
        mode,
        "preview" if dry_run else "stored",
        "wide",
        checked.rows_read,
        checked.checkups,
        valid,
        rejected=checked.checkups - valid + checked.orphan_rows(),
        errors=errors,
        warnings=warnings,
        exam_date=exam_date,
    )
    if dry_run:
        return report
    refused = checked.error_rows()
    stored_batches = import_stream.batches(
        sessions, vault, actor, data, rows=chunk_size, exam_date=exam_date, refused=refused
    )
    return _commit(
        sessions,
        vault,
        actor,
        data,
        report,
        catalog_version=checked.catalog_version,
        refused_rows=lambda: _streamed_refused_rows(
            data, chunk_size, errors, refused, everything=not storing
        ),
        batches=stored_batches if storing else iter(()),
        total=valid if storing else 0,
        progress=progress,
    )


def _commit(
    sessions: sessionmaker[Session],
    vault: Vault,
    actor: Actor,
    data: bytes,
    report: ImportReport,
    *,
    catalog_version: str,
    refused_rows: Callable[[], RefusedRows | None],
    batches: Iterable[import_stream.Batch],
    total: int,
    progress: Progress | None,
) -> ImportReport:
    """Record the upload (errors and refused rows sealed), then store each batch in its own
    transaction with a heartbeat, and close the upload with its outcome."""
    fail_stuck(sessions, vault)
    content_hash = vault.hasher.content_hash(b"upload\x00" + data)
    upload_id = uuid.uuid4()
    errors, warnings = report.errors, report.warnings
    with sessions.begin() as session:
        ctx = Ctx(session, vault, actor)
        report.repeated_file = uploads_repo.stored_before(session, content_hash)
        uploads_repo.add(
            session,
            Upload(
                id=upload_id,
                created_at=ctx.clock(),
                created_by=actor.id,
                kind=report.layout,
                mode=report.mode,
                status="running",
                worker=worker_id(),
                heartbeat_at=ctx.clock(),
                content_hash=content_hash,
                catalog_version=catalog_version,
                rows_read=report.rows_read,
                checkups=report.checkups,
                rejected=report.rejected,
                report=_uploads_sealer(vault).seal(
                    _report_bytes(errors, warnings, refused_rows()), _report_slot(upload_id)
                ),
            ),
        )
        audit.record(
            ctx,
            "upload.create",
            "upload",
            resource_id=str(upload_id),
            detail=f"checkups={report.checkups} errors={len(errors)}",
        )
    report.upload_id = upload_id
    done = 0
    statistics = _Statistics(sessions, ANALYZE_FROM)
    for chunk, sealers in batches:
        with sessions.begin() as session:
            stored = intake.store(Ctx(session, vault, actor), chunk, sealers, upload_id=upload_id)
            uploads_repo.add_counts(
                session,
                upload_id,
                stored.stored - stored.corrected,
                stored.duplicates,
                stored.corrected,
                heartbeat=utcnow(),
            )
        report.stored += stored.stored - stored.corrected
        report.duplicates += stored.duplicates
        report.corrected += stored.corrected
        statistics.after(report.stored)
        done += len(chunk)
        if progress is not None:
            progress(min(done, total), total)
    stored_any = total > 0
    report.status = "stored" if not errors else ("partial" if stored_any else "rejected")
    with sessions.begin() as session:
        uploads_repo.finish(session, upload_id, report.status)
    return report


class _Statistics:
    """Keeps the planner's idea of the checkup and task tables within a factor of two of what
    this import has stored, so each chunk's lookups stay index lookups however far the import
    has grown the tables: checked at ``first`` stored checkups and at every doubling after,
    analysed only when the planner assumes fewer checkups than this import alone added."""

    def __init__(self, sessions: sessionmaker[Session], first: int) -> None:
        self._sessions = sessions
        self._next = first

    def after(self, stored: int) -> None:
        if stored < self._next:
            return
        self._next = 2 * stored
        with self._sessions.begin() as session:
            believed = planner_stats.believed_checkups(session)
            if believed is not None and believed < stored:
                planner_stats.analyze_read_back(session)


def worker_id() -> str:
    """Who runs an import: this host and process."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def _gone(worker: str | None) -> bool:
    """Whether the process that ran an upload is known to be dead (same host, no such pid)."""
    host, _, pid = (worker or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def fail_stuck(
    sessions: sessionmaker[Session], vault: Vault, *, stale_after: timedelta = STALE_AFTER
) -> int:
    """Mark uploads left ``running`` by a killed process as ``failed``: its process is gone
    (same host), or it stored nothing for ``stale_after``. Run before each import and at
    start-up; re-importing the file stores what is missing (checkups are recognised)."""
    now = utcnow()
    failed = 0
    with sessions.begin() as session:
        ctx = Ctx(session, vault, SYSTEM)
        for upload in uploads_repo.running(session):
            beat = upload.heartbeat_at or upload.created_at
            if _gone(upload.worker) or now - beat > stale_after:
                uploads_repo.finish(session, upload.id, "failed")
                audit.record(
                    ctx, "upload.fail", "upload", resource_id=str(upload.id), detail="stuck"
                )
                failed += 1
    return failed


def _error_dicts(errors: Sequence[RowError]) -> list[dict[str, Any]]:
    return [
        {
            "row": e.row,
            "field": e.field,
            "value": e.value,
            "reason": e.reason,
            "code": str(e.reason_code),
        }
        for e in errors
    ]


@dataclass(frozen=True)
class RefusedRows:
    """The refused rows of a spreadsheet exactly as uploaded, for the medic to fix and resend."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]


def _cell(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()[:10]
    return cell_text(value) or ""


def _refused_rows(
    data: bytes,
    filename: str,
    parsed: IngestResult,
    errors: Sequence[RowError],
    refused: set[int],
    *,
    everything: bool,
) -> RefusedRows | None:
    """Rows not stored: all of them when nothing was, else each row with an error and every
    row of a checkup an error refused (long sheets spread one checkup over many rows)."""
    if parsed.layout == "fhir" or unsupported(data) is not None or not errors:
        return None
    try:
        sheet = load_sheet(data, filename)
    except SheetError:
        return None
    first, n = sheet.first_row, sheet.n_rows
    if everything:
        wanted = set(range(first, first + n))
    else:
        wanted = {e.row for e in errors if e.row >= first}
        wanted.update(row for i in refused for row in parsed.drafts[i].source_rows)
    rows = [
        (row, [_cell(column[row - first]) for column in sheet.columns])
        for row in sorted(wanted)
        if first <= row < first + n
    ]
    rows = [(row, cells) for row, cells in rows if any(cells)]
    return RefusedRows([_cell(h) for h in sheet.headers], rows)


def _streamed_refused_rows(
    data: bytes, rows: int, errors: Sequence[RowError], refused: set[int], *, everything: bool
) -> RefusedRows | None:
    """``_refused_rows`` for a file read in parts (wide: one row per checkup)."""
    if not errors:
        return None
    try:
        headers, found = import_stream.raw_rows(
            data, rows=rows, wanted=None if everything else refused
        )
    except SheetError:
        return None
    cells = [(row, [_cell(c) for c in raw]) for row, raw in found]
    return RefusedRows([_cell(h) for h in headers], [(r, c) for r, c in cells if any(c)])


def _report_bytes(
    errors: Sequence[RowError], warnings: Sequence[RowError], refused: RefusedRows | None
) -> bytes:
    document: dict[str, Any] = {
        "errors": _error_dicts(errors),
        "warnings": _error_dicts(warnings),
    }
    if refused is not None:
        document["headers"] = refused.headers
        document["rows"] = [[row, cells] for row, cells in refused.rows]
    return json.dumps(document, ensure_ascii=False).encode()


def csv_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    """UTF-8 CSV with a byte-order mark (Excel needs it for Chinese); a cell that a spreadsheet
    would run as a formula (``=``, ``+``, ``-``, ``@`` first) is prefixed with ``'``, except
    numbers and dipstick grades (``-``, ``++``): the refused rows go back into the importer, and
    the shared writer (health.csv_export) would turn a negative dipstick into ``'-``."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([_inert(str(cell)) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


_DIPSTICK = re.compile(r"^[-+±()]+$")


def _inert(text: str) -> str:
    """Formula-looking cells are defused; numbers and dipstick grades (``-``, ``++``) are data
    that must survive a re-upload unchanged."""
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not (
        _is_number(text) or _DIPSTICK.match(text)
    ):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


REASON_HEADER = "错误原因 Errors"


def rejected_csv(ctx: Ctx, upload_id: uuid.UUID) -> bytes:
    """The refused rows as uploaded (same columns, plus one naming each row's problems), to
    fix and upload again; a FHIR Bundle's refusals come as a list of errors."""
    access.require(ctx, Action.UPLOAD_READ)
    upload = uploads_repo.get(ctx.session, upload_id)
    if upload is None or (upload.created_by != ctx.actor.id and ctx.actor.role != Role.SYSTEM):
        access.deny(ctx, "upload.read", "upload", resource_id=str(upload_id))
        raise NotFound("upload not found", code="upload_not_found")
    assert upload.report is not None
    document = json.loads(_uploads_sealer(ctx.vault).open(upload.report, _report_slot(upload_id)))
    if isinstance(document, list):  # uploads stored before refused rows were kept
        document = {"errors": document}
    errors: list[dict[str, Any]] = document["errors"]
    audit.record(ctx, "upload.read", "upload", resource_id=str(upload_id))
    if "rows" not in document:
        text = write_rows(
            ["row", "field", "value", "reason", "code"],
            ([e["row"], e["field"], e["value"], e["reason"], e["code"]] for e in errors),
            excel_bom=True,
        )
        return text.encode("utf-8")
    by_row: dict[int, list[str]] = {}
    for e in errors:
        by_row.setdefault(e["row"], []).append(f"{e['field']}: {e['reason']}")
    general = "; ".join(f"{e['field']}: {e['reason']}" for e in errors if e["row"] <= HEADER_ROW)
    lines: list[list[object]] = [[*document["headers"], REASON_HEADER]]
    for row, cells in document["rows"]:
        lines.append([*cells, "; ".join(by_row.get(row, [])) or general])
    return csv_bytes(lines)


def template_for(ctx: Ctx) -> tuple[str, bytes]:
    """The blank CSV for the current catalog version (medics fill it in)."""
    access.require(ctx, Action.CHECKUP_TEMPLATE)
    catalog = load_catalog()
    return template_filename(catalog), template(catalog)
