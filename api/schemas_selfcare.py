"""HTTP payloads of the self-care routes (equipment, training, readings, programmes, figures)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class ReadingIn(BaseModel):
    """One measurement from an issued device, in mmHg, mmol/L, % or kg."""

    kind: Literal["home_bp", "glucose", "spo2", "weight"]
    taken_at: datetime
    values: dict[str, float] = Field(min_length=1, max_length=3)
    context: Literal["fasting", "random", "postprandial"] | None = None


class RuleHitOut(BaseModel):
    rule_id: str
    source: str


class CardLinkOut(BaseModel):
    id: str
    title_zh: str
    title_en: str
    href: str


class SeriesOut(BaseModel):
    rule_id: str
    crossed: bool
    days: int
    readings: int
    means: dict[str, float]
    source: str


class TaskTouchedOut(BaseModel):
    task_id: uuid.UUID
    type: str
    action: str
    rule_id: str


class RecordedOut(BaseModel):
    """What to do now (``advice``, ``cards``) comes first for a critical reading."""

    reading_id: uuid.UUID
    duplicate: bool
    grade: str
    advice: dict[str, str] | None
    cards: list[CardLinkOut]
    hits: list[RuleHitOut]
    series: list[SeriesOut]
    tasks: list[TaskTouchedOut]


class ReadingOut(BaseModel):
    id: uuid.UUID
    kind: str
    taken_at: datetime
    values: dict[str, float]
    context: str | None


class CardSummaryOut(BaseModel):
    id: str
    title_zh: str
    title_en: str


class CardTextOut(BaseModel):
    title: str
    steps: list[str]


class CardOut(BaseModel):
    id: str
    zh: CardTextOut
    en: CardTextOut
    sources: list[str]


class GoalIn(BaseModel):
    measure: str = Field(min_length=1, max_length=32)
    target: float
    direction: Literal["at_most", "at_least"] = "at_most"


class EnrolIn(BaseModel):
    kind: Literal["weight", "blood_pressure", "glucose", "lipids", "uric_acid", "smoking"]
    goals: list[GoalIn] = Field(min_length=1, max_length=6)
    enrolled_on: date
    planned_contacts: list[date] = Field(default_factory=list, max_length=52)
    lifestyle_task_id: uuid.UUID | None = Field(
        default=None, description="the open lifestyle task this enrolment answers (completed)"
    )


class ContactIn(BaseModel):
    contact_on: date
    notes: str = Field(default="", max_length=4000)
    measurements: dict[str, float] = Field(default_factory=dict, max_length=6)


class OutcomeIn(BaseModel):
    outcome: Literal["achieved", "not_achieved", "withdrawn"]
    ended_on: date
    note: str | None = Field(default=None, max_length=4000)


class ContactOut(BaseModel):
    id: uuid.UUID
    contact_on: date
    notes: str
    measurements: dict[str, float]


class ProgrammeOut(BaseModel):
    id: uuid.UUID
    officer_id: uuid.UUID
    kind: str
    status: str
    enrolled_on: date
    ended_on: date | None
    goals: list[dict[str, Any]]
    planned_contacts: list[date]
    outcome_note: str | None
    contacts: list[ContactOut]


class GoalResultOut(BaseModel):
    measure: str
    target: float
    direction: str
    value: float | None
    met: bool | None


class ComparisonOut(BaseModel):
    programme_id: uuid.UUID
    status: str
    checkup_id: uuid.UUID | None
    exam_date: date | None
    goals: list[GoalResultOut]
    last_contact: list[GoalResultOut]
    goals_met: int | None


class KitIn(BaseModel):
    label: str = Field(min_length=1, max_length=100)
    template: str | None = Field(default=None, max_length=32)


class StockIn(BaseModel):
    item: str = Field(min_length=1, max_length=48)
    quantity: int = Field(ge=0, le=10000)
    batch: str | None = Field(default=None, max_length=64)
    expires_on: date | None = None


class RestockIn(BaseModel):
    items: list[StockIn] = Field(min_length=1, max_length=200)


class KitOut(BaseModel):
    id: uuid.UUID
    unit_id: uuid.UUID
    template: str
    label: str
    ready: bool
    complete: bool
    in_date: bool
    missing: list[dict[str, Any]]
    expired: list[dict[str, Any]]
    expiring: list[dict[str, Any]]
    stock: list[dict[str, Any]]


class DeviceIn(BaseModel):
    kind: str = Field(min_length=1, max_length=32)
    serial: str = Field(min_length=1, max_length=64)
    holder_officer_id: uuid.UUID | None = None
    last_calibrated_on: date | None = None


class HandoverIn(BaseModel):
    holder_officer_id: uuid.UUID | None


class CalibrationIn(BaseModel):
    calibrated_on: date


class DeviceOut(BaseModel):
    id: uuid.UUID
    unit_id: uuid.UUID
    kind: str
    serial: str
    holder_officer_id: uuid.UUID | None
    last_calibrated_on: date | None
    calibration_due_on: date | None
    calibrated: bool
    due_within: bool


class ReadinessOut(BaseModel):
    unit_id: uuid.UUID
    as_of: date
    within: int
    kits_not_ready: int
    devices_not_calibrated: int
    kits: list[KitOut]
    devices: list[DeviceOut]


class CourseIn(BaseModel):
    code: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")
    name_zh: str = Field(min_length=1, max_length=100)
    name_en: str = Field(min_length=1, max_length=100)
    validity_months: int = Field(ge=1, le=120)
    required: bool = True


class CourseOut(BaseModel):
    id: uuid.UUID
    code: str
    name_zh: str
    name_en: str
    validity_months: int
    required: bool


class TrainingRowErrorOut(BaseModel):
    """One problem in an attendance file: where, what was sent, why (shown to the uploader)."""

    row: int
    field: str
    value: str
    reason: str
    code: str


class TrainingImportOut(BaseModel):
    dry_run: bool
    mode: str
    status: str
    rows_read: int
    valid: int
    stored: int
    duplicates: int
    rejected: int
    errors: list[TrainingRowErrorOut]


class CourseStandingOut(BaseModel):
    course: str
    current: int
    expiring: list[uuid.UUID]
    expired: list[uuid.UUID]
    untrained: list[uuid.UUID]


class UnitTrainingOut(BaseModel):
    unit_id: uuid.UUID
    officers: int
    courses: list[CourseStandingOut]


class SelfcareFiguresOut(BaseModel):
    """Counts and rates only; programme counts are null where suppressed."""

    unit_id: uuid.UUID
    year: int
    as_of: date
    min_cell: int
    units: list[dict[str, Any]]
    programmes: list[dict[str, Any]]
