"""Roster import: a unit's officers from one CSV/XLSX, previewed, idempotent, changes as changes.

A roster row is matched to a registered officer by badge number (blind index), or, when the
badge is new, by national ID number (a badge reissued to the same person). A known officer whose
details differ is updated in place (personal details resealed under the same data key); one whose
details match is left alone, so the same file twice changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from health.errors import Invalid
from health.ingest.drafts import ReasonCode, RowError
from health.ingest.roster import RosterRow, normalise_name, read_roster
from health.ingest.sheet import SheetError, load_sheet
from health.services import access, audit, officers
from health.services.audit import EventSpec
from health.services.context import SYSTEM_ROLE, Ctx
from health.services.officer_directory import open_personal
from health.vocabulary import Action
from models.repositories import officer_roster as roster_repo
from models.repositories import officers as officers_repo
from models.tables import Officer, OfficerKey, Unit

ChangeKind = Literal["new", "changed"]
Mode = Literal["all", "valid"]


@dataclass(frozen=True)
class RosterChange:
    """A row that registers or changes an officer; ``fields`` names what differs (no values)."""

    row: int
    kind: ChangeKind
    badge_number: str
    officer_id: uuid.UUID | None
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class RosterReport:
    dry_run: bool
    mode: Mode
    stored: bool
    rows_read: int
    new: int
    changed: int
    unchanged: int
    rejected: int
    changes: list[RosterChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


@dataclass(frozen=True)
class _Known:
    officer: Officer
    key: OfficerKey
    unit: Unit
    personal: dict[str, str | None]


def _differences(row: RosterRow, unit: Unit, known: _Known) -> tuple[str, ...]:
    data = known.personal
    diffs: list[str] = []
    if normalise_name(str(data["name"])) != normalise_name(row.name):
        diffs.append("name")
    if data["sex"] != row.sex:
        diffs.append("sex")
    if data["birth_date"] != row.birth_date.isoformat():
        diffs.append("birth_date")
    if row.national_id is not None and data["national_id"] != row.national_id:
        diffs.append("national_id")
    if str(data["badge_number"]).strip().upper() != row.badge_number.strip().upper():
        diffs.append("badge_number")
    if known.unit.id != unit.id:
        diffs.append("unit_code")
    return tuple(diffs)


def _error(row: RosterRow, header: str, value: str, reason: str, code: ReasonCode) -> RowError:
    return RowError(row.row, header, value, reason, code)


def import_roster(
    ctx: Ctx,
    data: bytes,
    *,
    filename: str | None = None,
    dry_run: bool = False,
    mode: Mode = "all",
) -> RosterReport:
    """Read, check and (unless a dry run, or any row is wrong in ``mode=all``) apply a roster."""
    access.require(ctx, Action.OFFICER_ROSTER)
    try:
        sheet = read_roster(load_sheet(data, filename), ctx.clock().date())
    except SheetError as exc:
        raise Invalid(f"the roster cannot be read: {exc.reason}", code="malformed_file") from None
    errors = list(sheet.errors)
    header = sheet.headers
    units = roster_repo.units_by_code(ctx.session, [r.unit_code for r in sheet.rows])
    hasher = ctx.vault.hasher
    badge_idx = {r.row: hasher.badge_index(r.badge_number) for r in sheet.rows}
    nid_idx = {r.row: hasher.national_id_index(r.national_id) for r in sheet.rows if r.national_id}
    by_badge = officers_repo.by_badge_indexes(ctx.session, list(badge_idx.values()))
    by_nid = roster_repo.by_national_id_indexes(ctx.session, list(nid_idx.values()))
    matched: dict[int, Officer] = {}
    good: list[tuple[RosterRow, Unit]] = []
    for row in sheet.rows:
        unit = units.get(row.unit_code)
        if unit is None or not _serves(ctx, unit):
            errors.append(
                _error(
                    row,
                    header["unit_code"],
                    row.unit_code,
                    "no unit with this code among the units you serve",
                    ReasonCode.UNKNOWN_UNIT,
                )
            )
            continue
        officer = by_badge.get(badge_idx[row.row])
        other = by_nid.get(nid_idx[row.row]) if row.row in nid_idx else None
        if officer is not None and other is not None and other.id != officer.id:
            errors.append(
                _error(
                    row,
                    header.get("national_id", "national_id"),
                    row.national_id or "",
                    "this national ID number belongs to another registered officer",
                    ReasonCode.IDENTIFIER_CONFLICT,
                )
            )
            continue
        officer = officer or other
        if (
            officer is not None
            and (officer.erased_at is not None or not access.in_units(ctx, officer.unit_id))
            and ctx.actor.role != SYSTEM_ROLE
        ):
            errors.append(
                _error(
                    row,
                    header["badge_number"],
                    row.badge_number,
                    "this officer is registered in a unit you do not serve",
                    ReasonCode.IDENTIFIER_CONFLICT,
                )
            )
            continue
        if officer is not None:
            matched[row.row] = officer
        good.append((row, unit))
    rows_by_id = roster_repo.with_keys(ctx.session, [o.id for o in matched.values()])
    changes: list[RosterChange] = []
    updates: list[tuple[RosterRow, Unit, _Known, tuple[str, ...]]] = []
    new_rows: list[tuple[RosterRow, Unit]] = []
    unchanged = 0
    for row, unit in good:
        officer = matched.get(row.row)
        if officer is None:
            new_rows.append((row, unit))
            changes.append(RosterChange(row.row, "new", row.badge_number, None))
            continue
        o, k, u = rows_by_id[officer.id]
        known = _Known(o, k, u, open_personal(ctx, o, k))
        diffs = _differences(row, unit, known)
        if not diffs:
            unchanged += 1
            continue
        updates.append((row, unit, known, diffs))
        changes.append(RosterChange(row.row, "changed", row.badge_number, o.id, diffs))
    rejected = len({e.row for e in errors if e.row >= 2})
    refused = bool(errors) and mode == "all"
    store = not dry_run and not refused and not _file_level(errors)
    if store:
        created = _apply(ctx, new_rows, updates)
        changes = [
            RosterChange(c.row, c.kind, c.badge_number, created.get(c.row, c.officer_id), c.fields)
            for c in changes
        ]
    audit.record(
        ctx,
        "officer.roster_import" if store else "officer.roster_preview",
        "officer",
        detail=(
            f"rows={sheet.rows_read} new={len(new_rows)} changed={len(updates)} "
            f"unchanged={unchanged} rejected={rejected}"
        ),
    )
    return RosterReport(
        dry_run=dry_run,
        mode=mode,
        stored=store,
        rows_read=sheet.rows_read,
        new=len(new_rows),
        changed=len(updates),
        unchanged=unchanged,
        rejected=rejected,
        changes=sorted(changes, key=lambda c: c.row),
        errors=sorted(errors, key=lambda e: e.row),
    )


def _file_level(errors: Sequence[RowError]) -> bool:
    return any(e.reason_code == ReasonCode.MISSING_COLUMN for e in errors)


def _serves(ctx: Ctx, unit: Unit) -> bool:
    return access.path_in_scope(ctx.actor, unit.path)


def _officer_in(row: RosterRow, unit: Unit) -> officers.OfficerIn:
    return officers.OfficerIn(
        unit_id=unit.id,
        badge_number=row.badge_number,
        name=row.name,
        birth_date=row.birth_date,
        sex=row.sex,
        national_id=row.national_id,
    )


def _apply(
    ctx: Ctx,
    new_rows: list[tuple[RosterRow, Unit]],
    updates: list[tuple[RosterRow, Unit, _Known, tuple[str, ...]]],
) -> dict[int, uuid.UUID]:
    """Insert the new officers and reseal the changed ones; one audit event per officer."""
    sealed = [officers.sealed_rows(ctx, _officer_in(row, unit)) for row, unit in new_rows]
    officers_repo.add_many(ctx.session, [s[0] for s in sealed], [s[1] for s in sealed])
    hasher = ctx.vault.hasher
    changed_rows = []
    for row, unit, known, _ in updates:
        sealer = ctx.vault.open_key(
            known.officer.id, known.key.kek_version, known.key.dek_version, known.key.wrapped_dek
        )
        national = row.national_id or known.personal.get("national_id")
        merged = _officer_in(row, unit)
        merged = officers.OfficerIn(
            unit_id=merged.unit_id,
            badge_number=merged.badge_number,
            name=merged.name,
            birth_date=merged.birth_date,
            sex=merged.sex,
            national_id=national,
        )
        changed_rows.append(
            {
                "id": known.officer.id,
                "unit_id": unit.id,
                "badge_index": hasher.badge_index(row.badge_number),
                "national_id_index": hasher.national_id_index(national) if national else None,
                "personal": sealer.seal(
                    officers.personal_bytes(merged), officers.personal_slot(known.officer.id)
                ),
            }
        )
    roster_repo.update_many(ctx.session, changed_rows)
    specs = [
        EventSpec("officer.create", "officer", str(s[2].id), s[2].id, detail="source=roster")
        for s in sealed
    ]
    specs += [
        EventSpec(
            "officer.update",
            "officer",
            str(known.officer.id),
            known.officer.id,
            detail="fields=" + ",".join(diffs),
        )
        for _, _, known, diffs in updates
    ]
    audit.record_many(ctx, specs)
    return {row.row: s[2].id for (row, _), s in zip(new_rows, sealed, strict=True)}
