"""First-aid guidance cards (zh/en) with their sources, held as data and served as they are.

Cards are static text, not health data: any signed-in user may read them, and a critical reading's
answer links to the ones that fit, so the officer has the steps at hand when it matters.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Final, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from health.errors import Invalid, NotFound

Language = Literal["zh", "en"]
REQUIRED_CARDS: Final = (
    "chest_pain",
    "stroke_signs",
    "hypoglycaemia",
    "heat_illness",
    "severe_bleeding",
    "fainting",
    "cpr_aed",
    "device_bp_monitor",
    "device_glucometer",
    "device_pulse_oximeter",
)


class CardText(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    title: str = Field(min_length=1)
    steps: tuple[str, ...] = Field(min_length=1)


class Card(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    sources: tuple[str, ...] = Field(min_length=1)
    zh: CardText
    en: CardText


class CardSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    sources: dict[str, str]
    cards: tuple[Card, ...]

    @model_validator(mode="after")
    def complete_and_cited(self) -> CardSet:
        ids = [c.id for c in self.cards]
        if len(ids) != len(set(ids)):
            raise ValueError("card ids must be unique")
        missing = [c for c in REQUIRED_CARDS if c not in ids]
        if missing:
            raise ValueError(f"cards missing: {', '.join(missing)}")
        for card in self.cards:
            unknown = [s for s in card.sources if s not in self.sources]
            if unknown:
                raise ValueError(f"card {card.id}: undefined sources {', '.join(unknown)}")
        return self

    def get(self, card_id: str) -> Card:
        for card in self.cards:
            if card.id == card_id:
                return card
        raise NotFound("no such guidance card", code="card_not_found")

    def citations(self, card: Card) -> list[str]:
        return [" ".join(self.sources[s].split()) for s in card.sources]


def parse_cards(text: str) -> CardSet:
    try:
        return CardSet.model_validate(yaml.safe_load(text))
    except ValidationError as exc:
        raise Invalid(f"guidance cards refused: {exc}", code="cards_invalid") from exc


@lru_cache(maxsize=1)
def cards() -> CardSet:
    text = resources.files("health.selfcare").joinpath("guidance_cards.yaml").read_text("utf-8")
    return parse_cards(text)
