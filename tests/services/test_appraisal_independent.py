"""Every appraisal indicator, score and rank on a real database, recomputed independently with
plain pandas from the raw rows (the officers' results as submitted, the task and programme
tables as stored, which officers had a critical value): per unit and rolled up the tree, with
small denominators and suppressed prevalences leaving an indicator out."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from health.reports.appraisal import default_scheme
from health.reports.appraisal_indicators import LEADING_RISK_FACTORS, LEADING_TOP
from health.services import appraisal, selfcare_programmes, task_work
from health.services.context import MANAGER, MEDIC, SYSTEM, Actor, Ctx
from models.tables import Task, Unit
from models.tables_selfcare import Programme

from factories import make_checkup, make_officer, make_unit

YEAR = 2026
MIN_CELL = 5
SCREENED = datetime(YEAR, 4, 1, 9, 0, tzinfo=UTC)
NOW = datetime(YEAR, 9, 1, 9, 0, tzinfo=UTC)


def _values(i: int, year: int, critical: bool) -> dict[str, Any]:
    """Officer i's results: hypertension, overweight and raised urate differ by year."""
    if year == YEAR:
        sbp = 190 if critical else (150 if i % 2 == 0 else 132 if i % 5 == 1 else 118)
        weight = 92 if i % 3 else 66  # BMI 30.0: obesity, a lifestyle task
        ua = 460 if i % 3 == 0 else 330
    else:
        sbp = 150 if i % 3 == 0 else 118
        weight = 82 if i % 2 == 0 else 66
        ua = 460 if i % 2 == 0 else 330
    dbp = 125 if critical else 80
    return {
        "sbp": sbp,
        "dbp": dbp,
        "weight": weight,
        "height": 175,
        "glu": 5.0,
        "ua": ua,
        "tc": 6.5 if i % 4 == 1 else 4.8,
        "ldl": 2.6,
        "hdl": 1.3,
        "tg": 1.2,
    }


def _force(ctx: Ctx) -> tuple[dict[str, Unit], pd.DataFrame]:
    """Force → bureau → stations S1 (8 officers, 6 critical), S2 (7), S3 (one, critical)."""
    ctx.clock = lambda: SCREENED - timedelta(days=365)
    force = make_unit(ctx)
    bureau = make_unit(ctx, parent=force, kind="bureau")
    stations = {name: make_unit(ctx, parent=bureau) for name in ("S1", "S2", "S3")}
    units = {"force": force, "bureau": bureau, **stations}
    raw = []
    i = 0
    for name, size, critical in (("S1", 8, 6), ("S2", 7, 0), ("S3", 1, 1)):
        for k in range(size):
            officer = make_officer(ctx, unit=stations[name], birth_date=date(1970 + i, 6, 1))
            raw.append({"officer_id": officer.id, "unit": name, "i": i, "critical": k < critical})
            i += 1
    for row in raw:
        ctx.clock = lambda: SCREENED - timedelta(days=365)
        make_checkup(
            ctx,
            row["officer_id"],
            exam_date=date(YEAR - 1, 4, 1),
            **_values(row["i"], YEAR - 1, False),
        )
    ctx.clock = lambda: SCREENED
    for row in raw:
        values = _values(row["i"], YEAR, row["critical"])
        make_checkup(ctx, row["officer_id"], exam_date=date(YEAR, 4, 1), **values)
        row.update({f"{YEAR}_{k}": v for k, v in values.items()})
        row.update({f"{YEAR - 1}_{k}": v for k, v in _values(row["i"], YEAR - 1, False).items()})
    return units, pd.DataFrame(raw)


def _medic(ctx: Ctx, unit: Unit, at: datetime) -> Ctx:
    medic = replace(ctx, actor=Actor(id="medic-appraisal", role=MEDIC, unit_paths=(unit.path,)))
    medic.clock = lambda: at
    return medic


def _complete(ctx: Ctx, unit: Unit, task: Task, at: datetime) -> None:
    task_work.move(
        _medic(ctx, unit, at),
        task.id,
        task_work.Move("complete", outcome="agreed_to_visit", why="value acknowledged, called"),
        if_match=task.version,
    )


