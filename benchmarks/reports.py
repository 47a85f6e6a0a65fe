"""Issue 16: the force health analysis over N officers × 5 years (open rows → derived values →
conditions → prevalence by unit/scope/sex/age band with intervals and suppression), against a
bare pandas pass over the same opened values (thresholds and a groupby mean, nothing else).
Target: the analysis under 30 s at 100k × 5. And one officer's annual report PDF (five
checkups, every record section, trend charts) against WeasyPrint laying out a one-line page in
the same run. Target: under 1 s."""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from health.reports.prevalence import prevalence
from health.services.analysis import NUMERIC_MEASURES, people_frame

YEARS = 5


def _units(bureaus: int = 10, stations: int = 10) -> pd.DataFrame:
    ids, parents, paths = ["force"], [None], ["force/"]
    for b in range(bureaus):
        bureau = f"b{b}"
        ids.append(bureau)
        parents.append("force")
        paths.append(f"force/{bureau}/")
        for s in range(stations):
            ids.append(f"{bureau}s{s}")
            parents.append(bureau)
            paths.append(f"force/{bureau}/{bureau}s{s}/")
    return pd.DataFrame({"id": ids, "parent_id": parents, "path": paths})


def _opened(n: int, stations: list[str], seed: int) -> dict[str, Any]:
    """What the service hands on after opening: one column per field, a row per checkup."""
    rng = np.random.default_rng(seed)
    shapes = {
        "sbp": (128, 16),
        "dbp": (80, 11),
        "glu": (5.5, 0.9),
        "hba1c": (5.6, 0.6),
        "tc": (4.9, 0.9),
        "ldl": (2.9, 0.8),
        "hdl": (1.3, 0.3),
        "tg": (1.6, 1.0),
        "ua": (360, 85),
        "weight": (72, 12),
        "height": (170, 7),
        "creat": (78, 15),
    }
    cols: dict[str, Any] = {
        code: np.abs(rng.normal(m, s, n)).round(2) for code, (m, s) in shapes.items()
    }
    cols["u_pro"] = np.clip(np.round(np.abs(rng.normal(0.2, 0.6, n))), 0, 5)
    units = rng.choice(np.array(stations, dtype=object), n)
    sexes = rng.choice(np.array(["M", "F"], dtype=object), n, p=[0.8, 0.2])
    ages = rng.integers(20, 60, n)
    ecg = rng.choice(np.array(["normal"] * 10 + ["pvc", "st_t_change"], dtype=object), n)
    us = rng.choice(np.array(["normal"] * 4 + ["fatty_liver_mild", "gallstone"], dtype=object), n)
    columns: dict[str, Any] = {"unit_id": list(units), "sex": list(sexes), "age": list(ages)}
    for code in NUMERIC_MEASURES:
        columns[code] = cols[code] if code in cols else np.full(n, np.nan)
    columns["ecg"] = [[code] for code in ecg]
    columns["us_abd"] = [[code] for code in us]
    return columns


def _bare(columns: dict[str, Any]) -> pd.DataFrame:
    """The floor: the same values as a frame, the thresholds, a mean per unit and sex."""
    frame = pd.DataFrame(columns)
    bmi = frame["weight"] / (frame["height"] / 100) ** 2
    flags = pd.DataFrame(
        {
            "unit_id": frame["unit_id"],
            "sex": frame["sex"],
            "hypertension": (frame["sbp"] >= 140) | (frame["dbp"] >= 90),
            "diabetes": (frame["glu"] >= 7.0) | (frame["hba1c"] >= 6.5),
            "dyslipidaemia": (frame["tc"] >= 6.2)
            | (frame["ldl"] >= 4.1)
            | (frame["tg"] >= 2.3)
            | (frame["hdl"] < 1.0),
            "hyperuricaemia": frame["ua"] > 420,
            "overweight": bmi >= 24,
        }
    )
    return flags.groupby(["unit_id", "sex"]).mean()


def run_analysis(n: int) -> dict[str, float]:
    units = _units()
    stations = [u for u in units["id"] if "s" in u[1:]]
    years = [_opened(n, stations, seed) for seed in range(YEARS)]
    start = time.perf_counter()
    for rows in years:
        _bare(rows)
    bare = time.perf_counter() - start
    start = time.perf_counter()
    cells = 0
    for rows in years:
        cells += len(prevalence(units, people_frame(rows)))
    full = time.perf_counter() - start
    return {"bare_s": bare, "analysis_s": full, "ratio": full / bare, "cells": cells}


def run_pdf(reps: int = 5) -> dict[str, float]:
    """One officer with five yearly checkups on a scratch SQLite database, rendered ``reps``
    times after one warm-up (fonts loaded), median seconds."""
    from weasyprint import HTML

    from api.reports.officer_pdf import report_pdf
    from api.runtime import start as start_runtime
    from benchmarks.common import scratch_database
    from health.services import annual_report, checkups, officers, units
    from health.services.context import SYSTEM, Actor, Ctx
    from health.settings import Settings

    with scratch_database("sqlite") as url, tempfile.TemporaryDirectory() as var:
        rt = start_runtime(
            Settings(var_dir=var, database_url=url, password_profile="fast-insecure")  # noqa: S106
        )
        with rt.sessions.begin() as session:
            ctx = Ctx(session, rt.vault, SYSTEM)
            unit = units.create(ctx, code="S", name="Station", kind="station", parent_id=None)
            new = officers.register(
                ctx, officers.OfficerIn(unit.id, "BENCH01", "王伟", date(1980, 1, 1), "M")
            )
            for year in range(2022, 2027):
                checkups.submit(
                    ctx,
                    new.id,
                    date(year, 4, 1),
                    {
                        "sbp": 120 + 5 * (year - 2022),
                        "dbp": 82,
                        "glu": 5.1 + 0.3 * (year - 2022),
                        "weight": 80,
                        "height": 175,
                        "tc": 5.8,
                        "ldl": 3.6,
                        "hdl": 1.1,
                        "tg": 2.1,
                        "ua": 430,
                        "creat": 85,
                        "alt": 45,
                        "hba1c": 5.9,
                        "waist": 92,
                    },
                )
        me = Actor(id="bench", role="officer", officer_id=new.id)
        times = []
        for i in range(reps + 1):
            with rt.sessions.begin() as session:
                started = time.perf_counter()
                pdf = report_pdf(
                    annual_report.annual_report(Ctx(session, rt.vault, me), new.id, "zh")
                )
                if i:
                    times.append(time.perf_counter() - started)
        base = []
        for _ in range(reps):
            started = time.perf_counter()
            HTML(string="<p>体检报告 report</p>").write_pdf()
            base.append(time.perf_counter() - started)
        rt.engine.dispose()
    median, floor = statistics.median(times), statistics.median(base)
    return {"pdf_s": median, "bare_s": floor, "ratio": median / floor, "bytes": float(len(pdf))}
