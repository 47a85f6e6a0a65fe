"""From checkup drafts to sealed rows: resolve officers, check scope, merge versions, store.

Shared by the JSON path (one checkup, inside the request's transaction) and the import path
(whole files, one transaction per chunk). A stored checkup is one sealed document per version;
a second upload for the same officer and exam date merges into a new version (the earlier one
is kept, marked superseded), and an upload that changes nothing is recognised as a duplicate.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple, Protocol

from health.ages import completed_years
from health.crypto import Sealer, Slot
from health.ingest import CheckupDraft, ReasonCode, RowError
from health.ingest.roster import normalise_name
from health.services import access, audit, screening
from health.services.audit import EventSpec
from health.services.context import Ctx
from health.services.officers import personal_slot
from health.services.sealed import canonical, open_document, results_slot
from health.services.subject import Subject
from models.repositories import checkups as checkups_repo
from models.repositories import import_officers
from models.repositories import units as units_repo
from models.repositories.import_officers import OfficerWithKey
from models.tables import Checkup

Document = dict[str, Any]
NO_SUCH_OFFICER = "no officer with this identifier in the units you serve"
NOT_THIS_PERSON = "does not match the officer registered under this identifier"
# Officers are at least 16 (Labour Law of the PRC art. 15): an earlier exam is a typing error.
MIN_EXAM_AGE_YEARS = 16
_SEX_CODES = {"male": "M", "female": "F"}


@dataclass(frozen=True)
class Resolved:
    """A draft whose officer is known, in scope, and whose key is unwrapped."""

    draft: CheckupDraft
    officer_id: uuid.UUID
    unit_id: uuid.UUID
    sex: str
    birth_date: date
    position: int = 0
    conditions: tuple[str, ...] = ()

    @property
    def age(self) -> float:
        return float(completed_years(self.birth_date, self.draft.exam_date))


@dataclass
class Resolution:
    items: list[Resolved] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    sealers: dict[uuid.UUID, Sealer] = field(default_factory=dict)


def document_of(draft: CheckupDraft) -> Document:
    """What is sealed for one checkup: canonical values, remarks and coded findings."""
    document: Document = {"results": {c: r.value for c, r in sorted(draft.results.items())}}
    remarks = {c: r.remark for c, r in draft.results.items() if r.remark}
    if remarks:
        document["remarks"] = remarks
    if draft.findings:
        document["findings"] = {
            m: {"codes": list(f.codes), "remark": f.remark}
            for m, f in sorted(draft.findings.items())
        }
    return document


def merge(old: Document, new: Document) -> Document:
    """A later upload for the same exam adds or corrects values; nothing already stored is lost."""
    merged: Document = {}
    for part in ("results", "remarks", "findings"):
        combined = {**old.get(part, {}), **new.get(part, {})}
        if combined:
            merged[part] = dict(sorted(combined.items()))
    return merged


def _error(
    draft: CheckupDraft, field_name: str, value: str, reason: str, code: ReasonCode
) -> RowError:
    row = draft.source_rows[0] if draft.source_rows else 0
    return RowError(row, field_name, value, reason, code)


def resolve(
    ctx: Ctx, drafts: Sequence[CheckupDraft], headers: Mapping[str, str] | None = None
) -> Resolution:
    """Find each draft's officer through the blind index (or id) and check the caller's scope,
    that the row describes the registered person, and that the exam date can be true.

    ``headers`` maps identity fields to the headers as uploaded, so errors name the file's own
    column (``警号``, not ``badge_number``).
    """
    out = Resolution()
    named = headers or {}
    hasher = ctx.vault.hasher
    badge_index = {
        d.badge_number: hasher.badge_index(d.badge_number) for d in drafts if d.badge_number
    }
    by_badge = import_officers.by_badge_indexes(ctx.session, list(badge_index.values()))
    ids = [_uuid(d.officer_id) for d in drafts if d.officer_id and not d.badge_number]
    by_id = import_officers.by_ids(ctx.session, [i for i in ids if i is not None])
    paths = units_repo.paths(ctx.session)
    in_scope: dict[uuid.UUID, bool] = {}  # per unit: officers share a few units
    today = ctx.clock().date()
    for position, draft in enumerate(drafts):
        officer: OfficerWithKey | None
        if draft.badge_number:
            officer = by_badge.get(badge_index[draft.badge_number])
            field_name, value = named.get("badge_number", "badge_number"), draft.badge_number
        else:
            officer_id = _uuid(draft.officer_id)
            officer = by_id.get(officer_id) if officer_id else None
            field_name, value = named.get("officer_id", "officer_id"), draft.officer_id or ""
        if officer is not None and officer.unit_id not in in_scope:
            unit_path = paths.get(officer.unit_id, "")
            in_scope[officer.unit_id] = access.path_in_scope(ctx.actor, unit_path)
        if officer is None or officer.erased_at is not None or not in_scope[officer.unit_id]:
            # An officer outside the caller's units reads exactly like one that does not exist.
            out.errors.append(
                _error(draft, field_name, value, NO_SUCH_OFFICER, ReasonCode.MISSING_OFFICER)
            )
            continue
        sealer = out.sealers.get(officer.id)
        if sealer is None:
            assert officer.wrapped_dek is not None, "a live officer has a data key"
            assert officer.kek_version is not None and officer.dek_version is not None
            sealer = ctx.vault.open_key(
                officer.id, officer.kek_version, officer.dek_version, officer.wrapped_dek
            )
            out.sealers[officer.id] = sealer
        assert officer.personal is not None
        personal = json.loads(sealer.open(officer.personal, personal_slot(officer.id)))
        birth_date = date.fromisoformat(personal["birth_date"])
        problems = _identity_problems(draft, personal, named) + _date_problems(
            draft, birth_date, today, named
        )
        if problems:
            out.errors.extend(problems)
            continue
        out.items.append(
            Resolved(
                draft,
                officer.id,
                officer.unit_id,
                personal["sex"],
                birth_date,
                position,
                conditions_of(officer, sealer),
            )
        )
    return out


def _identity_problems(
    draft: CheckupDraft, personal: Mapping[str, Any], named: Mapping[str, str]
) -> list[RowError]:
    """Name, sex and birth date given in the row must be the registered officer's (compared
    normalised, in memory; the registered values are never echoed)."""
    differ: list[tuple[str, str]] = []
    if draft.name is not None and normalise_name(draft.name) != normalise_name(personal["name"]):
        differ.append(("name", draft.name))
    if draft.sex is not None and _SEX_CODES.get(draft.sex) != personal["sex"]:
        differ.append(("sex", draft.sex))
    if draft.birth_date is not None and draft.birth_date.isoformat() != personal["birth_date"]:
        differ.append(("birth_date", draft.birth_date.isoformat()))
    return [
        _error(draft, named.get(f, f), value, NOT_THIS_PERSON, ReasonCode.IDENTITY_MISMATCH)
        for f, value in differ
    ]


def _date_problems(
    draft: CheckupDraft, birth_date: date, today: date, named: Mapping[str, str]
) -> list[RowError]:
    header = named.get("exam_date", "exam_date")
    when = draft.exam_date
    if when > today:
        reason = "the exam date is after today"
        return [_error(draft, header, when.isoformat(), reason, ReasonCode.EXAM_DATE_IN_FUTURE)]
    if when < sixteenth_birthday(birth_date):
        reason = f"the exam date is before the officer's {MIN_EXAM_AGE_YEARS}th birthday"
        code = ReasonCode.EXAM_DATE_BEFORE_SERVICE_AGE
        return [_error(draft, header, when.isoformat(), reason, code)]
    return []


def sixteenth_birthday(birth_date: date) -> date:
    """The day an officer turns 16; one born on 29 February turns 16 on 1 March."""
    try:
        return birth_date.replace(year=birth_date.year + MIN_EXAM_AGE_YEARS)
    except ValueError:
        return date(birth_date.year + MIN_EXAM_AGE_YEARS, 3, 1)


def _uuid(text: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(text))
    except ValueError:
        return None


@dataclass
class Stored:
    stored: int = 0
    duplicates: int = 0
    corrected: int = 0
    checkup_ids: list[uuid.UUID] = field(default_factory=list)
    outcome: dict[int, str] = field(default_factory=dict)


def store(
    ctx: Ctx,
    items: Sequence[Resolved],
    sealers: Mapping[uuid.UUID, Sealer],
    *,
    upload_id: uuid.UUID | None,
    screen: bool = True,
) -> Stored:
    """Seal and add new checkup versions, then screen them; the caller owns the transaction.

    ``screen=False`` is for measuring the storage layer alone (the storage benchmark).
    """
    result = Stored()
    history = _History(
        ctx, sealers, checkups_repo.current_of(ctx.session, [i.officer_id for i in items])
    )
    rows: list[dict[str, Any]] = []
    superseded: list[uuid.UUID] = []
    events: list[EventSpec] = []
    stored_items: list[tuple[uuid.UUID, Resolved, Document]] = []
    now = ctx.clock()
    for position, item in enumerate(items):
        sealer = sealers[item.officer_id]
        document = document_of(item.draft)
        previous = history.same_exam(item.officer_id, item.draft.exam_date)
        version, supersedes = 1, None
        if previous is not None:
            old_document = history.document(previous)
            document = merge(old_document, document)
            if document == old_document:
                result.duplicates += 1
                result.checkup_ids.append(previous.id)
                result.outcome[position] = "duplicate"
                continue
            version, supersedes = previous.version + 1, previous.id
            superseded.append(previous.id)
            result.corrected += 1
            result.outcome[position] = "corrected"
        else:
            result.outcome[position] = "stored"
        checkup_id = uuid.uuid4()
        payload = canonical(item.officer_id, item.draft.exam_date, document)
        rows.append(
            {
                "id": checkup_id,
                "officer_id": item.officer_id,
                "unit_id": item.unit_id,
                "exam_date": item.draft.exam_date,
                "version": version,
                "status": "current",
                "supersedes_id": supersedes,
                "content_hash": ctx.vault.hasher.content_hash(payload),
                "results": sealer.seal(payload, results_slot(checkup_id)),
                "created_at": now,
                "created_by": ctx.actor.id,
                "upload_id": upload_id,
            }
        )
        history.add(
            _Version(
                checkup_id, item.officer_id, item.draft.exam_date, version, rows[-1]["results"]
            ),
            document,
        )
        events.append(
            EventSpec(
                "checkup.correct" if supersedes else "checkup.create",
                "checkup",
                str(checkup_id),
                item.officer_id,
                detail=f"upload={upload_id}" if upload_id else None,
            )
        )
        stored_items.append((checkup_id, item, document))
        result.checkup_ids.append(checkup_id)
        result.stored += 1
    checkups_repo.supersede(ctx.session, superseded)
    screening.supersede(ctx, superseded)
    checkups_repo.add_many(ctx.session, rows)
    audit.record_many(ctx, events)
    if not screen:
        return result
    screening.screen_and_store(
        ctx,
        [
            _subject(item, checkup_id, document, history, sealers)
            for checkup_id, item, document in stored_items
        ],
        replaced=superseded,
    )
    return result


def _subject(
    item: Resolved,
    checkup_id: uuid.UUID,
    document: Document,
    history: _History,
    sealers: Mapping[uuid.UUID, Sealer],
) -> Subject:
    earlier = history.before(item.officer_id, item.draft.exam_date)
    previous_age = None
    if earlier is not None:
        previous_age = float(completed_years(item.birth_date, earlier.exam_date))
    return Subject(
        checkup_id=checkup_id,
        officer_id=item.officer_id,
        unit_id=item.unit_id,
        exam_date=item.draft.exam_date,
        sex=item.sex,
        age=item.age,
        document=document,
        previous=history.document(earlier) if earlier is not None else None,
        previous_age=previous_age,
        conditions=item.conditions,
        sealer=sealers[item.officer_id],
    )


class _Version(NamedTuple):
    """A checkup version as the chunk's history needs it (no ORM object per stored row)."""

    id: uuid.UUID
    officer_id: uuid.UUID
    exam_date: date
    version: int
    results: bytes


