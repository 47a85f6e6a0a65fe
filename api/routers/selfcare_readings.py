"""Officers' own readings (the officer, or a medic on a home visit) and the first-aid cards."""

from __future__ import annotations

import uuid
from dataclasses import asdict

from fastapi import APIRouter, status

from api.deps import CtxDep
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from api.schemas_selfcare import (
    CardOut,
    CardSummaryOut,
    CardTextOut,
    ReadingIn,
    ReadingOut,
    RecordedOut,
)
from health.selfcare.guidance import cards
from health.services import me, selfcare_readings
from health.services.selfcare_readings import Recorded

router = APIRouter(
    prefix="/api/v1", tags=["self-care"], route_class=TransactionRoute, responses=PROBLEM_RESPONSES
)


def _recorded(found: Recorded) -> RecordedOut:
    return RecordedOut(**asdict(found))


def _record(ctx: CtxDep, officer_id: uuid.UUID, body: ReadingIn) -> RecordedOut:
    found = selfcare_readings.record(
        ctx,
        officer_id,
        kind=body.kind,
        values=body.values,
        taken_at=body.taken_at,
        context=body.context,
    )
    return _recorded(found)


@router.post("/me/readings", status_code=status.HTTP_201_CREATED)
def record_mine(body: ReadingIn, ctx: CtxDep) -> RecordedOut:
    """Record my own reading; a critical one answers with what to do now and the guidance."""
    return _record(ctx, me.my_officer_id(ctx), body)


@router.get("/me/readings")
def my_readings(ctx: CtxDep) -> list[ReadingOut]:
    found = selfcare_readings.of_officer(ctx, me.my_officer_id(ctx))
    return [ReadingOut(**asdict(v)) for v in found]


@router.post("/officers/{officer_id}/readings", status_code=status.HTTP_201_CREATED)
def record_for(officer_id: uuid.UUID, body: ReadingIn, ctx: CtxDep) -> RecordedOut:
    """A medic records a reading taken on a home visit, for an officer they serve."""
    return _record(ctx, officer_id, body)


@router.get("/officers/{officer_id}/readings")
def readings_of(officer_id: uuid.UUID, ctx: CtxDep) -> list[ReadingOut]:
    return [ReadingOut(**asdict(v)) for v in selfcare_readings.of_officer(ctx, officer_id)]


@router.get("/guidance")
def guidance_cards(ctx: CtxDep) -> list[CardSummaryOut]:
    """The first-aid cards (not health data: any signed-in user)."""
    return [
        CardSummaryOut(id=c.id, title_zh=c.zh.title, title_en=c.en.title) for c in cards().cards
    ]


@router.get("/guidance/{card_id}")
def guidance_card(card_id: str, ctx: CtxDep) -> CardOut:
    deck = cards()
    card = deck.get(card_id)
    return CardOut(
        id=card.id,
        zh=CardTextOut(title=card.zh.title, steps=list(card.zh.steps)),
        en=CardTextOut(title=card.en.title, steps=list(card.en.steps)),
        sources=deck.citations(card),
    )
