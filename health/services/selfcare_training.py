"""First-aid training: courses, bulk attendance import, and who is untrained or expiring by unit.

The import follows the checkup import's conventions: ``dry_run`` previews every problem (row,
field, value, reason) and stores nothing; ``mode=all`` stores nothing if any row is wrong,
``mode=valid`` stores the valid rows; an attendance already stored (same officer, course and
day) is recognised and not stored twice, so the same file imported again changes nothing. It
runs in one transaction: a training file is a few thousand rows at most.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date
from typing import Literal

from health.errors import Conflict, Invalid
from health.ingest.drafts import ReasonCode, RowError
from health.selfcare import training as rules
from health.services import access, audit
from health.services.context import Ctx
from health.vocabulary import Action
from models.repositories import officers as officers_repo
from models.repositories import selfcare_training as repo
from models.repositories import units as units_repo
from models.tables_selfcare import Course

Mode = Literal["all", "valid"]
NO_SUCH_OFFICER = "no officer with this badge number in your units"
NO_SUCH_COURSE = "no course with this code"


@dataclass(frozen=True)
class CourseView:
    id: uuid.UUID
    code: str
    name_zh: str
    name_en: str
    validity_months: int
    required: bool


def _course_view(course: Course) -> CourseView:
    return CourseView(
        course.id,
        course.code,
        course.name_zh,
        course.name_en,
        course.validity_months,
        course.required,
    )


def create_course(
    ctx: Ctx,
    *,
    code: str,
    name_zh: str,
    name_en: str,
    validity_months: int,
    required: bool = True,
) -> CourseView:
    """A course and its certificate's validity (e.g. CPR/AED: 24 months)."""
    access.require(ctx, Action.COURSE_CREATE)
    if not 1 <= validity_months <= 120:
        raise Invalid("validity_months must be 1-120", code="bad_validity")
    if repo.course_by_code(ctx.session, code) is not None:
        raise Conflict("a course with this code exists", code="course_exists")
    course = Course(
        id=uuid.uuid4(),
        code=code,
        name_zh=name_zh,
        name_en=name_en,
        validity_months=validity_months,
        required=required,
        created_at=ctx.clock(),
    )
    repo.add_course(ctx.session, course)
    audit.record(ctx, "course.create", "selfcare_course", resource_id=str(course.id))
    return _course_view(course)


def courses(ctx: Ctx) -> list[CourseView]:
    access.require(ctx, Action.COURSE_LIST)
    return [_course_view(c) for c in repo.courses(ctx.session)]


@dataclass
class TrainingImport:
    dry_run: bool
    mode: Mode
    status: str
    rows_read: int
    valid: int
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)


def _in_scope(ctx: Ctx, paths: dict[uuid.UUID, str], unit_id: uuid.UUID) -> bool:
    return access.path_in_scope(ctx.actor, paths.get(unit_id, ""))


def import_attendance(
    ctx: Ctx, data: bytes, filename: str, *, dry_run: bool = False, mode: Mode = "all"
) -> TrainingImport:
    """Read, resolve (badge through the blind index, course by code), then store or preview."""
    access.require(ctx, Action.TRAINING_IMPORT)
    drafts, errors = rules.read_attendance(data, filename)
    courses_by_code = {c.code: c for c in repo.courses(ctx.session)}
    index = {d.badge_number: ctx.vault.hasher.badge_index(d.badge_number) for d in drafts}
    officers = officers_repo.by_badge_indexes(ctx.session, list(index.values()))
    paths = units_repo.paths(ctx.session)
    resolved = []
    for draft in drafts:
        officer = officers.get(index[draft.badge_number])
        course = courses_by_code.get(draft.course)
        if (
            officer is None
            or officer.erased_at is not None
            or not _in_scope(ctx, paths, officer.unit_id)
        ):
            errors.append(
                RowError(
                    draft.row,
                    "badge_number",
                    draft.badge_number,
                    NO_SUCH_OFFICER,
                    ReasonCode.MISSING_OFFICER,
                )
            )
            continue
        if course is None:
            errors.append(
                RowError(
                    draft.row, "course", draft.course, NO_SUCH_COURSE, ReasonCode.MALFORMED_VALUE
                )
            )
            continue
        resolved.append((draft, officer.id, course))
    errors.sort(key=lambda e: (e.row, e.field))
    file_level = any(e.row <= 1 for e in errors)
    bad_rows = {e.row for e in errors if e.row > 1}
    report = TrainingImport(
        dry_run,
        mode,
        "preview" if dry_run else "stored",
        rows_read=len({d.row for d in drafts} | bad_rows),
        valid=len(resolved),
        errors=errors,
    )
    refuse_all = file_level or (mode == "all" and bool(errors))
    report.rejected = report.rows_read if refuse_all else len(bad_rows)
    if refuse_all and not dry_run:
        report.status = "refused"
    existing = repo.attended(ctx.session, [officer_id for _, officer_id, _ in resolved])
    now = ctx.clock()
    rows = []
    for draft, officer_id, course in resolved:
        if (officer_id, course.id, draft.attended_on) in existing:
            report.duplicates += 1
            continue
        rows.append(
            {
                "id": uuid.uuid4(),
                "officer_id": officer_id,
                "course_id": course.id,
                "attended_on": draft.attended_on,
                "expires_on": rules.expires_on(draft.attended_on, course.validity_months),
                "certificate": draft.certificate,
                "created_at": now,
                "created_by": ctx.actor.id,
            }
        )
    if dry_run or refuse_all:
        return report
    repo.add_many(ctx.session, rows)
    report.stored = len(rows)
    audit.record(
        ctx,
        "training.import",
        "selfcare_training",
        detail=f"stored={report.stored};duplicates={report.duplicates};rejected={report.rejected}",
    )
    return report


