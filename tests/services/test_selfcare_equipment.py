"""Kits and devices on both databases: an expired medicine, a missing item and a device overdue
for calibration appear on the unit's readiness list, and the reminders reach the unit's manager
and the device's holder through a real SMTP server exactly once, however often the job reruns."""

from __future__ import annotations

import email
import email.policy
import mailbox
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from databases import Opened
from sqlalchemy.orm import Session, sessionmaker

from health.crypto import FileKeyProvider
from health.errors import Invalid, NotFound
from health.followup.notify import SmtpNotifier
from health.selfcare.equipment import templates
from health.services import accounts, followup_jobs, selfcare_equipment
from health.services.context import MANAGER, SYSTEM, Actor, Ctx
from health.services.followup_jobs import Mail
from health.services.vault import Vault, unlock
from models.tables import Unit

from factories import fast_policy, make_officer, make_unit

SINK = Path(__file__).parents[1] / "health" / "followup" / "smtp_sink.py"
MAIL = Mail(domain="force.test", site_url="https://health.force.test")
NOW = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)


def _full_station_kit() -> list[dict[str, object]]:
    """Everything the station template asks for, in date, in one batch per item."""
    rows: list[dict[str, object]] = []
    for item in templates().template("station").items:
        row: dict[str, object] = {"item": item.code, "quantity": item.quantity}
        if item.expires:
            row |= {"batch": "B2027", "expires_on": date(2027, 12, 31)}
        rows.append(row)
    return rows


@dataclass
class Station:
    sessions: sessionmaker[Session]
    vault: Vault
    unit: Unit
    kit_id: object
    device_id: object

    def ctx(self, session: Session) -> Ctx:
        return Ctx(session, self.vault, SYSTEM, clock=lambda: NOW)


@pytest.fixture
def station(fresh_url: Callable[[], str], opened: Opened, keyring_file: Path) -> Station:
    """A station kit with an expired aspirin batch and no glucose tablets; a BP monitor held by an
    officer, last calibrated 13 months ago."""
    sessions = opened.sessions(fresh_url())
    with sessions.begin() as session:
        vault = unlock(session, FileKeyProvider(keyring_file), create=False)
        ctx = Ctx(session, vault, SYSTEM, clock=lambda: NOW)
        force = make_unit(ctx)
        unit = make_unit(ctx, parent=force)
        holder = make_officer(ctx, unit=unit)
        policy = fast_policy(vault)
        accounts.create_user(
            ctx,
            policy,
            username="mgr",
            role="unit_manager",
            password="a long enough password",
            unit_ids=[unit.id],
        )
        accounts.create_user(
            ctx,
            policy,
            username="holder",
            role="officer",
            password="a long enough password",
            officer_id=holder.id,
        )
        kit = selfcare_equipment.create_kit(ctx, unit.id, label="Front desk")
        rows = [r for r in _full_station_kit() if r["item"] != "glucose_tablets"]
        rows.append(
            {
                "item": "aspirin_100mg",
                "quantity": 1,
                "batch": "OLD1",
                "expires_on": date(2026, 5, 31),
            }
        )
        selfcare_equipment.restock(ctx, kit.id, rows)
        device = selfcare_equipment.register_device(
            ctx,
            unit.id,
            kind="bp_monitor",
            serial="BPM-0042",
            holder_officer_id=holder.id,
            last_calibrated_on=date(2025, 5, 14),
        )
    return Station(sessions, vault, unit, kit.id, device.id)


def test_expired_medicine_missing_item_and_overdue_device_are_on_the_readiness_list(
    station: Station,
) -> None:
    with station.sessions.begin() as session:
        manager = Actor(id="mgr", role=MANAGER, unit_paths=(station.unit.path,))
        found = selfcare_equipment.readiness(
            Ctx(session, station.vault, manager, clock=lambda: NOW), station.unit.id
        )
    [kit] = found.kits
    assert (kit.ready, kit.complete, kit.in_date) == (False, False, False)
    assert [(m["item"], m["usable"], m["needed"]) for m in kit.missing] == [
        ("glucose_tablets", 0, 2)
    ]
    assert [(e["item"], e["batch"]) for e in kit.expired] == [("aspirin_100mg", "OLD1")]
    [device] = found.devices
    assert (device.calibrated, device.calibration_due_on) == (False, date(2026, 5, 14))
    assert (found.kits_not_ready, found.devices_not_calibrated) == (1, 1)


