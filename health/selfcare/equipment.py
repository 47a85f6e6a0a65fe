"""First-aid kits and measuring devices: templates as data, and whether each kit and device is
ready (complete, in date, calibrated) on a given day. Inventory is not health data.

A kit is *complete* when every template item is there in at least its quantity counting only
units still in date; it is *in date* when it holds nothing expired (expired stock must be taken
out, even if fresh stock sits beside it). *Ready* is both. A device is *calibrated* while its last
calibration plus the kind's interval has not passed; one never calibrated is not.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Final

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from health.errors import Invalid

HORIZONS: Final = (30, 60, 90)


class ItemSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    code: str
    zh: str
    en: str
    quantity: int = Field(ge=1)
    expires: bool
    source: str


class DeviceSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    zh: str
    en: str
    calibration_months: int = Field(ge=1, le=60)
    source: str


class KitTemplate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    zh: str
    en: str
    items: tuple[ItemSpec, ...] = Field(min_length=1)
    devices: dict[str, int]

    def item(self, code: str) -> ItemSpec | None:
        return next((i for i in self.items if i.code == code), None)


class Templates(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    sources: dict[str, str]
    devices: dict[str, DeviceSpec]
    templates: dict[str, KitTemplate]

    @model_validator(mode="after")
    def cited(self) -> Templates:
        for name, spec in self.devices.items():
            if spec.source not in self.sources:
                raise ValueError(f"device {name}: source {spec.source!r} is not defined")
        for name, template in self.templates.items():
            codes = [i.code for i in template.items]
            if len(codes) != len(set(codes)):
                raise ValueError(f"template {name}: item codes repeat")
            for item in template.items:
                if item.source not in self.sources:
                    raise ValueError(f"template {name}: item {item.code}: undefined source")
            unknown = set(template.devices) - set(self.devices)
            if unknown:
                raise ValueError(f"template {name}: unknown devices {sorted(unknown)}")
        return self

    def template(self, name: str) -> KitTemplate:
        found = self.templates.get(name)
        if found is None:
            raise Invalid(
                f"template must be one of {', '.join(self.templates)}", code="unknown_template"
            )
        return found

    def device(self, kind: str) -> DeviceSpec:
        found = self.devices.get(kind)
        if found is None:
            raise Invalid(f"kind must be one of {', '.join(self.devices)}", code="unknown_device")
        return found


def parse_templates(text: str) -> Templates:
    try:
        return Templates.model_validate(yaml.safe_load(text))
    except ValidationError as exc:
        raise Invalid(f"kit templates refused: {exc}", code="templates_invalid") from exc


@lru_cache(maxsize=1)
def templates() -> Templates:
    text = resources.files("health.selfcare").joinpath("kit_templates.yaml").read_text("utf-8")
    return parse_templates(text)


def check_horizon(days: int) -> None:
    if days not in HORIZONS:
        raise Invalid("within must be 30, 60 or 90 days", code="bad_horizon")


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class Stock:
    """One row of what a kit holds."""

    item: str
    batch: str
    quantity: int
    expires_on: date | None


@dataclass(frozen=True, slots=True)
class Missing:
    item: str
    needed: int
    usable: int


@dataclass(frozen=True, slots=True)
class Dated:
    item: str
    batch: str
    quantity: int
    expires_on: date


@dataclass(frozen=True)
class KitStatus:
    missing: list[Missing] = field(default_factory=list)
    expired: list[Dated] = field(default_factory=list)
    expiring: list[Dated] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def in_date(self) -> bool:
        return not self.expired

    @property
    def ready(self) -> bool:
        return self.complete and self.in_date


def kit_status(
    template: KitTemplate, stock: Sequence[Stock], today: date, *, within: int = 30
) -> KitStatus:
    """What is missing, expired (expiry before ``today``) and expiring within ``within`` days.

    An item expires at the end of its expiry date (it may be used on that day).
    """
    usable: dict[str, int] = {}
    status = KitStatus()
    horizon = today + timedelta(days=within)
    for row in stock:
        if row.quantity <= 0:
            continue
        if row.expires_on is not None and row.expires_on < today:
            status.expired.append(Dated(row.item, row.batch, row.quantity, row.expires_on))
            continue
        usable[row.item] = usable.get(row.item, 0) + row.quantity
        if row.expires_on is not None and row.expires_on <= horizon:
            status.expiring.append(Dated(row.item, row.batch, row.quantity, row.expires_on))
    for spec in template.items:
        have = usable.get(spec.code, 0)
        if have < spec.quantity:
            status.missing.append(Missing(spec.code, spec.quantity, have))
    status.expired.sort(key=lambda d: (d.expires_on, d.item))
    status.expiring.sort(key=lambda d: (d.expires_on, d.item))
    return status


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    due_on: date | None
    calibrated: bool
    due_within: bool


def device_status(
    spec: DeviceSpec, last: date | None, today: date, *, within: int = 30
) -> DeviceStatus:
    """Calibrated until last calibration + interval (inclusive); never calibrated is overdue."""
    if last is None:
        return DeviceStatus(None, False, True)
    due = add_months(last, spec.calibration_months)
    return DeviceStatus(due, due >= today, due <= today + timedelta(days=within))


def check_stock(template: KitTemplate, rows: Sequence[Mapping[str, object]]) -> list[Stock]:
    """A restock's rows, or ``Invalid`` naming the row and field: items of the template only,
    batch and expiry for the items that expire, no negative quantities."""
    out: list[Stock] = []
    for i, row in enumerate(rows):
        code = str(row.get("item", ""))
        spec = template.item(code)
        if spec is None:
            raise Invalid(f"items[{i}].item: not in this kit's template", code="unknown_item")
        quantity = row.get("quantity")
        if not isinstance(quantity, int) or quantity < 0:
            raise Invalid(f"items[{i}].quantity: a whole number ≥ 0", code="bad_quantity")
        batch = str(row.get("batch") or "")
        expires_on = row.get("expires_on")
        if spec.expires and (not batch or not isinstance(expires_on, date)):
            raise Invalid(
                f"items[{i}]: {code} needs a batch and an expiry date", code="missing_expiry"
            )
        if not spec.expires and expires_on is not None:
            raise Invalid(
                f"items[{i}].expires_on: {code} does not expire", code="unexpected_expiry"
            )
        out.append(
            Stock(code, batch, quantity, expires_on if isinstance(expires_on, date) else None)
        )
    keys = [(s.item, s.batch) for s in out]
    if len(keys) != len(set(keys)):
        raise Invalid("each item and batch once per restock", code="duplicate_item")
    return out
