"""Training attendance import on both databases, following the checkup import's conventions:
a preview stores nothing and names row, field, value and reason; ``all`` stores nothing when a
row is wrong, ``valid`` stores the good rows; the same file again stores nothing twice. Then who
is untrained or expiring by unit, and the recall lists training due."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from health.services import selfcare_training, unit_reports
from health.services.context import MANAGER, MEDIC, Actor, Ctx
from models.tables import Unit
from models.tables_selfcare import Training

from factories import make_officer, make_unit

NOW = datetime(2026, 9, 15, 12, 0, tzinfo=UTC)


@dataclass
class Station:
    unit: Unit
    ids: dict[str, uuid.UUID]
    badges: dict[str, str]
    medic: Ctx


@pytest.fixture
def station(ctx: Ctx) -> Station:
    bureau = make_unit(ctx, kind="bureau")
    unit = make_unit(ctx, parent=bureau)
    elsewhere = make_unit(ctx)
    badges = {name: f"TR{name}{uuid.uuid4().hex[:6]}" for name in ("ann", "bob", "cy")}
    ids = {name: make_officer(ctx, unit=unit, badge_number=b).id for name, b in badges.items()}
    make_officer(ctx, unit=elsewhere, badge_number="TRSTRANGER")
    selfcare_training.create_course(
        ctx, code="cpr", name_zh="心肺复苏与AED", name_en="CPR and AED", validity_months=24
    )
    selfcare_training.create_course(
        ctx, code="aid", name_zh="急救", name_en="First aid", validity_months=36
    )
    medic = Actor(id="medic", role=MEDIC, unit_paths=(bureau.path,))
    return Station(unit, ids, badges, Ctx(ctx.session, ctx.vault, medic, clock=lambda: NOW))


def _csv(station: Station, *, broken: bool) -> bytes:
    ann, bob = station.badges["ann"], station.badges["bob"]
    lines = [
        "警号,课程,培训日期,证书编号",
        f"{ann},cpr,2024-10-01,C-1",
        f"{ann},aid,2026-03-01,A-1",
        f"{bob},cpr,2026-02-10,C-2",
    ]
    if broken:
        lines += [
            f"{bob},aid,2026-13-40,",
            "TRSTRANGER,cpr,2026-01-01,",
            f"{bob},juggling,2026-01-01,",
            f"{ann},cpr,2024-10-01,C-1",
        ]
    return ("\n".join(lines) + "\n").encode()


def _stored(ctx: Ctx) -> int:
    return int(ctx.session.scalar(select(func.count()).select_from(Training)) or 0)


def test_preview_names_row_field_value_and_reason_and_stores_nothing(
    station: Station,
) -> None:
    medic = station.medic
    report = selfcare_training.import_attendance(
        medic, _csv(station, broken=True), "t.csv", dry_run=True
    )
    assert (report.status, report.rows_read, report.valid, report.stored) == ("preview", 7, 3, 0)
    assert [(e.row, e.field, e.value, str(e.reason_code)) for e in report.errors] == [
        (5, "attended_on", "2026-13-40", "malformed_date"),
        (6, "badge_number", "TRSTRANGER", "missing_officer"),
        (7, "course", "juggling", "malformed_value"),
        (8, "badge_number", station.badges["ann"], "duplicate_in_file"),
    ]
    assert all("TR" not in e.reason for e in report.errors)
    assert _stored(medic) == 0


def test_mode_all_refuses_the_file_and_mode_valid_stores_the_good_rows_once(
    station: Station,
) -> None:
    medic = station.medic
    data = _csv(station, broken=True)
    refused = selfcare_training.import_attendance(medic, data, "t.csv")
    assert (refused.status, refused.stored, refused.rejected) == ("refused", 0, 7)
    assert _stored(medic) == 0
    stored = selfcare_training.import_attendance(medic, data, "t.csv", mode="valid")
    assert (stored.stored, stored.rejected, stored.duplicates) == (3, 4, 0)
    again = selfcare_training.import_attendance(medic, data, "t.csv", mode="valid")
    assert (again.stored, again.duplicates) == (0, 3)
    assert _stored(medic) == 3
    clean = selfcare_training.import_attendance(medic, _csv(station, broken=False), "t.csv")
    assert (clean.status, clean.stored, clean.duplicates) == ("stored", 0, 3)


def test_untrained_and_expiring_by_unit_and_the_recall_lists_training_due(
    station: Station,
) -> None:
    medic = station.medic
    selfcare_training.import_attendance(medic, _csv(station, broken=False), "t.csv")
    people, unit = station.ids, station.unit
    [found] = selfcare_training.by_unit(medic, unit.id, as_of=date(2026, 9, 15), within=90)
    by_course = {c.course: c for c in found.courses}
    # ann's CPR certificate of 2024-10-01 runs to 2026-10-01: expiring within 90 days.
    assert by_course["cpr"].expiring == [people["ann"]]
    assert by_course["cpr"].current == 1  # bob, trained 2026-02-10
    assert by_course["cpr"].untrained == [people["cy"]]
    assert sorted(by_course["aid"].untrained, key=str) == sorted(
        [people["bob"], people["cy"]], key=str
    )
    manager = Ctx(
        medic.session,
        medic.vault,
        Actor(id="m", role=MANAGER, unit_paths=medic.actor.unit_paths),
        clock=lambda: NOW,
    )
    [recall] = unit_reports.recall(manager, unit.id, 2026, date(2026, 9, 15))
    assert set(recall.training_due) == {people["ann"], people["bob"], people["cy"]}
    # A year on with a renewed CPR and a first-aid course, ann is no longer due.
    renewal = f"badge_number,course,attended_on\n{station.badges['ann']},cpr,2026-09-01\n".encode()
    selfcare_training.import_attendance(medic, renewal, "renewal.csv")
    [recall] = unit_reports.recall(manager, unit.id, 2026, date(2026, 9, 15))
    assert people["ann"] not in recall.training_due
