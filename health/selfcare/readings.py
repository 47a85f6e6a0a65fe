"""Officers' own measurements: what a reading holds, and how the self-care ruleset screens it.

Self-measurements are screened under their own thresholds (``health/rulesets/
selfcare_default.yaml``), not the clinic's: home blood pressure is judged on the mean of a
series of days, never on one reading, while a single reading in a critical range is acted on at
once. Everything here is pure; the service seals readings and opens tasks.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from importlib import resources
from typing import Any, Final, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from health.catalog import load_catalog
from health.errors import Invalid
from health.vocabulary import TaskType

ReadingKind = Literal["home_bp", "glucose", "spo2", "weight"]
KINDS: Final[tuple[ReadingKind, ...]] = ("home_bp", "glucose", "spo2", "weight")
GlucoseContext = Literal["fasting", "random", "postprandial"]
Grade = Literal["normal", "low", "critical"]

# Which values each kind carries: required, then optional.
VALUES: Final[dict[ReadingKind, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "home_bp": (("sbp", "dbp"), ("pulse",)),
    "glucose": (("glu",), ()),
    "spo2": (("spo2",), ("pulse",)),
    "weight": (("weight",), ()),
}
# SpO2 is not a catalog analyte: a pulse oximeter shows 0-100 %, and ISO 80601-2-61 states
# accuracy only from 70 %; below 50 % no reading from a finger-clip device is credible.
SPO2_BOUNDS: Final = (50.0, 100.0)
# Days are counted in the force's local time (China Standard Time, UTC+8, no daylight saving):
# "seven days of readings" means seven calendar days where the officer lives.
FORCE_TZ: Final = timezone(timedelta(hours=8))
DEFAULT_SELFCARE_FILE = "selfcare_default.yaml"


def local_day(moment: datetime) -> date:
    return moment.astimezone(FORCE_TZ).date()


@dataclass(frozen=True, slots=True)
class Reading:
    """One self-measurement in canonical units (mmHg, mmol/L, %, kg)."""

    kind: ReadingKind
    taken_at: datetime
    values: Mapping[str, float]
    context: GlucoseContext | None = None

    def as_document(self) -> dict[str, Any]:
        return {"kind": self.kind, "values": dict(self.values), "context": self.context}


def validate(
    kind: str, values: Mapping[str, float], taken_at: datetime, now: datetime, context: str | None
) -> Reading:
    """A reading, or ``Invalid`` naming the field and the reason (never the value)."""
    if kind not in VALUES:
        raise Invalid(f"kind must be one of {', '.join(KINDS)}", code="unknown_reading_kind")
    if taken_at.tzinfo is None:
        raise Invalid("taken_at needs a time zone offset", code="naive_datetime")
    if taken_at > now + timedelta(minutes=5):
        raise Invalid("taken_at lies in the future", code="reading_in_future")
    required, optional = VALUES[kind]
    unknown = sorted(set(values) - set(required) - set(optional))
    if unknown:
        raise Invalid(f"{kind} readings do not carry {', '.join(unknown)}", code="unknown_value")
    missing = [code for code in required if code not in values]
    if missing:
        raise Invalid(f"{kind} readings need {', '.join(missing)}", code="missing_value")
    catalog = load_catalog()
    for code, value in values.items():
        if code == "spo2":
            low, high = SPO2_BOUNDS
            if not (math.isfinite(value) and low <= value <= high):
                raise Invalid(
                    f"spo2: outside the plausible range {low:g}-{high:g} %",
                    code="implausible_value",
                )
            continue
        problem = catalog.plausibility_error(code, value)
        if problem is not None:
            raise Invalid(f"{code}: {problem}", code="implausible_value")
    if kind == "home_bp" and values["sbp"] <= values["dbp"]:
        raise Invalid("sbp must be higher than dbp", code="implausible_value")
    if kind == "glucose":
        if context not in ("fasting", "random", "postprandial"):
            raise Invalid(
                "glucose readings need context fasting, random or postprandial",
                code="missing_value",
            )
    elif context is not None:
        raise Invalid("only glucose readings carry a context", code="unknown_value")
    return Reading(kind, taken_at, {k: float(v) for k, v in values.items()}, context)  # type: ignore[arg-type]


class _Condition(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: str
    at_least: float | None = None
    below: float | None = None

    @model_validator(mode="after")
    def one_limit(self) -> _Condition:
        if (self.at_least is None) == (self.below is None):
            raise ValueError("give exactly one of at_least or below")
        return self

    def holds(self, mean: float) -> bool:
        if self.at_least is not None:
            return mean >= self.at_least
        assert self.below is not None
        return mean < self.below


class TaskSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal[TaskType.RECHECK, TaskType.REFERRAL, TaskType.HOME_VISIT]
    family: str
    priority: int = Field(ge=1, le=5)
    due_days: int = Field(ge=1, le=365)
    reason: str


class SeriesRule(BaseModel):
    """A threshold on the mean of a series: at least ``min_days`` days with a reading inside
    ``window_days`` ending on the latest reading's day; ``drop_first_day`` leaves out the first
    day once more than ``min_days`` days are there (the home-BP method)."""

    model_config = ConfigDict(extra="forbid")
    id: str
    kind: ReadingKind
    context: GlucoseContext | None = None
    window_days: int = Field(ge=1, le=90)
    min_days: int = Field(ge=1)
    drop_first_day: bool
    source: str
    method_source: str | None = None
    any_of: list[_Condition] = Field(min_length=1)
    task: TaskSpec


class LimitRule(BaseModel):
    """A single-reading limit, strict as written: ``above`` is value > x, ``below`` value < x."""

    model_config = ConfigDict(extra="forbid")
    id: str
    kind: ReadingKind
    value: str
    above: float | None = None
    below: float | None = None
    family: str | None = None
    source: str
    cards: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def one_limit(self) -> LimitRule:
        if (self.above is None) == (self.below is None):
            raise ValueError("give exactly one of above or below")
        return self

    def hit(self, reading: Reading) -> bool:
        value = reading.values.get(self.value)
        if reading.kind != self.kind or value is None:
            return False
        return value > self.above if self.above is not None else value < (self.below or 0.0)


class SelfcareRuleset(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    version: str
    sources: dict[str, str]
    series: list[SeriesRule]
    critical: list[LimitRule]
    low: list[LimitRule] = Field(default_factory=list)

    @model_validator(mode="after")
    def cited(self) -> SelfcareRuleset:
        """Every threshold names a source that the file defines, and values its kind carries."""
        rules: list[SeriesRule | LimitRule] = [*self.series, *self.critical, *self.low]
        for rule in rules:
            for key in (rule.source, getattr(rule, "method_source", None)):
                if key is not None and key not in self.sources:
                    raise ValueError(f"rule {rule.id}: source {key!r} is not defined")
            required, optional = VALUES[rule.kind]
            names = [c.value for c in rule.any_of] if isinstance(rule, SeriesRule) else [rule.value]
            for name in names:
                if name not in (*required, *optional):
                    raise ValueError(f"rule {rule.id}: {rule.kind} readings carry no {name}")
        return self

    def source(self, key: str) -> str:
        return " ".join(self.sources[key].split())


def parse_ruleset(text: str) -> SelfcareRuleset:
    try:
        return SelfcareRuleset.model_validate(yaml.safe_load(text))
    except ValidationError as exc:
        raise Invalid(f"self-care ruleset refused: {exc}", code="ruleset_invalid") from exc


@lru_cache(maxsize=1)
def default_ruleset() -> SelfcareRuleset:
    ref = resources.files("health.rulesets").joinpath(DEFAULT_SELFCARE_FILE)
    return parse_ruleset(ref.read_text("utf-8"))


@dataclass(frozen=True, slots=True)
class LimitHit:
    rule_id: str
    family: str | None
    source: str
    cards: tuple[str, ...]


def limits_hit(ruleset: SelfcareRuleset, reading: Reading) -> tuple[Grade, list[LimitHit]]:
    """The single-reading grade: critical before low; the rules that fired, with sources."""
    for grade, rules in (("critical", ruleset.critical), ("low", ruleset.low)):
        hits = [
            LimitHit(r.id, r.family, ruleset.source(r.source), tuple(r.cards))
            for r in rules
            if r.hit(reading)
        ]
        if hits:
            return grade, hits  # type: ignore[return-value]
    return "normal", []


@dataclass(frozen=True, slots=True)
class SeriesResult:
    """The mean of a series and whether it crossed the rule's threshold."""

    rule_id: str
    kind: ReadingKind
    days: int
    readings: int
    first_day: date
    last_day: date
    means: Mapping[str, float]
    crossed: bool
    source: str

    def inputs(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "readings": self.readings,
            "from": self.first_day.isoformat(),
            "to": self.last_day.isoformat(),
            "means": {k: round(v, 1) for k, v in self.means.items()},
        }


