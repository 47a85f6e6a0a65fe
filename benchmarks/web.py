"""Issue 13: the officer's record page (charts, 10 years of checkups) and the unit manager's
worklist page, rendered server-side, against the JSON routes for the same data in the same run.

The force is the worklist benchmark's (N officers, 2N tasks, PostgreSQL, loaded with COPY); one
officer of a station in the measured bureau is real (registered, key, 10 yearly checkups stored
and screened through the services). Requests go through the whole app in process (cookie or
bearer authentication, services, audit, commit, rendering), so the figure is server time
without a network. Target: p99 ≤ 100 ms for each page.
"""

from __future__ import annotations

import random
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.app import create_app
from api.runtime import start
from api.web.record_view import TREND_CODES
from benchmarks.common import scratch_database
from benchmarks.worklist import build
from health.services import accounts, checkups, officers
from health.services.context import SYSTEM, Ctx
from health.settings import Settings
from models.tables import Unit

PASSWORD = "benchmark password 1"
# The same data as the record page, from the JSON API: record, the charted series, the tasks.
JSON_RECORD = (
    "/api/v1/me/record",
    f"/api/v1/me/trends?analytes={','.join(TREND_CODES)}",
    "/api/v1/me/tasks",
)
YEARS = 10


def _results(rng: random.Random, year: int) -> dict[str, float]:
    """A plausible yearly checkup drifting with age (values in canonical units)."""
    drift = year - 2016
    return {
        "height": 175,
        "weight": round(78 + drift * 0.6 + rng.gauss(0, 1), 1),
        "waist": round(88 + drift * 0.5 + rng.gauss(0, 1), 1),
        "sbp": round(124 + drift * 1.8 + rng.gauss(0, 4)),
        "dbp": round(80 + drift * 0.9 + rng.gauss(0, 3)),
        "glu": round(5.2 + drift * 0.08 + rng.gauss(0, 0.2), 2),
        "hba1c": round(5.4 + drift * 0.05 + rng.gauss(0, 0.1), 1),
        "tc": round(4.8 + drift * 0.06 + rng.gauss(0, 0.2), 2),
        "tg": round(1.4 + drift * 0.05 + rng.gauss(0, 0.2), 2),
        "hdl": round(1.2 + rng.gauss(0, 0.05), 2),
        "ldl": round(2.9 + drift * 0.05 + rng.gauss(0, 0.2), 2),
        "ua": round(380 + drift * 6 + rng.gauss(0, 15)),
        "creat": round(80 + drift + rng.gauss(0, 4)),
        "alt": round(28 + drift + rng.gauss(0, 4)),
        "ast": round(24 + rng.gauss(0, 3)),
        "ggt": round(30 + drift + rng.gauss(0, 5)),
    }


def _time(call: Callable[[], Any], repetitions: int) -> dict[str, float]:
    call()
    samples = []
    for _ in range(repetitions):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "p50_ms": statistics.median(samples),
        "p99_ms": samples[min(len(samples) - 1, int(len(samples) * 0.99))],
        "n": len(samples),
    }


def _web_client(app: Any, username: str) -> TestClient:
    client = TestClient(app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token is not None
    signed = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert signed.status_code == 303, signed.text
    return client


def _bearer(client: TestClient, username: str) -> dict[str, str]:
    answer = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def run(n: int, repetitions: int = 200) -> dict[str, Any]:
    rng = random.Random(13)
    with scratch_database("postgresql") as url, tempfile.TemporaryDirectory() as var:
        settings = Settings(
            var_dir=Path(var),
            database_url=url,
            password_profile="fast-insecure",  # noqa: S106 - a profile name
            access_token_minutes=120,
        )
        rt = start(settings)
        started = time.perf_counter()
        force = build(rt.engine, n, rng, rt.vault)
        load_s = time.perf_counter() - started
        with rt.sessions.begin() as session:
            ctx = Ctx(session, rt.vault, SYSTEM)
            station = next(
                u
                for u in _units(session)
                if u.path.startswith(force.bureau.path) and u.kind == "station"
            )
            officer = officers.register(
                ctx,
                officers.OfficerIn(station.id, "BENCH0001", "Bench Officer", date(1980, 5, 6), "M"),
            )
            for year in range(2026 - YEARS, 2026):
                checkups.submit(ctx, officer.id, date(year, 4, 10), _results(rng, year))
            accounts.create_user(
                ctx, rt.auth, username="bench-officer", role="officer", password=PASSWORD,
                officer_id=officer.id,
            )  # fmt: skip
            accounts.create_user(
                ctx, rt.auth, username="bench-manager", role="unit_manager", password=PASSWORD,
                unit_ids=[force.bureau.id],
            )  # fmt: skip
        app = create_app(settings, rt)
        with TestClient(app) as api:
            officer_page = _web_client(app, "bench-officer")
            manager_page = _web_client(app, "bench-manager")
            officer_api = _bearer(api, "bench-officer")
            manager_api = _bearer(api, "bench-manager")
            record = officer_page.get("/me")
            assert record.status_code == 200 and record.text.count("<svg") >= 8, record.text[:500]

            def record_json() -> None:
                for path in JSON_RECORD:
                    assert api.get(path, headers=officer_api).status_code == 200

            def record_page() -> None:
                assert officer_page.get("/me").status_code == 200

            def worklist_json() -> None:
                answer = api.get("/api/v1/tasks?overdue=true&page_size=50", headers=manager_api)
                assert answer.status_code == 200

            def worklist_page() -> None:
                assert manager_page.get("/tasks?overdue=1").status_code == 200

            results = {
                "load_s": load_s,
                "officers": force.officers,
                "tasks": force.tasks,
                "checkups": YEARS,
                "charts": record.text.count("<svg"),
                "record_json": _time(record_json, repetitions),
                "record_page": _time(record_page, repetitions),
                "worklist_json": _time(worklist_json, repetitions),
                "worklist_page": _time(worklist_page, repetitions),
            }
        rt.engine.dispose()
    return results


def _units(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit)))