def test_stock_expiring_within_the_horizon_is_listed_by_30_60_90_days(station: Station) -> None:
    with station.sessions.begin() as session:
        ctx = station.ctx(session)
        selfcare_equipment.restock(
            ctx,
            station.kit_id,  # type: ignore[arg-type]
            [
                {
                    "item": "sterile_gauze",
                    "quantity": 10,
                    "batch": "B2027",
                    "expires_on": date(2026, 8, 1),
                }
            ],
        )
        expiring = {
            days: [
                e["item"]
                for e in selfcare_equipment.readiness(ctx, station.unit.id, within=days)
                .kits[0]
                .expiring
            ]
            for days in (30, 60, 90)
        }
        with pytest.raises(Invalid):
            selfcare_equipment.readiness(ctx, station.unit.id, within=45)
    assert expiring == {30: [], 60: ["sterile_gauze"], 90: ["sterile_gauze"]}


def test_a_manager_of_another_unit_sees_no_kit(station: Station) -> None:
    with station.sessions.begin() as session:
        outsider = Actor(id="x", role=MANAGER, unit_paths=("/elsewhere/",))
        ctx = Ctx(session, station.vault, outsider, clock=lambda: NOW)
        with pytest.raises(NotFound):
            selfcare_equipment.restock(ctx, station.kit_id, [])  # type: ignore[arg-type]


def _start_sink(workdir: Path) -> Iterator[tuple[int, Path]]:
    workdir.mkdir(parents=True, exist_ok=True)
    maildir, portfile = workdir / "mail", workdir / "port"
    with subprocess.Popen(
        [sys.executable, str(SINK), str(maildir), str(portfile)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ) as process:
        try:
            deadline = time.monotonic() + 20
            while not portfile.exists():
                assert process.poll() is None and time.monotonic() < deadline, "no SMTP sink"
                time.sleep(0.02)
            yield int(portfile.read_text()), maildir
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    yield from _start_sink(tmp_path / "sink")


def _remind(station: Station) -> int:
    with station.sessions.begin() as session:
        return selfcare_equipment.remind(station.ctx(session), mail=MAIL)


@pytest.mark.slow
def test_reminders_reach_manager_and_holder_once_through_a_real_smtp_server_despite_reruns(
    station: Station, sink: tuple[int, Path]
) -> None:
    port, maildir = sink
    notifier = SmtpNotifier("127.0.0.1", port, "health@force.test")
    assert _remind(station) == 3  # kit -> manager; device -> manager and holder
    assert _remind(station) == 0
    report = followup_jobs.deliver(station.sessions, station.vault, SYSTEM, notifier)
    assert (report.sent, report.failed) == (3, 0)
    assert _remind(station) == 0
    assert followup_jobs.deliver(station.sessions, station.vault, SYSTEM, notifier).sent == 0
    box = mailbox.Maildir(maildir, create=False)
    received = [
        email.message_from_bytes(box.get_bytes(k), policy=email.policy.default)
        for k in box.iterkeys()
    ]
    got = sorted((str(m["To"]), str(m["Subject"]).split(" / ")[1]) for m in received)
    assert got == [
        ("holder@force.test", "Device due for calibration"),
        ("mgr@force.test", "Device due for calibration"),
        ("mgr@force.test", "First-aid kit needs attention"),
    ]
    kit_mail = next(m for m in received if "kit" in str(m["Subject"]))
    body = kit_mail.get_body().get_content()  # type: ignore[union-attr]
    assert "Glucose tablets" in body and "OLD1" in body and "2026-05-31" in body
    assert f"/units/{station.unit.id}/readiness" in body

    # A new problem (the gauze now expiring) is a new notice; the old ones are not repeated.
    with station.sessions.begin() as session:
        selfcare_equipment.restock(
            station.ctx(session),
            station.kit_id,  # type: ignore[arg-type]
            [
                {
                    "item": "sterile_gauze",
                    "quantity": 10,
                    "batch": "B2027",
                    "expires_on": date(2026, 7, 1),
                }
            ],
        )
    assert _remind(station) == 1
