"""FHIR Bulk Data export requests: kick-off, status, file download, cancel, expiry.

The asynchronous pattern of the Bulk Data IG (v2): a kick-off answers 202 with the status URL,
the status answers 202 with progress until the manifest is ready, the manifest lists NDJSON
files. Only the account that asked may poll, download or cancel; everyone else gets 404 as if
the export did not exist. Files are sealed with the export's own data key until they are
downloaded, and everything (files, request, wrapped key) is deleted when the export expires
(``EXPORT_TTL`` after completion) or is cancelled. The generation itself is ``fhir_export_run``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from health.crypto import Sealer, Slot, new_data_key
from health.errors import HealthError, Invalid, NotFound
from health.services import access, audit
from health.services.context import Ctx
from health.vocabulary import Action, ExportStatus
from models.repositories import exports as exports_repo
from models.tables_export import BulkExport

EXPORT_TYPES: Final = (
    "Patient",
    "Organization",
    "Observation",
    "DiagnosticReport",
    "Flag",
    "RiskAssessment",
    "Task",
)
EXPORT_TTL: Final = timedelta(hours=1)
"""How long files stay after the export completes: long enough to download, short enough that
a forgotten export does not keep a copy of the records around."""
RETRY_AFTER_SECONDS: Final = 2
DATA_KEY_VERSION: Final = 1


class ExportFailed(HealthError):
    status = 500
    code = "export_failed"
    title = "The export failed"


@dataclass(frozen=True)
class Progress:
    """Still running: what share is done (officers), for ``X-Progress``."""

    status: str
    done: int
    total: int


@dataclass(frozen=True)
class ManifestFile:
    file_id: uuid.UUID
    resource_type: str
    count: int


@dataclass(frozen=True)
class Manifest:
    transaction_time: datetime
    request: str
    files: list[ManifestFile]

    def as_json(self, base: str) -> dict[str, Any]:
        return {
            "transactionTime": self.transaction_time.isoformat(),
            "request": self.request,
            "requiresAccessToken": True,
            "output": [
                {"type": f.resource_type, "url": f"{base}/{f.file_id}", "count": f.count}
                for f in self.files
            ],
            "error": [],
        }


def key_slot(export_id: uuid.UUID) -> Slot:
    return Slot("bulk_export", "wrapped_key", str(export_id))


def file_slot(file_id: uuid.UUID) -> Slot:
    return Slot("bulk_export_file", "content", str(file_id))


def sealer_of(ctx: Ctx, export: BulkExport) -> Sealer:
    """The export's data key, unwrapped with the KEK version that wrapped it."""
    kek = Sealer(ctx.vault.keyring.kek(export.kek_version), export.kek_version)
    return Sealer(kek.open(export.wrapped_key, key_slot(export.id)), DATA_KEY_VERSION)


def kick_off(
    ctx: Ctx,
    *,
    types: Sequence[str] | None,
    since: datetime | None,
    group_unit_id: uuid.UUID | None,
    request_url: str,
) -> uuid.UUID:
    """Accept an export (system level, or a unit's subtree as the Group) for later generation."""
    access.require(ctx, Action.FHIR_EXPORT)
    wanted = list(dict.fromkeys(types or EXPORT_TYPES))
    unknown = [t for t in wanted if t not in EXPORT_TYPES]
    if unknown:
        raise Invalid(
            f"_type: not exported here: {', '.join(unknown)[:200]}", code="fhir_bad_search"
        )
    if group_unit_id is not None:
        # An unknown unit and one outside the caller's units answer alike (require_unit).
        access.require_unit(ctx, group_unit_id, action=Action.FHIR_EXPORT)
    assert ctx.actor.user_id is not None, "an export belongs to the account that asked"
    export_id = uuid.uuid4()
    version = ctx.vault.keyring.current
    kek = Sealer(ctx.vault.keyring.kek(version), version)
    exports_repo.add(
        ctx.session,
        BulkExport(
            id=export_id,
            requested_by=ctx.actor.user_id,
            group_unit_id=group_unit_id,
            types=",".join(wanted),
            since=since,
            request_url=request_url[:2000],
            status=ExportStatus.ACCEPTED,
            requested_at=ctx.clock(),
            done=0,
            total=0,
            kek_version=version,
            wrapped_key=kek.seal(new_data_key(), key_slot(export_id)),
        ),
    )
    audit.record(
        ctx,
        Action.FHIR_EXPORT,
        "bulk_export",
        resource_id=str(export_id),
        detail=f"types={','.join(wanted)};group={group_unit_id or '-'}",
    )
    return export_id


def purge_expired(ctx: Ctx) -> int:
    """Delete every export past its expiry, files and key with it; the count is returned."""
    gone = exports_repo.expired(ctx.session, ctx.clock())
    exports_repo.drop(ctx.session, gone)
    if gone:
        audit.record(ctx, "fhir.export_expire", "bulk_export", detail=f"count={len(gone)}")
    return len(gone)


def _own(ctx: Ctx, export_id: uuid.UUID, action: str) -> BulkExport:
    """The caller's own live export; anyone else's, or an expired one, does not exist."""
    purge_expired(ctx)
    export = exports_repo.get(ctx.session, export_id)
    if export is None or export.requested_by != ctx.actor.user_id:
        access.deny(ctx, action, "bulk_export", resource_id=str(export_id))
        raise NotFound("export not found", code="not_found")
    return export


def status(ctx: Ctx, export_id: uuid.UUID) -> Progress | Manifest:
    access.require(ctx, Action.FHIR_EXPORT)
    export = _own(ctx, export_id, "fhir.export_status")
    if export.status == ExportStatus.FAILED:
        raise ExportFailed(f"the export failed ({export.error})", code="export_failed")
    if export.status != ExportStatus.COMPLETED:
        return Progress(export.status, export.done, export.total)
    files = [
        ManifestFile(f.id, f.resource_type, f.count)
        for f in exports_repo.files_of(ctx.session, export.id)
    ]
    return Manifest(export.requested_at, export.request_url, files)


def download(ctx: Ctx, file_id: uuid.UUID) -> bytes:
    """One NDJSON file, opened for its requester; the download is audited."""
    access.require(ctx, Action.FHIR_EXPORT)
    purge_expired(ctx)
    row = exports_repo.file(ctx.session, file_id)
    if row is None:
        access.deny(ctx, "fhir.export_download", "bulk_export_file", resource_id=str(file_id))
        raise NotFound("file not found", code="not_found")
    export = _own(ctx, row.export_id, "fhir.export_download")
    content = sealer_of(ctx, export).open(row.content, file_slot(row.id))
    exports_repo.mark_downloaded(ctx.session, row.id, ctx.clock())
    audit.record(
        ctx,
        "fhir.export_download",
        "bulk_export_file",
        resource_id=str(row.id),
        detail=f"type={row.resource_type};count={row.count}",
    )
    return content


def cancel(ctx: Ctx, export_id: uuid.UUID) -> None:
    """Stop and delete an export (running or done): its files and key go at once."""
    access.require(ctx, Action.FHIR_EXPORT)
    export = _own(ctx, export_id, "fhir.export_cancel")
    exports_repo.drop(ctx.session, [export.id])
    audit.record(ctx, "fhir.export_cancel", "bulk_export", resource_id=str(export_id))
