"""First-aid kits and devices of units: inventory, restock, handover, calibration, the readiness
list, and reminders to a device's holder and the unit's managers through the outbox.

Inventory is not health data (kept in clear), but it is the unit's business: only medics and
unit managers serving the unit's subtree see or change it, and every change is audited.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from health.errors import Conflict, Invalid, NotFound
from health.followup.notify import Message
from health.selfcare import equipment as rules
from health.selfcare import notices
from health.services import access, audit
from health.services.context import MANAGER, MEDIC, Ctx
from health.services.followup_jobs import Mail
from health.vocabulary import Action
from models.repositories import officers as officers_repo
from models.repositories import outbox as outbox_repo
from models.repositories import selfcare_equipment as repo
from models.repositories import tasks as tasks_repo
from models.repositories import units as units_repo
from models.tables_selfcare import Device, Kit, KitItem

STAFF = (MEDIC, MANAGER)


def _today(ctx: Ctx) -> date:
    return ctx.clock().astimezone(UTC).date()


def _in_scope(ctx: Ctx, unit_id: uuid.UUID) -> bool:
    return access.in_units(ctx, unit_id)


def _kit(ctx: Ctx, kit_id: uuid.UUID, action: Action) -> Kit:
    access.require(ctx, action)
    kit = repo.kit(ctx.session, kit_id)
    if kit is None or not _in_scope(ctx, kit.unit_id):
        access.deny(ctx, action, "selfcare_kit", resource_id=str(kit_id))
        raise NotFound("kit not found", code="kit_not_found")
    return kit


def _device(ctx: Ctx, device_id: uuid.UUID, action: Action) -> Device:
    access.require(ctx, action)
    device = repo.device(ctx.session, device_id)
    if device is None or not _in_scope(ctx, device.unit_id):
        access.deny(ctx, action, "selfcare_device", resource_id=str(device_id))
        raise NotFound("device not found", code="device_not_found")
    return device


@dataclass(frozen=True)
class KitView:
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


@dataclass(frozen=True)
class DeviceView:
    id: uuid.UUID
    unit_id: uuid.UUID
    kind: str
    serial: str
    holder_officer_id: uuid.UUID | None
    last_calibrated_on: date | None
    calibration_due_on: date | None
    calibrated: bool
    due_within: bool


def _stock(rows: list[KitItem]) -> list[rules.Stock]:
    return [rules.Stock(r.item, r.batch, r.quantity, r.expires_on) for r in rows]


def kit_view(kit: Kit, rows: list[KitItem], today: date, within: int) -> KitView:
    template = rules.templates().template(kit.template)
    status = rules.kit_status(template, _stock(rows), today, within=within)
    return KitView(
        kit.id,
        kit.unit_id,
        kit.template,
        kit.label,
        status.ready,
        status.complete,
        status.in_date,
        [vars_of(m) for m in status.missing],
        [vars_of(d) for d in status.expired],
        [vars_of(d) for d in status.expiring],
        [vars_of(s) for s in _stock(rows)],
    )


def vars_of(obj: object) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__slots__}  # type: ignore[attr-defined]


def device_view(device: Device, today: date, within: int) -> DeviceView:
    spec = rules.templates().device(device.kind)
    status = rules.device_status(spec, device.last_calibrated_on, today, within=within)
    return DeviceView(
        device.id,
        device.unit_id,
        device.kind,
        device.serial,
        device.holder_officer_id,
        device.last_calibrated_on,
        status.due_on,
        status.calibrated,
        status.due_within,
    )


def create_kit(ctx: Ctx, unit_id: uuid.UUID, *, label: str, template: str | None = None) -> KitView:
    """A new (empty) kit of a unit; the template defaults to the unit's type."""
    access.require(ctx, Action.KIT_CREATE)
    access.require_unit(ctx, unit_id, action="kit.create")
    unit = units_repo.get(ctx.session, unit_id)
    assert unit is not None
    name = template or unit.kind
    rules.templates().template(name)
    if repo.kit_by_label(ctx.session, unit_id, label) is not None:
        raise Conflict("this unit already has a kit with that label", code="kit_exists")
    kit = Kit(id=uuid.uuid4(), unit_id=unit_id, template=name, label=label, created_at=ctx.clock())
    repo.add(ctx.session, kit)
    audit.record(ctx, "kit.create", "selfcare_kit", resource_id=str(kit.id))
    return kit_view(kit, [], _today(ctx), 30)