class _History:
    """The current checkup versions of the officers in a chunk, opened only when needed."""

    def __init__(
        self, ctx: Ctx, sealers: Mapping[uuid.UUID, Sealer], checkups: Sequence[Checkup]
    ) -> None:
        self._sealers = sealers
        self._by_officer: dict[uuid.UUID, list[_Version]] = {}
        self._documents: dict[uuid.UUID, Document] = {}
        for c in checkups:
            version = _Version(c.id, c.officer_id, c.exam_date, c.version, c.results)
            self._by_officer.setdefault(c.officer_id, []).append(version)

    def add(self, checkup: _Version, document: Document) -> None:
        versions = self._by_officer.setdefault(checkup.officer_id, [])
        versions[:] = [c for c in versions if c.exam_date != checkup.exam_date]
        versions.append(checkup)
        self._documents[checkup.id] = document

    def same_exam(self, officer_id: uuid.UUID, exam_date: date) -> _Version | None:
        return next(
            (c for c in self._by_officer.get(officer_id, []) if c.exam_date == exam_date), None
        )

    def before(self, officer_id: uuid.UUID, exam_date: date) -> _Version | None:
        earlier = [c for c in self._by_officer.get(officer_id, []) if c.exam_date < exam_date]
        return max(earlier, key=lambda c: c.exam_date) if earlier else None

    def document(self, checkup: _Version) -> Document:
        if checkup.id not in self._documents:
            sealer = self._sealers[checkup.officer_id]
            self._documents[checkup.id] = open_document(checkup.id, checkup.results, sealer)
        return self._documents[checkup.id]


def conditions_slot(officer_id: uuid.UUID) -> Slot:
    return Slot("officer", "conditions", str(officer_id))


class _WithConditions(Protocol):
    @property
    def id(self) -> uuid.UUID: ...
    @property
    def conditions(self) -> bytes | None: ...


def conditions_of(officer: _WithConditions, sealer: Sealer) -> tuple[str, ...]:
    """Known diagnoses recorded by a medic: screening tracks their control, not re-flags them."""
    if officer.conditions is None:
        return ()
    return tuple(json.loads(sealer.open(officer.conditions, conditions_slot(officer.id))))
