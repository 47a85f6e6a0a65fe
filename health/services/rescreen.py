"""Re-screening stored checkups: after a ruleset change, or when known conditions change.

Each officer's latest checkup is screened again under the active ruleset; the earlier screening
stays as history (superseded). The report says which findings appeared or went away.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from health.ages import completed_years
from health.crypto import Sealer
from health.services import access, audit, intake, rulesets, screening
from health.services.context import Actor, Ctx
from health.services.officers import personal_slot
from health.services.sealed import open_document
from health.services.subject import Subject
from health.services.vault import Vault
from health.vocabulary import Action
from models.repositories import checkups as checkups_repo
from models.repositories import officers as officers_repo
from models.repositories import screenings as screenings_repo
from models.tables import Checkup


@dataclass
class RescreenReport:
    ruleset_version: str
    officers: int = 0
    rescreened: int = 0
    unchanged: int = 0
    added: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)


def _document(checkup: Checkup, sealer: Sealer) -> dict[str, object]:
    return open_document(checkup.id, checkup.results, sealer)


def subjects_for(ctx: Ctx, officer_ids: Sequence[uuid.UUID]) -> list[Subject]:
    """The latest current checkup of each officer, with everything screening needs."""
    officers = officers_repo.by_ids(ctx.session, officer_ids)
    keys = officers_repo.keys_of(ctx.session, officer_ids)
    by_officer: dict[uuid.UUID, list[Checkup]] = {}
    for checkup in checkups_repo.current_of(ctx.session, officer_ids):
        by_officer.setdefault(checkup.officer_id, []).append(checkup)
    subjects = []
    for officer_id, checkups in by_officer.items():
        officer, key = officers.get(officer_id), keys.get(officer_id)
        if officer is None or key is None or officer.personal is None:
            continue
        sealer = ctx.vault.open_key(officer_id, key.kek_version, key.dek_version, key.wrapped_dek)
        personal = json.loads(sealer.open(officer.personal, personal_slot(officer_id)))
        birth = date.fromisoformat(personal["birth_date"])
        checkups.sort(key=lambda c: c.exam_date)
        latest = checkups[-1]
        previous = checkups[-2] if len(checkups) > 1 else None
        subjects.append(
            Subject(
                checkup_id=latest.id,
                officer_id=officer_id,
                unit_id=latest.unit_id,
                exam_date=latest.exam_date,
                sex=personal["sex"],
                age=float(completed_years(birth, latest.exam_date)),
                document=_document(latest, sealer),
                previous=_document(previous, sealer) if previous else None,
                previous_age=(
                    float(completed_years(birth, previous.exam_date)) if previous else None
                ),
                conditions=intake.conditions_of(officer, sealer),
                sealer=sealer,
                birth_date=birth,
            )
        )
    return subjects


def _rule_ids(ctx: Ctx, subjects: Sequence[Subject]) -> dict[uuid.UUID, list[str]]:
    current = screenings_repo.current_for_checkups(ctx.session, [s.checkup_id for s in subjects])
    out: dict[uuid.UUID, list[str]] = {}
    for subject in subjects:
        row = current.get(subject.checkup_id)
        if row is None or subject.sealer is None:
            out[subject.checkup_id] = []
            continue
        findings = screening.findings_of_screening(row, subject.sealer)
        out[subject.checkup_id] = [screening.finding_key(f) for f in findings]
    return out


def rescreen_officers(
    ctx: Ctx, officer_ids: Sequence[uuid.UUID], report: RescreenReport, *, force: bool = False
) -> None:
    """Screen these officers' latest checkups again where the ruleset version changed."""
    ruleset = rulesets.active_ruleset(ctx)
    subjects = subjects_for(ctx, officer_ids)
    current = screenings_repo.current_for_checkups(ctx.session, [s.checkup_id for s in subjects])
    stale = [
        s
        for s in subjects
        if force
        or current.get(s.checkup_id) is None
        or current[s.checkup_id].ruleset_version != ruleset.version
    ]
    report.officers += len(subjects)
    report.unchanged += len(subjects) - len(stale)
    before = _rule_ids(ctx, stale)
    after = screening.screen_and_store(ctx, stale, ruleset=ruleset)
    for subject in stale:
        old, new = Counter(before[subject.checkup_id]), Counter(after[subject.checkup_id])
        report.added.update(new - old)
        report.removed.update(old - new)
    report.rescreened += len(stale)
    if stale:
        audit.record_many(
            ctx,
            [
                audit.EventSpec(
                    "checkup.rescreen",
                    "checkup",
                    str(s.checkup_id),
                    s.officer_id,
                    detail=f"ruleset={ruleset.version}",
                )
                for s in stale
            ],
        )


def run(
    sessions: sessionmaker[Session],
    vault: Vault,
    actor: Actor,
    *,
    chunk_size: int = 1000,
    progress: Callable[[int, int], None] | None = None,
) -> RescreenReport:
    """Every officer's latest checkup under the active ruleset, one transaction per chunk."""
    with sessions.begin() as session:
        ctx = Ctx(session, vault, actor)
        access.require(ctx, Action.CHECKUP_RESCREEN)
        officer_ids = officers_repo.live_ids(session)
        report = RescreenReport(rulesets.active_ruleset(ctx).version)
    for start in range(0, len(officer_ids), chunk_size):
        with sessions.begin() as session:
            rescreen_officers(
                Ctx(session, vault, actor), officer_ids[start : start + chunk_size], report
            )
        if progress is not None:
            progress(min(start + chunk_size, len(officer_ids)), len(officer_ids))
    return report