def restock(ctx: Ctx, kit_id: uuid.UUID, items: list[dict[str, Any]]) -> KitView:
    """Set what a kit holds, per item and batch (quantity 0 takes a batch out)."""
    kit = _kit(ctx, kit_id, Action.KIT_RESTOCK)
    template = rules.templates().template(kit.template)
    stock = rules.check_stock(template, items)
    repo.set_stock(
        ctx.session,
        kit.id,
        [(s.item, s.batch, s.quantity, s.expires_on) for s in stock],
        ctx.clock(),
    )
    audit.record(
        ctx, "kit.restock", "selfcare_kit", resource_id=str(kit.id), detail=f"rows={len(stock)}"
    )
    rows = repo.items_of(ctx.session, [kit.id])[kit.id]
    return kit_view(kit, rows, _today(ctx), 30)


def _holder(ctx: Ctx, officer_id: uuid.UUID | None, unit_id: uuid.UUID) -> uuid.UUID | None:
    """A holder is a live officer of the device's unit subtree (not health data: just who)."""
    if officer_id is None:
        return None
    officer = officers_repo.get(ctx.session, officer_id)
    unit = units_repo.get(ctx.session, unit_id)
    officer_unit = units_repo.get(ctx.session, officer.unit_id) if officer else None
    if (
        officer is None
        or officer.erased_at is not None
        or unit is None
        or officer_unit is None
        or not officer_unit.path.startswith(unit.path)
    ):
        raise Invalid("holder_officer_id: no such officer in this unit", code="bad_holder")
    return officer.id


def register_device(
    ctx: Ctx,
    unit_id: uuid.UUID,
    *,
    kind: str,
    serial: str,
    holder_officer_id: uuid.UUID | None = None,
    last_calibrated_on: date | None = None,
) -> DeviceView:
    access.require(ctx, Action.DEVICE_CREATE)
    access.require_unit(ctx, unit_id, action="device.create")
    rules.templates().device(kind)
    if repo.device_by_serial(ctx.session, serial) is not None:
        raise Conflict("a device with this serial number is registered", code="device_exists")
    now = ctx.clock()
    device = Device(
        id=uuid.uuid4(),
        unit_id=unit_id,
        kind=kind,
        serial=serial,
        holder_officer_id=_holder(ctx, holder_officer_id, unit_id),
        last_calibrated_on=last_calibrated_on,
        created_at=now,
        updated_at=now,
    )
    repo.add(ctx.session, device)
    audit.record(ctx, "device.create", "selfcare_device", resource_id=str(device.id))
    return device_view(device, _today(ctx), 30)


def handover(ctx: Ctx, device_id: uuid.UUID, holder_officer_id: uuid.UUID | None) -> DeviceView:
    """Hand a device to another officer of the unit (or back to the unit: no holder)."""
    device = _device(ctx, device_id, Action.DEVICE_HANDOVER)
    device.holder_officer_id = _holder(ctx, holder_officer_id, device.unit_id)
    device.updated_at = ctx.clock()
    ctx.session.flush()
    audit.record(
        ctx,
        "device.handover",
        "selfcare_device",
        resource_id=str(device.id),
        detail=f"holder={device.holder_officer_id}",
    )
    return device_view(device, _today(ctx), 30)


def calibrate(ctx: Ctx, device_id: uuid.UUID, calibrated_on: date) -> DeviceView:
    device = _device(ctx, device_id, Action.DEVICE_CALIBRATE)
    if calibrated_on > _today(ctx):
        raise Invalid("calibrated_on lies in the future", code="date_in_future")
    device.last_calibrated_on = calibrated_on
    device.updated_at = ctx.clock()
    ctx.session.flush()
    audit.record(ctx, "device.calibrate", "selfcare_device", resource_id=str(device.id))
    return device_view(device, _today(ctx), 30)


@dataclass(frozen=True)
class Readiness:
    """A subtree's kits and devices on ``as_of``, problems first."""

    unit_id: uuid.UUID
    as_of: date
    within: int
    kits: list[KitView] = field(default_factory=list)
    devices: list[DeviceView] = field(default_factory=list)

    @property
    def kits_not_ready(self) -> int:
        return sum(not k.ready for k in self.kits)

    @property
    def devices_not_calibrated(self) -> int:
        return sum(not d.calibrated for d in self.devices)


