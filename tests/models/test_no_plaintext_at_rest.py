"""A stolen database file or dump reveals none of the identifiers or values that were stored."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from databases import Opened
from sqlalchemy.engine import make_url

from health.crypto import FileKeyProvider
from health.services import selfcare_programmes, selfcare_readings
from health.services.context import SYSTEM, Ctx
from health.services.vault import unlock

from factories import make_checkup, make_officer, make_unit

PEOPLE = [
    {
        "name": "欧阳明哲",
        "badge_number": "JX4417023",
        "national_id": "360102198207154419",
        "birth_date": date(1982, 7, 15),
        "values": {"glu": 13.579, "hb": 187.25, "ua": 611.37},
    },
    {
        "name": "Marguerite Lindqvist",
        "badge_number": "KQ8830561",
        "national_id": "440305199011236628",
        "birth_date": date(1990, 11, 23),
        "values": {"glu": 9.8765, "hb": 98.125, "ua": 703.91},
    },
]


# Self-care health data (issue 15): an officer's own readings, programme goals and contact notes.
SELFCARE_READINGS = {"sbp": 167.43, "dbp": 101.29, "glu": 14.837, "spo2": 91.62}
PROGRAMME_GOAL = 83.179
CONTACT_NOTE = "discussed the night-shift snacking, agreed Zeitplan 7731"
CONTACT_WEIGHT = 96.413


def _needles() -> list[bytes]:
    needles: list[bytes] = [repr(v).encode() for v in SELFCARE_READINGS.values()]
    needles += [repr(PROGRAMME_GOAL).encode(), repr(CONTACT_WEIGHT).encode()]
    needles += [CONTACT_NOTE.encode("utf-8"), CONTACT_NOTE.encode("utf-16-le")]
    for person in PEOPLE:
        for field in ("name", "badge_number", "national_id"):
            text = str(person[field])
            needles += [text.encode("utf-8"), text.encode("utf-16-le")]
        needles.append(person["birth_date"].isoformat().encode())  # type: ignore[attr-defined]
        needles += [repr(v).encode() for v in person["values"].values()]  # type: ignore[attr-defined]
    return needles


def _store(opened: Opened, url: str, keyring: Path) -> None:
    with opened.sessions(url).begin() as session:
        ctx = Ctx(session, unlock(session, FileKeyProvider(keyring), create=True), SYSTEM)
        unit = make_unit(ctx)
        for person in PEOPLE:
            new = make_officer(
                ctx,
                unit=unit,
                name=person["name"],
                badge_number=person["badge_number"],
                national_id=person["national_id"],
                birth_date=person["birth_date"],
            )
            make_checkup(ctx, new.id, **person["values"])  # type: ignore[arg-type]
        _store_selfcare(ctx, new.id)


def _store_selfcare(ctx: Ctx, officer_id: uuid.UUID) -> None:
    """Readings, a programme's goal and a contact's note and measurement, all to be sealed."""
    taken = datetime(2026, 6, 1, 7, 30, tzinfo=UTC)
    r = SELFCARE_READINGS
    for kind, values, context in (
        ("home_bp", {"sbp": r["sbp"], "dbp": r["dbp"]}, None),
        ("glucose", {"glu": r["glu"]}, "fasting"),
        ("spo2", {"spo2": r["spo2"]}, None),
    ):
        selfcare_readings.record(
            ctx, officer_id, kind=kind, values=values, taken_at=taken, context=context
        )
    programme = selfcare_programmes.enrol(
        ctx,
        officer_id,
        kind="weight",
        goals=[{"measure": "weight", "target": PROGRAMME_GOAL, "direction": "at_most"}],
        enrolled_on=date(2026, 6, 2),
        planned_contacts=[date(2026, 7, 2)],
    )
    selfcare_programmes.add_contact(
        ctx,
        programme.id,
        contact_on=date(2026, 7, 2),
        notes=CONTACT_NOTE,
        measurements={"weight": CONTACT_WEIGHT},
    )


def _raw_bytes(url: str, backend: str, opened: Opened) -> bytes:
    for engine in opened.engines:
        engine.dispose()
    if backend == "sqlite":
        path = Path(make_url(url).database or "")
        files = [path, path.with_name(path.name + "-wal")]
        return b"".join(p.read_bytes() for p in files if p.exists())
    parsed = make_url(url)
    dump = subprocess.run(
        [
            "pg_dump",
            "-h",
            parsed.host or "127.0.0.1",
            "-p",
            str(parsed.port or 5432),
            "-U",
            parsed.username or "postgres",
            "--data-only",
            "--inserts",
            parsed.database or "",
        ],
        check=True,
        capture_output=True,
    )
    return dump.stdout


def test_raw_database_holds_no_stored_plaintext(
    backend: str, fresh_url: Callable[[], str], tmp_path: Path, opened: Opened
) -> None:
    url = fresh_url()
    _store(opened, url, tmp_path / "k.json")
    raw = _raw_bytes(url, backend, opened)
    assert len(raw) > 1000, "the scan must see the stored rows"
    found = [needle for needle in _needles() if needle in raw]
    assert found == []


def test_scan_would_see_plaintext_if_it_were_there(
    backend: str, fresh_url: Callable[[], str], tmp_path: Path, opened: Opened
) -> None:
    """Guards the scan itself: unit names are stored in clear and must be found."""
    url = fresh_url()
    with opened.sessions(url).begin() as session:
        ctx = Ctx(
            session, unlock(session, FileKeyProvider(tmp_path / "k.json"), create=True), SYSTEM
        )
        make_unit(ctx, name="Clearly Visible Station 4711")
    assert b"Clearly Visible Station 4711" in _raw_bytes(url, backend, opened)
