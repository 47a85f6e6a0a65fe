"""Queries on first-aid kits, their stock and measuring devices (inventory, in clear)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models.tables import Unit
from models.tables_selfcare import Device, Kit, KitItem


def add(session: Session, row: Kit | KitItem | Device) -> None:
    session.add(row)
    session.flush()


def kit(session: Session, kit_id: uuid.UUID) -> Kit | None:
    return session.get(Kit, kit_id)


def device(session: Session, device_id: uuid.UUID) -> Device | None:
    return session.get(Device, device_id)


def device_by_serial(session: Session, serial: str) -> Device | None:
    return session.scalars(select(Device).where(Device.serial == serial)).first()


def kit_by_label(session: Session, unit_id: uuid.UUID, label: str) -> Kit | None:
    query = select(Kit).where(Kit.unit_id == unit_id, Kit.label == label)
    return session.scalars(query).first()


def items_of(session: Session, kit_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[KitItem]]:
    found: dict[uuid.UUID, list[KitItem]] = {k: [] for k in kit_ids}
    for start in range(0, len(kit_ids), 1000):
        query = (
            select(KitItem)
            .where(KitItem.kit_id.in_(list(kit_ids[start : start + 1000])))
            .order_by(KitItem.item, KitItem.batch)
        )
        for row in session.scalars(query):
            found[row.kit_id].append(row)
    return found


def set_stock(
    session: Session, kit_id: uuid.UUID, rows: Sequence[tuple[str, str, int, object]], now: datetime
) -> None:
    """Set each (item, batch) to the given quantity; zero removes the row."""
    for item, batch, quantity, expires_on in rows:
        existing = session.scalars(
            select(KitItem).where(
                KitItem.kit_id == kit_id, KitItem.item == item, KitItem.batch == batch
            )
        ).first()
        if quantity == 0:
            if existing is not None:
                session.execute(delete(KitItem).where(KitItem.id == existing.id))
            continue
        if existing is None:
            session.add(
                KitItem(
                    id=uuid.uuid4(),
                    kit_id=kit_id,
                    item=item,
                    batch=batch,
                    quantity=quantity,
                    expires_on=expires_on,
                    updated_at=now,
                )
            )
        else:
            existing.quantity, existing.expires_on, existing.updated_at = quantity, expires_on, now  # type: ignore[assignment]
    session.flush()


def kits_in(session: Session, unit_path: str) -> list[tuple[Kit, str]]:
    """Kits of a subtree (or the whole force with path ""), with their unit's path."""
    query = (
        select(Kit, Unit.path)
        .join(Unit, Unit.id == Kit.unit_id)
        .where(Unit.path.startswith(unit_path, autoescape=True))
        .order_by(Unit.path, Kit.label)
    )
    return [(row[0], row[1]) for row in session.execute(query)]


def devices_in(session: Session, unit_path: str) -> list[tuple[Device, str]]:
    query = (
        select(Device, Unit.path)
        .join(Unit, Unit.id == Device.unit_id)
        .where(Unit.path.startswith(unit_path, autoescape=True))
        .order_by(Unit.path, Device.kind, Device.serial)
    )
    return [(row[0], row[1]) for row in session.execute(query)]
