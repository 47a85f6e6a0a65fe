"""Officers' own readings: record (sealed, idempotent), screen under the self-care ruleset, and
turn a crossed series or a critical reading into a follow-up task.

The officer records their own readings; a medic may record them on a home visit for an officer
they serve. Nobody else sees readings: unit managers get readiness and coverage, never values.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from health.crypto import Sealer, Slot
from health.followup.recheck import URGENT_REASON
from health.selfcare import readings as rules
from health.selfcare.guidance import cards
from health.services import access, audit
from health.services.context import Ctx
from health.services.selfcare_tasks import SelfcarePlan, TaskTouched, open_or_update
from health.vocabulary import Action, TaskType
from models.repositories import selfcare as selfcare_repo
from models.tables import Officer
from models.tables_selfcare import Reading as ReadingRow

# The follow-up policy's critical-result contact (followup_default.yaml, critical_result):
# an urgent contact within 24 hours, priority 1.
URGENT_DUE: Final = timedelta(hours=24)
URGENT_PRIORITY: Final = 1


def document_slot(reading_id: uuid.UUID) -> Slot:
    return Slot("selfcare_reading", "document", str(reading_id))


@dataclass(frozen=True)
class RuleHit:
    rule_id: str
    source: str


@dataclass(frozen=True)
class CardLink:
    id: str
    title_zh: str
    title_en: str
    href: str


@dataclass(frozen=True)
class SeriesOut:
    rule_id: str
    crossed: bool
    days: int
    readings: int
    means: dict[str, float]
    source: str


@dataclass
class Recorded:
    """What the officer is told right after recording: the grade, what to do, which task."""

    reading_id: uuid.UUID
    duplicate: bool
    grade: str
    hits: list[RuleHit] = field(default_factory=list)
    advice: dict[str, str] | None = None
    cards: list[CardLink] = field(default_factory=list)
    series: list[SeriesOut] = field(default_factory=list)
    tasks: list[TaskTouched] = field(default_factory=list)


@dataclass(frozen=True)
class ReadingView:
    id: uuid.UUID
    kind: str
    taken_at: datetime
    values: dict[str, float]
    context: str | None


def _canonical(officer_id: uuid.UUID, reading: rules.Reading) -> bytes:
    body = {
        "officer": str(officer_id),
        "taken_at": reading.taken_at.astimezone(UTC).isoformat(),
        **reading.as_document(),
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def _open(row: ReadingRow, sealer: Sealer) -> rules.Reading:
    doc: dict[str, Any] = json.loads(sealer.open(row.document, document_slot(row.id)))
    return rules.Reading(doc["kind"], row.taken_at, doc["values"], doc.get("context"))


def _card_links(ids: list[str]) -> list[CardLink]:
    deck = cards()
    links = []
    for card_id in dict.fromkeys(ids):
        card = deck.get(card_id)
        links.append(CardLink(card.id, card.zh.title, card.en.title, f"/api/v1/guidance/{card.id}"))
    return links


def _told(out: Recorded, hits: list[rules.LimitHit]) -> Recorded:
    """What to do now for a critical or low reading, and the cards that go with it."""
    if out.grade == "critical":
        out.advice = dict(rules.URGENT_ADVICE)
    elif out.grade == "low":
        out.advice = dict(rules.LOW_ADVICE)
    out.cards = _card_links([c for h in hits for c in h.cards])
    return out


def _officer(ctx: Ctx, officer_id: uuid.UUID, action: Action) -> Officer:
    access.require(ctx, action)
    return access.officer_in_scope(ctx, officer_id, action=action)


def record(
    ctx: Ctx,
    officer_id: uuid.UUID,
    *,
    kind: str,
    values: dict[str, float],
    taken_at: datetime,
    context: str | None = None,
) -> Recorded:
    """Store one reading (once, however often it is sent) and act on what it shows."""
    officer = _officer(ctx, officer_id, Action.READING_CREATE)
    now = ctx.clock()
    reading = rules.validate(kind, values, taken_at, now, context)
    sealer = ctx.vault.sealer_for(ctx.session, officer.id)
    content_hash = ctx.vault.hasher.content_hash(_canonical(officer.id, reading))
    existing = selfcare_repo.reading_by_hash(ctx.session, officer.id, content_hash)
    ruleset = rules.default_ruleset()
    grade, hits = rules.limits_hit(ruleset, reading)
    if existing is not None:
        audit.record(
            ctx,
            "reading.create",
            "selfcare_reading",
            resource_id=str(existing.id),
            officer_id=officer.id,
            purpose=access.purpose_of(ctx, officer, "care"),
            detail="duplicate=true",
        )
        # Sent again (a retry): stored once, but the officer is told what to do again.
        return _told(
            Recorded(existing.id, True, grade, [RuleHit(h.rule_id, h.source) for h in hits]), hits
        )
    reading_id = uuid.uuid4()
    sealed = sealer.seal(
        json.dumps(reading.as_document(), sort_keys=True).encode(), document_slot(reading_id)
    )
    selfcare_repo.add(
        ctx.session,
        ReadingRow(
            id=reading_id,
            officer_id=officer.id,
            unit_id=officer.unit_id,
            taken_at=reading.taken_at,
            recorded_at=now,
            recorded_by=ctx.actor.id,
            content_hash=content_hash,
            document=sealed,
        ),
    )
    audit.record(
        ctx,
        "reading.create",
        "selfcare_reading",
        resource_id=str(reading_id),
        officer_id=officer.id,
        purpose=access.purpose_of(ctx, officer, "care"),
    )
    out = _told(
        Recorded(reading_id, False, grade, [RuleHit(h.rule_id, h.source) for h in hits]), hits
    )
    day = rules.local_day(reading.taken_at)
    if grade == "critical":
        for hit in hits:
            plan = SelfcarePlan(
                TaskType.URGENT_CONTACT,
                hit.family or "selfcare",
                URGENT_PRIORITY,
                now + URGENT_DUE,
                URGENT_REASON,
                hit.rule_id,
                hit.source,
                day,
            )
            out.tasks.append(open_or_update(ctx, officer, plan, sealer))
    _screen_series(ctx, officer, reading, sealer, out)
    return out


def _screen_series(
    ctx: Ctx, officer: Officer, reading: rules.Reading, sealer: Sealer, out: Recorded
) -> None:
    """Re-evaluate every series the new reading belongs to; a crossed one opens or updates
    the single follow-up task of its type and family."""
    ruleset = rules.default_ruleset()
    wanted = rules.series_for(ruleset, reading)
    if not wanted:
        return
    rows = selfcare_repo.readings_since(
        ctx.session, officer.id, rules.window_start(ruleset, reading.taken_at), reading.taken_at
    )
    series = [_open(row, sealer) for row in rows]
    for rule in wanted:
        result = rules.evaluate_series(ruleset, series, rule)
        if result is None:
            continue
        out.series.append(
            SeriesOut(
                rule.id,
                result.crossed,
                result.days,
                result.readings,
                {k: round(v, 1) for k, v in result.means.items()},
                result.source,
            )
        )
        if not result.crossed:
            continue
        spec = rule.task
        plan = SelfcarePlan(
            spec.type,
            spec.family,
            spec.priority,
            ctx.clock() + timedelta(days=spec.due_days),
            spec.reason,
            rule.id,
            result.source,
            result.last_day,
            result.inputs(),
        )
        out.tasks.append(open_or_update(ctx, officer, plan, sealer))


def of_officer(ctx: Ctx, officer_id: uuid.UUID, *, limit: int = 500) -> list[ReadingView]:
    """An officer's readings, newest first; opening them is an audited read."""
    officer = _officer(ctx, officer_id, Action.READING_READ)
    sealer = ctx.vault.sealer_for(ctx.session, officer.id)
    rows = selfcare_repo.readings_of(ctx.session, officer.id, limit)
    views = []
    for row in rows:
        opened = _open(row, sealer)
        views.append(
            ReadingView(row.id, opened.kind, row.taken_at, dict(opened.values), opened.context)
        )
    audit.record(
        ctx,
        "reading.read",
        "selfcare_reading",
        officer_id=officer.id,
        purpose=access.purpose_of(ctx, officer, "care"),
        detail=f"count={len(views)}",
    )
    return views
