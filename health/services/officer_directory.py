"""The officer list and search for medics, and the badge locator that break-the-glass starts from.

Names are sealed like every other identifier. Search by name opens the names of the officers in
the medic's own units in memory and matches there, rather than keeping a name index: a keyed
index over name tokens would still leak how common a surname is (a handful of Chinese surnames
cover most of a force) and would need rebuilding on every key rotation. The cost is one data-key
unwrap per officer in scope, linear in the scope and about 0.1 s per 5,000 officers here; badge
search stays exact through the blind index.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date

from health.errors import Invalid, NotFound
from health.ingest.roster import normalise_name
from health.services import access, audit
from health.services.audit import EventSpec
from health.services.context import Ctx
from health.services.officers import personal_slot
from health.vocabulary import Action
from models.repositories import officer_roster as roster_repo
from models.repositories import officers as officers_repo
from models.repositories import units as units_repo
from models.tables import Officer, OfficerKey, Unit

MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class OfficerSummary:
    """One line of the list: who, where; no health data."""

    id: uuid.UUID
    unit_id: uuid.UUID
    unit_code: str
    unit_name: str
    badge_number: str
    name: str
    sex: str
    birth_date: date


@dataclass(frozen=True)
class OfficerPage:
    items: list[OfficerSummary]
    total: int
    page: int
    page_size: int


@dataclass(frozen=True)
class Located:
    """Only that the officer exists, and whether the medic already serves their unit."""

    officer_id: uuid.UUID
    in_scope: bool


def open_personal(ctx: Ctx, officer: Officer, key: OfficerKey) -> dict[str, str | None]:
    """The officer's sealed personal details, opened with their data key (caller audits)."""
    sealer = ctx.vault.open_key(officer.id, key.kek_version, key.dek_version, key.wrapped_dek)
    assert officer.personal is not None
    data: dict[str, str | None] = json.loads(
        sealer.open(officer.personal, personal_slot(officer.id))
    )
    return data


def _summary(ctx: Ctx, officer: Officer, key: OfficerKey, unit: Unit) -> OfficerSummary:
    data = open_personal(ctx, officer, key)
    return OfficerSummary(
        id=officer.id,
        unit_id=unit.id,
        unit_code=unit.code,
        unit_name=unit.name,
        badge_number=str(data["badge_number"]),
        name=str(data["name"]),
        sex=str(data["sex"]),
        birth_date=date.fromisoformat(str(data["birth_date"])),
    )


def _scope_paths(ctx: Ctx, unit_id: uuid.UUID | None) -> tuple[str, ...]:
    """The caller's unit subtrees, narrowed to one unit's subtree when asked for."""
    if unit_id is None:
        return access.scope_paths(ctx.actor)
    access.require_unit(ctx, unit_id, action="officer.search")
    unit = units_repo.get(ctx.session, unit_id)
    assert unit is not None
    return (unit.path,)


def _audit_listed(ctx: Ctx, items: list[OfficerSummary], detail: str) -> None:
    specs = [
        EventSpec("officer.list", "officer", str(item.id), item.id, purpose="care")
        for item in items
    ]
    specs.append(EventSpec("officer.search", "officer", detail=detail))
    audit.record_many(ctx, specs)


def search(
    ctx: Ctx,
    *,
    badge_number: str | None = None,
    name: str | None = None,
    unit_id: uuid.UUID | None = None,
    page: int = 1,
    page_size: int = 50,
) -> OfficerPage:
    """Officers in the medic's units: by badge (exact, blind index), by name (part of it,
    matched in memory) and/or unit subtree; paginated. Out of scope answers as not there."""
    access.require(ctx, Action.OFFICER_SEARCH)
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise Invalid(f"page starts at 1; page_size is 1 to {MAX_PAGE_SIZE}", code="bad_page")
    paths = _scope_paths(ctx, unit_id)
    offset = (page - 1) * page_size
    if badge_number is not None and badge_number.strip():
        found = officers_repo.by_badge_index(
            ctx.session, ctx.vault.hasher.badge_index(badge_number)
        )
        rows = roster_repo.with_keys(ctx.session, [found.id]) if found else {}
        hits = [
            _summary(ctx, *rows[found.id])
            for found in ([found] if found else [])
            if found.id in rows
            and found.erased_at is None
            and any(rows[found.id][2].path.startswith(p) for p in paths)
        ]
        if name:
            hits = [h for h in hits if normalise_name(name) in normalise_name(h.name)]
        items = hits[offset : offset + page_size]
        _audit_listed(ctx, items, f"by=badge matched={len(hits)}")
        return OfficerPage(items, len(hits), page, page_size)
    if name is not None and name.strip():
        wanted = normalise_name(name)
        everyone = roster_repo.all_in_subtrees(ctx.session, paths)
        matched = [
            s
            for s in (_summary(ctx, o, k, u) for o, k, u in everyone)
            if wanted in normalise_name(s.name)
        ]
        matched.sort(key=lambda s: (s.unit_code, normalise_name(s.name), s.badge_number))
        items = matched[offset : offset + page_size]
        _audit_listed(ctx, items, f"by=name scanned={len(everyone)} matched={len(matched)}")
        return OfficerPage(items, len(matched), page, page_size)
    total = roster_repo.count_in_subtrees(ctx.session, paths)
    rows_page = roster_repo.page_in_subtrees(ctx.session, paths, offset, page_size)
    items = [_summary(ctx, o, k, u) for o, k, u in rows_page]
    _audit_listed(ctx, items, f"by=unit total={total}")
    return OfficerPage(items, total, page, page_size)


def locate(ctx: Ctx, badge_number: str) -> Located:
    """Badge number to officer id for any live officer of the force, and nothing else: the
    medic outside the officer's units then asks for an emergency grant with a reason. The
    lookup itself is audited against the officer, so they see who looked them up."""
    access.require(ctx, Action.OFFICER_LOCATE)
    officer = officers_repo.by_badge_index(ctx.session, ctx.vault.hasher.badge_index(badge_number))
    if officer is None or officer.erased_at is not None:
        access.deny(ctx, "officer.locate", "officer")
        raise NotFound("no officer with this badge number", code="officer_not_found")
    in_scope = access.in_units(ctx, officer.unit_id)
    audit.record(
        ctx,
        "officer.locate",
        "officer",
        resource_id=str(officer.id),
        officer_id=officer.id,
        purpose="care" if in_scope else "emergency",
    )
    return Located(officer.id, in_scope)