def test_every_indicator_score_and_rank_matches_plain_pandas(ctx: Ctx) -> None:
    units, raw = _force(ctx)
    paths = {name: unit.path for name, unit in units.items()}
    ids = {unit.id: name for name, unit in units.items()}
    # Critical values: S1 completes 4 on time, 1 late and leaves 1 open; S3's lone one on time.
    urgent = ctx.session.scalars(
        select(Task).where(Task.type == "urgent_contact").order_by(Task.created_at, Task.id)
    ).all()
    critical_ids = set(raw.loc[raw["critical"], "officer_id"])
    by_officer = {t.officer_id: t for t in urgent if t.officer_id in critical_ids}
    assert set(by_officer) == critical_ids
    s1 = list(raw.loc[raw["critical"] & (raw["unit"] == "S1"), "officer_id"])
    for officer_id in s1[:4]:
        _complete(ctx, units["S1"], by_officer[officer_id], SCREENED + timedelta(hours=3))
    _complete(ctx, units["S1"], by_officer[s1[4]], SCREENED + timedelta(days=3))
    lone = raw.loc[raw["unit"] == "S3", "officer_id"].iloc[0]
    _complete(ctx, units["S3"], by_officer[lone], SCREENED + timedelta(hours=1))
    # Lifestyle programmes for three officers of S2 with a lifestyle task.
    lifestyle = ctx.session.scalars(
        select(Task).where(Task.type == "lifestyle", Task.status == "requested")
    ).all()
    s2_ids = set(raw.loc[raw["unit"] == "S2", "officer_id"])
    s2_tasks = sorted((t for t in lifestyle if t.officer_id in s2_ids), key=lambda t: str(t.id))
    chosen = {t.officer_id: t for t in s2_tasks}
    for officer_id, task in list(chosen.items())[:3]:
        selfcare_programmes.enrol(
            _medic(ctx, units["S2"], SCREENED + timedelta(days=10)),
            officer_id,
            kind="weight",
            goals=[{"measure": "weight", "target": 75.0, "direction": "at_most"}],
            enrolled_on=date(YEAR, 4, 11),
            planned_contacts=[date(YEAR, 5, 11)],
            lifestyle_task_id=task.id,
        )

    system = replace(ctx, actor=SYSTEM)
    system.clock = lambda: NOW
    assert appraisal.appraise(system, YEAR) == len(units)
    manager = replace(ctx, actor=Actor(id="m", role=MANAGER, unit_paths=(units["force"].path,)))
    manager.clock = lambda: NOW
    found = {ids[s.unit_id]: s for s in appraisal.scores(manager, units["force"].id, YEAR)}
    got = {name: s.components["values"] for name, s in found.items()}
    for name, s in found.items():
        for code, part in s.components["indicators"].items():
            assert part["value"] == got[name][code]
            assert part["explain_zh"] and part["explain_en"]
    scheme = default_scheme()
    assert {s.scheme_version for s in found.values()} == {scheme.version}

    def inside(name: str) -> list[str]:
        return [n for n, p in paths.items() if p.startswith(paths[name])]

    # ---- the raw rows, read plainly from the tables --------------------------------------
    tasks = pd.DataFrame(
        [
            {
                "officer_id": t.officer_id,
                "unit": ids[t.unit_id],
                "type": t.type,
                "status": t.status,
                "created_at": t.created_at,
                "due": t.due,
                "closed_at": t.closed_at,
            }
            for t in ctx.session.scalars(select(Task))
        ]
    )
    programmes = pd.DataFrame(
        [
            {"officer_id": p.officer_id, "enrolled_on": p.enrolled_on, "ended_on": p.ended_on}
            for p in ctx.session.scalars(select(Programme))
        ]
    )
    for name in units:
        here = inside(name)
        # Coverage: every officer on the roster was examined in the year.
        mine = raw[raw["unit"].isin(here)]
        assert got[name]["coverage"] == (1.0 if len(mine) else None)
        # Follow-up: tasks due in the year by now, cancelled ones out.
        due = tasks[
            tasks["unit"].isin(here)
            & (tasks["due"] >= datetime(YEAR, 1, 1, tzinfo=UTC))
            & (tasks["due"] < datetime(YEAR + 1, 1, 1, tzinfo=UTC))
            & (tasks["due"] <= NOW)
            & (tasks["status"] != "cancelled")
        ]
        completed = due["status"] == "completed"
        on_time = completed & (due["closed_at"] <= due["due"])
        expected = None if due.empty else float(completed.mean())
        assert got[name]["completion_rate"] == pytest.approx(expected), name
        expected = None if due.empty else float(on_time.mean())
        assert got[name]["on_time_rate"] == pytest.approx(expected), name
        # Critical values acknowledged in time: the urgent contacts of critical officers.
        crit = tasks[
            tasks["unit"].isin(here)
            & (tasks["type"] == "urgent_contact")
            & tasks["officer_id"].isin(critical_ids)
            & (tasks["status"] != "cancelled")
        ]
        ok = (crit["status"] == "completed") & (crit["closed_at"] <= crit["due"])
        expected = None if len(crit) < MIN_CELL else float(ok.mean())
        assert got[name]["critical_ack_rate"] == pytest.approx(expected), name
        # Programme participation among officers given a lifestyle task in the year.
        given = tasks[
            tasks["unit"].isin(here)
            & (tasks["type"] == "lifestyle")
            & (tasks["created_at"] >= datetime(YEAR, 1, 1, tzinfo=UTC))
        ]["officer_id"].drop_duplicates()
        joined = given.isin(set(programmes["officer_id"]) if len(programmes) else set())
        expected = None if len(given) < MIN_CELL else float(joined.mean())
        assert got[name]["programme_participation"] == pytest.approx(expected), name

    assert got["S1"]["critical_ack_rate"] == pytest.approx(4 / 6)
    assert got["bureau"]["critical_ack_rate"] == pytest.approx(5 / 7)
    assert got["S3"]["critical_ack_rate"] is None  # one case: not scored
    assert got["S2"]["programme_participation"] is not None

    # ---- prevalence changes and the leading risk factors -----------------------------------
    def prevalence(year: int, here: list[str]) -> dict[str, tuple[int, int]]:
        people = raw[raw["unit"].isin(here)]
        sbp, dbp = people[f"{year}_sbp"], people[f"{year}_dbp"]
        bmi = people[f"{year}_weight"] / (people[f"{year}_height"] / 100) ** 2
        flags = {
            "hypertension": (sbp >= 140) | (dbp >= 90),  # 中国高血压防治指南2018
            "overweight_obesity": bmi >= 24.0,  # WS/T 428-2013
            "hyperuricaemia": people[f"{year}_ua"] > 420,  # 高尿酸血症诊疗指南2019
            "dyslipidaemia": (people[f"{year}_tc"] >= 6.2) | (people[f"{year}_hdl"] < 1.0),
            "diabetes": people[f"{year}_glu"] >= 7.0,
        }
        return {k: (int(v.sum()), len(v)) for k, v in flags.items()}

    def small(x: int, n: int) -> bool:
        return 0 < x < MIN_CELL or 0 < n - x < MIN_CELL

    # The leading factors: the most prevalent force-wide among those the force's figures show.
    force_now = prevalence(YEAR, inside("force"))
    shown = [f for f in LEADING_RISK_FACTORS if not small(*force_now[f])]
    leading = sorted(shown, key=lambda f: (-force_now[f][0] / force_now[f][1], f))[:LEADING_TOP]
    assert len(leading) == LEADING_TOP and "hypertension" not in leading  # 12 of 16: hidden
    assert got["force"]["leading_risk_change"] is not None
    for name in units:
        now, before = prevalence(YEAR, inside(name)), prevalence(YEAR - 1, inside(name))
        shown_changes = []
        for code in LEADING_RISK_FACTORS:
            value = got[name][f"{code}_change"]
            (x1, n1), (x0, n0) = now[code], before[code]
            if small(x1, n1) or small(x0, n0):
                assert value is None, (name, code)
            if value is not None:
                assert value == pytest.approx(x1 / n1 - x0 / n0), (name, code)
                if code in leading:
                    shown_changes.append(x1 / n1 - x0 / n0)
        # Only the changes shown in both years enter the mean.
        expected = float(np.mean(shown_changes)) if shown_changes else None
        assert got[name]["leading_risk_change"] == pytest.approx(expected), name
    assert got["S3"]["hypertension_change"] is None

    # ---- scores and ranks among peers at the same depth ------------------------------------
    depth = {name: paths[name].strip("/").count("/") for name in units}
    score = {}
    for name in units:
        used = [(i, got[name][i.code]) for i in scheme.indicators if got[name][i.code] is not None]
        parts = [(i.weight, min(max((v - i.floor) / (i.target - i.floor), 0), 1)) for i, v in used]
        weight = sum(w for w, _ in parts)
        score[name] = None if not weight else 100 * sum(w * p for w, p in parts) / weight
        assert found[name].score == pytest.approx(score[name]), name
    for name in units:
        peers = [n for n in units if depth[n] == depth[name] and score[n] is not None]
        better = sum(score[n] > score[name] for n in peers)  # type: ignore[operator]
        assert found[name].rank == better + 1, name
        assert found[name].peers == len(peers)