def evaluate_series(
    ruleset: SelfcareRuleset, readings: Sequence[Reading], rule: SeriesRule
) -> SeriesResult | None:
    """The rule's verdict on the latest window of readings, or ``None`` while too few days.

    Each day counts once however many readings it holds: the day's mean, then the mean of the
    days (morning and evening readings of one day are one observation of that day).
    """
    own = [r for r in readings if r.kind == rule.kind and (rule.context in (None, r.context))]
    if not own:
        return None
    last = max(local_day(r.taken_at) for r in own)
    start = last - timedelta(days=rule.window_days - 1)
    by_day: dict[date, list[Reading]] = {}
    for reading in own:
        day = local_day(reading.taken_at)
        if start <= day <= last:
            by_day.setdefault(day, []).append(reading)
    if len(by_day) < rule.min_days:
        return None
    days = sorted(by_day)
    if rule.drop_first_day and len(days) > rule.min_days:
        days = days[1:]
    names = sorted({c.value for c in rule.any_of})
    means: dict[str, float] = {}
    for name in names:
        per_day = [sum(r.values[name] for r in by_day[d]) / len(by_day[d]) for d in days]
        means[name] = sum(per_day) / len(per_day)
    crossed = any(c.holds(means[c.value]) for c in rule.any_of)
    return SeriesResult(
        rule.id,
        rule.kind,
        len(days),
        sum(len(by_day[d]) for d in days),
        days[0],
        days[-1],
        means,
        crossed,
        ruleset.source(rule.source),
    )