def readiness(
    ctx: Ctx, unit_id: uuid.UUID, *, within: int = 30, as_of: date | None = None
) -> Readiness:
    """The readiness list: what is missing, expired or expiring within 30/60/90 days, and
    which devices are overdue or due for calibration, over the unit and every unit below."""
    access.require(ctx, Action.UNIT_READINESS)
    access.require_unit(ctx, unit_id, action="unit.readiness")
    rules.check_horizon(within)
    unit = units_repo.get(ctx.session, unit_id)
    assert unit is not None
    day = as_of or _today(ctx)
    kits = repo.kits_in(ctx.session, unit.path)
    stock = repo.items_of(ctx.session, [k.id for k, _ in kits])
    kit_views = [kit_view(k, stock[k.id], day, within) for k, _ in kits]
    device_views = [device_view(d, day, within) for d, _ in repo.devices_in(ctx.session, unit.path)]
    kit_views.sort(key=lambda k: (k.ready, not k.expiring))
    device_views.sort(key=lambda d: (d.calibrated, not d.due_within))
    audit.record(
        ctx,
        "unit.readiness",
        "unit",
        resource_id=str(unit_id),
        detail=f"kits={len(kit_views)};devices={len(device_views)}",
    )
    return Readiness(unit_id, day, within, kit_views, device_views)


def _managers(ctx: Ctx, unit_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """Each unit's managers: those assigned to it, else to the nearest unit above that has any."""
    paths = units_repo.paths(ctx.session)
    chains = {u: [uuid.UUID(p) for p in paths[u].strip("/").split("/")][::-1] for u in unit_ids}
    assigned = tasks_repo.managers_of(ctx.session, [a for c in chains.values() for a in c])
    return {
        u: next((assigned[a] for a in chain if assigned.get(a)), []) for u, chain in chains.items()
    }


def _outbox_row(message: Message, key: str, now: datetime) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "key": key,
        "recipient": message.recipient,
        "channel": "email",
        "subject": message.subject,
        "body": message.body,
        "created_at": now,
        "sent_at": None,
        "attempts": 0,
        "last_error": None,
    }


def remind(ctx: Ctx, *, mail: Mail, within: int = 30) -> int:
    """Queue reminders for every kit not ready or with stock expiring within ``within`` days
    (to the unit's managers) and every device due for calibration (to its holder and the
    managers). Unique per (problem digest, recipient): reruns queue nothing twice."""
    access.require(ctx, Action.SELFCARE_REMIND)
    rules.check_horizon(within)
    now, today = ctx.clock(), _today(ctx)
    deck = rules.templates()
    kits = repo.kits_in(ctx.session, "")
    devices = repo.devices_in(ctx.session, "")
    managers = _managers(ctx, list({k.unit_id for k, _ in kits} | {d.unit_id for d, _ in devices}))
    holders = tasks_repo.officer_accounts(
        ctx.session, [d.holder_officer_id for d, _ in devices if d.holder_officer_id]
    )
    stock = repo.items_of(ctx.session, [k.id for k, _ in kits])
    rows = []
    for kit, _ in kits:
        template = deck.template(kit.template)
        status = rules.kit_status(template, _stock(stock[kit.id]), today, within=within)
        if status.ready and not status.expiring:
            continue
        key = notices.kit_key(kit.id, status)
        link = f"{mail.site_url.rstrip('/')}/units/{kit.unit_id}/readiness"
        for user in managers.get(kit.unit_id, []):
            message = notices.kit_message(
                mail.address(user), kit.label, template, status, key, link
            )
            rows.append(_outbox_row(message, key, now))
    for device, _ in devices:
        spec = deck.device(device.kind)
        status_d = rules.device_status(spec, device.last_calibrated_on, today, within=within)
        if not status_d.due_within:
            continue
        key = notices.device_key(device.id, status_d.due_on, not status_d.calibrated)
        link = f"{mail.site_url.rstrip('/')}/units/{device.unit_id}/readiness"
        users = list(managers.get(device.unit_id, []))
        if device.holder_officer_id in holders:
            users.append(holders[device.holder_officer_id])
        for user in dict.fromkeys(users):
            message = notices.device_message(
                mail.address(user), device.serial, spec, status_d.due_on, key, link
            )
            rows.append(_outbox_row(message, key, now))
    added = outbox_repo.enqueue(ctx.session, rows)
    audit.record(ctx, "selfcare.remind", "outbox", detail=f"queued={added}")
    return added


def template_data(ctx: Ctx) -> dict[str, Any]:
    """The kit templates and device calibration intervals as data (medics and managers)."""
    access.require(ctx, Action.KIT_TEMPLATES)
    return rules.templates().model_dump(mode="json")
