"""A stolen database file or dump reveals none of the identifiers or values that were stored."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from databases import Opened
from sqlalchemy import inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from health.crypto import FileKeyProvider
from health.services import fhir_export, selfcare_programmes, selfcare_readings
from health.services.context import SYSTEM, Actor, Ctx
from health.services.fhir_export_run import run_export
from health.services.vault import Vault, unlock
from models.repositories import users as users_repo
from models.tables import AppUser, Unit
from models.tables_export import BulkExport, BulkExportFile

from factories import make_checkup, make_officer, make_unit

PEOPLE = [
    {
        "name": "欧阳明哲",
        "badge_number": "JX4417023",
        "national_id": "360102198207154418",
        "birth_date": date(1982, 7, 15),
        "values": {"glu": 13.579, "hb": 187.25, "ua": 611.37},
    },
    {
        "name": "Marguerite Lindqvist",
        "badge_number": "KQ8830561",
        "national_id": "440305199011236627",
        "birth_date": date(1990, 11, 23),
        "values": {"glu": 9.8765, "hb": 98.125, "ua": 703.91},
    },
]


# Self-care health data (issue 15): an officer's own readings, programme goals and contact notes.
SELFCARE_READINGS = {"sbp": 167.43, "dbp": 101.29, "glu": 14.837, "spo2": 91.62}
PROGRAMME_GOAL = 83.179
CONTACT_NOTE = "discussed the night-shift snacking, agreed Zeitplan 7731"
CONTACT_WEIGHT = 96.413


def _needles() -> list[bytes]:
    needles: list[bytes] = [repr(v).encode() for v in SELFCARE_READINGS.values()]
    needles += [repr(PROGRAMME_GOAL).encode(), repr(CONTACT_WEIGHT).encode()]
    needles += [CONTACT_NOTE.encode("utf-8"), CONTACT_NOTE.encode("utf-16-le")]
    for person in PEOPLE:
        for field in ("name", "badge_number", "national_id"):
            text = str(person[field])
            needles += [text.encode("utf-8"), text.encode("utf-16-le")]
        needles.append(person["birth_date"].isoformat().encode())  # type: ignore[attr-defined]
        needles += [repr(v).encode() for v in person["values"].values()]  # type: ignore[attr-defined]
    return needles


def _store(opened: Opened, url: str, keyring: Path) -> None:
    with opened.sessions(url).begin() as session:
        vault = unlock(session, FileKeyProvider(keyring), create=True)
        ctx = Ctx(session, vault, SYSTEM)
        unit = make_unit(ctx)
        export_id = _request_export(ctx, unit)
        for person in PEOPLE:
            new = make_officer(
                ctx,
                unit=unit,
                name=person["name"],
                badge_number=person["badge_number"],
                national_id=person["national_id"],
                birth_date=person["birth_date"],
            )
            make_checkup(ctx, new.id, **person["values"])  # type: ignore[arg-type]
        _store_selfcare(ctx, new.id)
    _export_everything(opened, url, vault, export_id)


def _request_export(ctx: Ctx, unit: Unit) -> uuid.UUID:
    """A medic of the unit asks for a Bulk Data export of everything (FHIR, issue 18)."""
    medic = users_repo.add(
        ctx.session,
        AppUser(id=uuid.uuid4(), username="exporting-medic", role="medic", created_at=ctx.clock()),
    )
    users_repo.set_units(ctx.session, medic.id, [unit.id])
    actor = Actor(id=str(medic.id), role="medic", user_id=medic.id, unit_paths=(unit.path,))
    return fhir_export.kick_off(
        replace(ctx, actor=actor), types=None, since=None, group_unit_id=None, request_url="x"
    )


def _export_everything(opened: Opened, url: str, vault: Vault, export_id: uuid.UUID) -> None:
    """Run the export: its NDJSON files (names, badges, values) are stored sealed."""
    assert run_export(opened.sessions(url), vault, export_id) == "exported 2 officers"
    with opened.sessions(url)() as session:
        export = session.get(BulkExport, export_id)
        assert export is not None
        files = session.scalars(select(BulkExportFile).where(BulkExportFile.export_id == export_id))
        sealer = fhir_export.sealer_of(Ctx(session, vault, SYSTEM), export)
        opened_files = b"".join(sealer.open(f.content, fhir_export.file_slot(f.id)) for f in files)
    # The scan below would see these in the raw database, were the files stored in clear.
    for person in PEOPLE:
        assert str(person["name"]).encode() in opened_files
        assert str(person["badge_number"]).encode() in opened_files


def _store_selfcare(ctx: Ctx, officer_id: uuid.UUID) -> None:
    """Readings, a programme's goal and a contact's note and measurement, all to be sealed."""
    taken = datetime(2026, 6, 1, 7, 30, tzinfo=UTC)
    r = SELFCARE_READINGS
    for kind, values, context in (
        ("home_bp", {"sbp": r["sbp"], "dbp": r["dbp"]}, None),
        ("glucose", {"glu": r["glu"]}, "fasting"),
        ("spo2", {"spo2": r["spo2"]}, None),
    ):
        selfcare_readings.record(
            ctx, officer_id, kind=kind, values=values, taken_at=taken, context=context
        )
    programme = selfcare_programmes.enrol(
        ctx,
        officer_id,
        kind="weight",
        goals=[{"measure": "weight", "target": PROGRAMME_GOAL, "direction": "at_most"}],
        enrolled_on=date(2026, 6, 2),
        planned_contacts=[date(2026, 7, 2)],
    )
    selfcare_programmes.add_contact(
        ctx,
        programme.id,
        contact_on=date(2026, 7, 2),
        notes=CONTACT_NOTE,
        measurements={"weight": CONTACT_WEIGHT},
    )


def _raw_bytes(url: str, backend: str, opened: Opened) -> bytes:
    for engine in opened.engines:
        engine.dispose()
    if backend == "sqlite":
        path = Path(make_url(url).database or "")
        files = [path, path.with_name(path.name + "-wal")]
        return b"".join(p.read_bytes() for p in files if p.exists())
    parsed = make_url(url)
    dump = subprocess.run(
        [
            "pg_dump",
            "-h",
            parsed.host or "127.0.0.1",
            "-p",
            str(parsed.port or 5432),
            "-U",
            parsed.username or "postgres",
            "--data-only",
            "--inserts",
            parsed.database or "",
        ],
        check=True,
        capture_output=True,
    )
    return dump.stdout


def test_raw_database_holds_no_stored_plaintext(
    backend: str, fresh_url: Callable[[], str], tmp_path: Path, opened: Opened
) -> None:
    url = fresh_url()
    _store(opened, url, tmp_path / "k.json")
    raw = _raw_bytes(url, backend, opened)
    assert len(raw) > 1000, "the scan must see the stored rows"
    found = [needle for needle in _needles() if needle in raw]
    assert found == []


def test_scan_would_see_plaintext_if_it_were_there(
    backend: str, fresh_url: Callable[[], str], tmp_path: Path, opened: Opened
) -> None:
    """Guards the scan itself: unit names are stored in clear and must be found."""
    url = fresh_url()
    with opened.sessions(url).begin() as session:
        ctx = Ctx(
            session, unlock(session, FileKeyProvider(tmp_path / "k.json"), create=True), SYSTEM
        )
        make_unit(ctx, name="Clearly Visible Station 4711")
    assert b"Clearly Visible Station 4711" in _raw_bytes(url, backend, opened)


# What may be stored in clear, column by column (README "What is in clear"). Everything else is
# sealed under the officer's data key (or a derived key) or is a keyed HMAC. A new column that
# is on neither list fails the test below: decide, write it here, and say why.
CLEAR: dict[str, set[str]] = {
    # Ids, unit ids, dates needed for scheduling, statuses, versions, key versions.
    "unit": {"id", "parent_id", "kind", "code", "name", "path", "created_at"},
    "officer": {"id", "unit_id", "created_at", "erased_at"},
    "officer_key": {"officer_id", "dek_version", "kek_version", "wrapped_at"},
    "key_check": {"name", "kcv", "created_at", "retired_at"},
    # Staff accounts: usernames and roles are not health data; the password hash is argon2id.
    "app_user": {
        "id",
        "username",
        "role",
        "officer_id",
        "disabled",
        "created_at",
        "password_hash",
        "totp_enabled",
        "failed_logins",
        "locked_until",
        "last_login_at",
        # The last TOTP step used (a counter of 30 s steps) and a forced-change flag.
        "totp_last_step",
        "must_change_password",
    },
    "user_unit": {"user_id", "unit_id"},
    # A used refresh token's keyed hash (sealed list) and when it was exchanged.
    "retired_refresh": {"session_id", "retired_at"},
    # Second-admin approvals: what kind of change, for which account, by whom, when; the
    # payload (unit ids, a password hash) is sealed.
    "approval_request": {
        "id",
        "kind",
        "user_id",
        "officer_id",
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
    },
    "auth_session": {"id", "user_id", "created_at", "last_used_at", "expires_at", "revoked_at"},
    "access_grant": {"id", "user_id", "officer_id", "granted_at", "expires_at", "revoked_at"},
    "checkup": {
        "id",
        "officer_id",
        "unit_id",
        "exam_date",
        "version",
        "status",
        "supersedes_id",
        "created_at",
        "created_by",
        "upload_id",
    },
    "upload": {
        "id",
        "created_at",
        "created_by",
        "kind",
        "mode",
        "status",
        "catalog_version",
        "rows_read",
        "checkups",
        "stored",
        "duplicates",
        "corrected",
        "rejected",
        # Which process runs it ("host:pid") and when it last stored a chunk.
        "worker",
        "heartbeat_at",
    },
    "screening": {
        "id",
        "checkup_id",
        "officer_id",
        "ruleset",
        "ruleset_version",
        "status",
        "created_at",
        "created_by",
    },
    # Counts per year, family and severity: the token is a keyed HMAC, no officer or screening.
    "finding_tally": {"family", "year", "severity"},
    "ruleset_version": {
        "id",
        "kind",
        "name",
        "version",
        "text",
        "uploaded_by",
        "uploaded_at",
        "active",
        "activated_at",
    },
    # Ids only, never health data (the audit detail holds ids and counts).
    "audit_event": {
        "seq",
        "id",
        "occurred_at",
        "actor_id",
        "actor_role",
        "action",
        "resource_type",
        "resource_id",
        "officer_id",
        "purpose",
        "outcome",
        "source",
        "detail",
    },
    "audit_head": {"id", "seq"},
    # The chain's links (positions and event numbers) and the sequencer's queue (ids, times).
    "audit_link": {"pos", "event_seq", "linked_at"},
    "audit_pending": {"event_id", "occurred_at"},
    # Task type, status, priority, due date and workflow outcome code for worklists; the family
    # and the critical mark (they reveal a condition) are sealed in ``detail``.
    "task": {
        "id",
        "officer_id",
        "unit_id",
        "type",
        "status",
        "priority",
        "due",
        "assignee_user_id",
        "version",
        "exam_date",
        "created_at",
        "closed_at",
        "outcome",
        "source_checkup_id",
        "source_screening_id",
        "result_checkup_id",
        "based_on_id",
    },
    "task_event": {
        "id",
        "task_id",
        "at",
        "actor_id",
        "actor_role",
        "action",
        "from_status",
        "to_status",
        "outcome",
        "due_before",
        "due_after",
    },
    # Notices name a task link, never a value or a diagnosis.
    "outbox": {
        "id",
        "key",
        "recipient",
        "channel",
        "subject",
        "body",
        "created_at",
        "sent_at",
        "attempts",
        "last_error",
    },
    # The replayed answer of a task move: the manager's summary (type, status, due) only.
    "idempotency_key": {"user_id", "key", "status_code", "response", "created_at"},
    # Counts, rates and medians, small cells suppressed.
    "unit_report": {"year", "unit_id", "min_cell", "computed_at", "figures", "findings"},
    # The force health analysis: counts, rates and intervals per cell, small cells suppressed.
    "analysis_report": {"year", "unit_id", "min_cell", "computed_at", "cells"},
    # Units' appraisal: the published schemes (indicators, weights, targets) and unit scores.
    "appraisal_scheme": {"version", "published_at", "published_by", "body"},
    "appraisal_score": {
        "year",
        "unit_id",
        "scheme_version",
        "score",
        "rank",
        "peers",
        "computed_at",
        "components",
    },
    # Self-care equipment and training records: not health data (DESIGN "In clear").
    "selfcare_kit": {"id", "unit_id", "template", "label", "created_at"},
    "selfcare_kit_item": {"id", "kit_id", "item", "batch", "quantity", "expires_on", "updated_at"},
    "selfcare_device": {
        "id",
        "unit_id",
        "kind",
        "serial",
        "holder_officer_id",
        "last_calibrated_on",
        "created_at",
        "updated_at",
    },
    "selfcare_course": {
        "id",
        "code",
        "name_zh",
        "name_en",
        "validity_months",
        "required",
        "created_at",
    },
    "selfcare_training": {
        "id",
        "officer_id",
        "course_id",
        "attended_on",
        "expires_on",
        "certificate",
        "created_at",
        "created_by",
    },
    # An officer's own readings and programmes: ids, dates and statuses; the rest sealed.
    "selfcare_reading": {"id", "officer_id", "unit_id", "taken_at", "recorded_at", "recorded_by"},
    "selfcare_programme": {
        "id",
        "officer_id",
        "unit_id",
        "status",
        "enrolled_on",
        "ended_on",
        "created_at",
        "created_by",
    },
    "selfcare_programme_contact": {"id", "programme_id", "contact_on", "created_at", "created_by"},
    # Risk scores: the tier is what unit managers may see and worklists sort by (beside the
    # task's priority); versions say which equations and model produced it. Values sealed.
    "risk_score": {
        "id",
        "checkup_id",
        "officer_id",
        "unit_id",
        "exam_date",
        "tier",
        "equations_version",
        "model_version",
        "status",
        "created_at",
    },
    # Season schedules: a unit's round cadence, the days and places of checkup sessions, and
    # who is booked when (everyone has an annual checkup: a booking reveals no condition).
    "round_plan": {
        "unit_id",
        "cadence_days",
        "visits",
        "last_round_on",
        "updated_at",
        "updated_by",
    },
    "checkup_session": {"id", "unit_id", "day", "capacity", "place", "created_at", "created_by"},
    "session_booking": {"id", "session_id", "officer_id", "status", "booked_at", "booked_by"},
    # FHIR Bulk Data exports: who asked, for which unit, which resource types, since when, the
    # request URL (those same parameters), progress counts and times; no officer, no value.
    "bulk_export": {
        "id",
        "requested_by",
        "group_unit_id",
        "types",
        "since",
        "request_url",
        "status",
        "requested_at",
        "started_at",
        "completed_at",
        "expires_at",
        "done",
        "total",
        "error",
        "kek_version",
    },
    # Each NDJSON file: its export, resource type, part number and line count; content sealed.
    "bulk_export_file": {
        "id",
        "export_id",
        "resource_type",
        "part",
        "count",
        "created_at",
        "downloaded_at",
    },
}

# The worker's queue (procrastinate's tables, PostgreSQL only: migration worker_queue): job
# names, locks, statuses, attempts, times, the periodic tick, worker heartbeats. ``args`` holds a
# job's arguments, and every job takes only its tick's timestamp (api/worker.py; the worker test
# checks the stored arguments), never an officer, a name or a value.
QUEUE_CLEAR: dict[str, set[str]] = {
    "procrastinate_workers": {"id", "last_heartbeat"},
    "procrastinate_jobs": {
        "id",
        "queue_name",
        "task_name",
        "priority",
        "lock",
        "queueing_lock",
        "args",
        "status",
        "scheduled_at",
        "attempts",
        "abort_requested",
        "worker_id",
    },
    "procrastinate_periodic_defers": {
        "id",
        "task_name",
        "defer_timestamp",
        "job_id",
        "periodic_id",
    },
    "procrastinate_events": {"id", "job_id", "type", "at"},
}


def _clear(session: Session) -> dict[str, set[str]]:
    if session.get_bind().dialect.name == "postgresql":
        return {**CLEAR, **QUEUE_CLEAR}
    return CLEAR


# Sealed (AES-256-GCM) or keyed (HMAC-SHA256, argon2id, wrapped key): binary columns only.
SEALED: dict[str, set[str]] = {
    "officer": {"badge_index", "national_id_index", "personal", "conditions"},
    "officer_key": {"wrapped_dek"},
    "app_user": {"totp_secret", "totp_pending"},
    "retired_refresh": {"refresh_hash"},
    "approval_request": {"payload"},
    "auth_session": {"refresh_hash"},
    "access_grant": {"reason"},
    "checkup": {"content_hash", "results"},
    "upload": {"content_hash", "report"},
    "screening": {"document"},
    "finding_tally": {"token"},
    "audit_event": {"mac"},
    "audit_head": {"hash"},
    "audit_link": {"prev_hash", "hash"},
    "task": {"detail"},
    "task_event": {"note"},
    "idempotency_key": {"request_hash"},
    "selfcare_reading": {"content_hash", "document"},
    "selfcare_programme": {"document"},
    "selfcare_programme_contact": {"document"},
    "risk_score": {"document"},
    "bulk_export": {"wrapped_key"},
    "bulk_export_file": {"content"},
}

# Health facts that must never be a clear column of a table that names an officer.
CONDITION_COLUMNS = {"family", "severity", "critical", "category", "diagnosis", "grade"}


def _schema(session: Session) -> dict[str, dict[str, str]]:
    """Every column of every table of the migrated database, with its type as the backend says."""
    found = inspect(session.connection())
    return {
        table: {c["name"]: str(c["type"]).upper() for c in found.get_columns(table)}
        for table in found.get_table_names()
        if table != "alembic_version"
    }


def test_every_clear_column_of_every_table_is_on_the_allow_list(session: Session) -> None:
    schema, clear = _schema(session), _clear(session)
    unlisted = {
        (table, column)
        for table, columns in schema.items()
        for column in columns
        if column not in clear.get(table, set()) | SEALED.get(table, set())
    }
    assert unlisted == set(), "decide: in clear (say why) or sealed, and list it here"
    stale = {
        (table, column)
        for listing in (clear, SEALED)
        for table, columns in listing.items()
        for column in columns
        if column not in schema.get(table, {})
    }
    assert stale == set(), "listed columns that the database does not have"


def test_sealed_and_keyed_columns_are_binary(session: Session) -> None:
    schema = _schema(session)
    for table, columns in SEALED.items():
        for column in columns:
            kind = schema[table][column]
            assert "BLOB" in kind or "BYTEA" in kind or "BINARY" in kind, (table, column, kind)


def test_no_table_that_names_an_officer_holds_a_condition_in_clear(session: Session) -> None:
    schema = _schema(session)
    for table, columns in schema.items():
        if "officer_id" in columns or "screening_id" in columns or "checkup_id" in columns:
            clear_facts = CONDITION_COLUMNS & set(columns)
            assert clear_facts == set(), (table, clear_facts)