def series_for(ruleset: SelfcareRuleset, reading: Reading) -> list[SeriesRule]:
    """The series rules a new reading may change."""
    return [
        r for r in ruleset.series if r.kind == reading.kind and r.context in (None, reading.context)
    ]


def window_start(ruleset: SelfcareRuleset, moment: datetime) -> datetime:
    """How far back readings must be loaded to evaluate any series ending at ``moment``."""
    longest = max((r.window_days for r in ruleset.series), default=1)
    return moment - timedelta(days=longest + 1)


URGENT_ADVICE: Final = {
    "zh": "您的读数处于危险范围：请立即就医或拨打120；如有胸痛、一侧肢体无力、言语不清、意识改变，"
    "立即拨打120。医务人员会在24小时内联系您。",
    "en": "This reading is in a dangerous range: seek medical care now or call 120. If you have "
    "chest pain, weakness on one side, slurred speech or confusion, call 120 at once. A medic "
    "will contact you within 24 hours.",
}
LOW_ADVICE: Final = {
    "zh": "血糖偏低：立即吃15-20克含糖食物（如3-4块方糖或半杯果汁），15分钟后复测。",
    "en": "Your glucose is low: take 15-20 g of sugar now (3-4 sugar cubes or half a glass of "
    "juice) and measure again after 15 minutes.",
}
