"""A stolen database file or dump reveals none of the identifiers or values that were stored."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

from databases import Opened
from sqlalchemy.engine import make_url

from health.crypto import FileKeyProvider
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


def _needles() -> list[bytes]:
    needles: list[bytes] = []
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