@dataclass(frozen=True)
class CourseStanding:
    """Officer ids per standing for one course in one unit (its own officers)."""

    course: str
    current: int
    expiring: list[uuid.UUID]
    expired: list[uuid.UUID]
    untrained: list[uuid.UUID]


@dataclass(frozen=True)
class UnitTraining:
    unit_id: uuid.UUID
    officers: int
    courses: list[CourseStanding]


def standings(
    ctx: Ctx, unit_path: str, as_of: date, within: int
) -> dict[uuid.UUID, dict[str, dict[uuid.UUID, rules.Standing]]]:
    """unit -> course code -> officer -> standing, for every live officer of a subtree."""
    courses_all = repo.courses(ctx.session)
    roster = repo.officers_in(ctx.session, unit_path)
    latest = {(o, c): e for o, c, e in repo.latest_expiry(ctx.session, unit_path, as_of)}
    out: dict[uuid.UUID, dict[str, dict[uuid.UUID, rules.Standing]]] = {}
    for officer_id, unit_id in roster:
        per_course = out.setdefault(unit_id, {})
        for course in courses_all:
            found = latest.get((officer_id, course.id))
            per_course.setdefault(course.code, {})[officer_id] = rules.standing(
                found, as_of, within
            )
    return out


def by_unit(
    ctx: Ctx, unit_id: uuid.UUID, *, as_of: date | None = None, within: int = 90
) -> list[UnitTraining]:
    """Who is untrained, expired or expiring within ``within`` days, per unit of the subtree."""
    access.require(ctx, Action.TRAINING_STATUS)
    access.require_unit(ctx, unit_id, action="training.status")
    if not 1 <= within <= 366:
        raise Invalid("within must be 1-366 days", code="bad_horizon")
    unit = units_repo.get(ctx.session, unit_id)
    assert unit is not None
    day = as_of or ctx.clock().astimezone(UTC).date()
    found = standings(ctx, unit.path, day, within)
    out = []
    for unit_key, per_course in sorted(found.items(), key=lambda kv: str(kv[0])):
        officers = len(next(iter(per_course.values()), {}))
        listed = []
        for code, people in sorted(per_course.items()):

            def ids(
                standing: str, people: dict[uuid.UUID, rules.Standing] = people
            ) -> list[uuid.UUID]:
                return sorted((o for o, s in people.items() if s == standing), key=str)

            current = sum(1 for s in people.values() if s == "current")
            listed.append(
                CourseStanding(code, current, ids("expiring"), ids("expired"), ids("untrained"))
            )
        out.append(UnitTraining(unit_key, officers, listed))
    audit.record(
        ctx, "training.status", "unit", resource_id=str(unit_id), detail=f"within={within}"
    )
    return out


def due_for_recall(
    ctx: Ctx, unit_path: str, as_of: date, within: int = 90
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Officers per unit who need a required course by the recall: untrained, expired or
    expiring within ``within`` days (the caller has checked scope)."""
    required = {c.code for c in repo.courses(ctx.session) if c.required}
    found = standings(ctx, unit_path, as_of, within)
    due: dict[uuid.UUID, list[uuid.UUID]] = {}
    for unit_key, per_course in found.items():
        people = {
            officer
            for code, standing_of in per_course.items()
            if code in required
            for officer, standing in standing_of.items()
            if standing != "current"
        }
        due[unit_key] = sorted(people, key=str)
    return due
