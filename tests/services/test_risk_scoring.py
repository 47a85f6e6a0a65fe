"""Risk scoring on storage: every stored checkup scored and sealed, versions recorded, the
active model used when it passes its checks, and refused (audited) when it does not."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from health.services import checkups, risk_models, risk_scoring, tasks
from health.services.context import ADMIN, MEDIC, Actor, Ctx
from ml import registry
from ml.registry import ModelRefused
from ml.synthetic import ForceShape, force
from ml.training import train
from models.tables import AuditEvent, Task
from models.tables_risk import RiskScore

from factories import make_checkup, make_officer


@pytest.fixture
def models_root(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "models"
    risk_models.configure(root)
    yield root
    risk_models.configure(None)


@pytest.fixture(scope="module")
def version_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("registry")
    model, report = train(force(ForceShape(officers=500, years=4, seed=2)))
    registry.save(root, model, report, catalog_version="c", ruleset_version="r", synthetic=True)
    return root


def _install(version_files: Path, root: Path) -> str:
    import shutil

    shutil.copytree(version_files, root, dirs_exist_ok=True)
    return registry.versions(root)[0]


def _as(ctx: Ctx, role: str) -> Ctx:
    return Ctx(ctx.session, ctx.vault, Actor(id=f"test-{role}", role=role), ctx.clock)


def _scores(ctx: Ctx, officer_id: object) -> list[RiskScore]:
    return list(ctx.session.scalars(select(RiskScore).where(RiskScore.officer_id == officer_id)))


QUESTIONNAIRE = {"smoking": "current", "bp_treated": "否", "family_history_diabetes": "一级亲属"}


def test_stored_checkup_is_scored_sealed_with_versions(ctx: Ctx, models_root: Path) -> None:
    officer = make_officer(ctx, sex="M", birth_date=date(1972, 1, 1))
    make_checkup(
        ctx,
        officer.id,
        sbp=152,
        dbp=94,
        tc=6.2,
        hdl=0.9,
        ldl=4.0,
        glu=5.5,
        height=172,
        weight=82,
        waist=96,
        **QUESTIONNAIRE,
    )
    (row,) = _scores(ctx, officer.id)
    assert row.status == "current"
    assert row.model_version is None
    assert "pce_2013/1" in row.equations_version and "cdrs_2020/1" in row.equations_version
    assert row.tier == "high"
    assert b"pce_2013" not in row.document  # sealed
    (view,) = risk_scoring.scores_of(ctx, officer.id, language="en")
    assert view["model_status"] == "no active model: equations only"
    by_id = {e["equation_id"]: e for e in view["equations"]}
    assert by_id["pce_2013"]["status"] == "ok"
    assert by_id["cn_lipid_ascvd"]["band"]["code"] == "high"
    assert by_id["score2_2021"]["status"] == "missing_input"
    assert "region" in by_id["score2_2021"]["missing"]
    assert any("stopping" in d["text"] for d in by_id["pce_2013"]["drivers"])


def test_missing_smoking_status_is_named_not_guessed(ctx: Ctx, models_root: Path) -> None:
    officer = make_officer(ctx, sex="M", birth_date=date(1972, 1, 1))
    make_checkup(ctx, officer.id, sbp=130, tc=5.0, hdl=1.2, ldl=3.0, glu=5.0)
    (view,) = risk_scoring.scores_of(ctx, officer.id, language="en")
    pce = next(e for e in view["equations"] if e["equation_id"] == "pce_2013")
    assert pce["status"] == "missing_input"
    assert "smoker" in pce["missing"] and pce["value"] is None


def test_correction_supersedes_the_earlier_score(ctx: Ctx, models_root: Path) -> None:
    officer = make_officer(ctx)
    make_checkup(ctx, officer.id, exam_date=date(2026, 3, 2), glu=5.0)
    checkups.submit(ctx, officer.id, date(2026, 3, 2), {"glu": 7.5})
    statuses = sorted(r.status for r in _scores(ctx, officer.id))
    assert statuses == ["current", "superseded"]


def test_promoted_model_scores_and_is_recorded(
    ctx: Ctx, models_root: Path, version_files: Path
) -> None:
    version = _install(version_files, models_root)
    manifest = risk_models.promote(_as(ctx, ADMIN), version)
    assert manifest["version"] == version
    officer = make_officer(ctx, sex="F", birth_date=date(1980, 6, 1))
    make_checkup(ctx, officer.id, sbp=141, glu=6.3, tc=5.9, hdl=1.1, ldl=3.9, alt=45)
    (row,) = _scores(ctx, officer.id)
    assert row.model_version == version
    (view,) = risk_scoring.scores_of(ctx, officer.id, language="zh")
    assert set(view["model"]["probabilities"]) >= {"overall", "bp", "glucose"}
    assert 0 <= view["model"]["probabilities"]["overall"] <= 1
    actions = ctx.session.scalars(select(AuditEvent.action)).all()
    assert "ml.promote" in actions


def test_tampered_active_model_is_refused_audited_and_equations_carry_on(
    ctx: Ctx, models_root: Path, version_files: Path
) -> None:
    version = _install(version_files, models_root)
    registry.activate(models_root, version)
    artefact = models_root / version / registry.ARTEFACT
    artefact.write_bytes(artefact.read_bytes()[:-10] + b"0123456789")
    officer = make_officer(ctx)
    make_checkup(ctx, officer.id, sbp=150, **QUESTIONNAIRE)
    (row,) = _scores(ctx, officer.id)
    assert row.model_version is None
    (view,) = risk_scoring.scores_of(ctx, officer.id, language="en")
    assert "refused" in view["model_status"] and "equations only" in view["model_status"]
    refused = ctx.session.scalars(select(AuditEvent).where(AuditEvent.action == "ml.load")).all()
    assert [e.outcome for e in refused] == ["refused"]
    with pytest.raises(ModelRefused):
        risk_models.promote(_as(ctx, ADMIN), version)


def test_only_admins_promote(ctx: Ctx, models_root: Path, version_files: Path) -> None:
    version = _install(version_files, models_root)
    from health.errors import Forbidden

    with pytest.raises(Forbidden):
        risk_models.promote(_as(ctx, MEDIC), version)
    assert registry.active_version(models_root) is None


def test_score_document_is_json_with_no_names(ctx: Ctx, models_root: Path) -> None:
    officer = make_officer(ctx, name="张三丰")
    make_checkup(ctx, officer.id, **QUESTIONNAIRE)
    (view,) = risk_scoring.scores_of(ctx, officer.id, language="zh")
    assert "张三丰" not in json.dumps(view, ensure_ascii=False)


@dataclass(frozen=True)
class Opened:
    type: str
    family: str | None
    priority: int
    due: datetime


def _tasks(ctx: Ctx, officer_id: uuid.UUID) -> list[Opened]:
    """The officer's tasks with their family opened from the sealed detail."""
    sealer = ctx.vault.sealer_for(ctx.session, officer_id)
    rows = ctx.session.scalars(select(Task).where(Task.officer_id == officer_id))
    return [
        Opened(t.type, tasks.family_of(tasks.open_detail(t, sealer)), t.priority, t.due)
        for t in rows
    ]


HIGH = {"sbp": 165, "dbp": 100, "tc": 7.0, "hdl": 0.9, "ldl": 5.0, "glu": 5.2, **QUESTIONNAIRE}


def test_high_tier_opens_the_policys_lifestyle_task_and_raises_priority(
    ctx: Ctx, models_root: Path
) -> None:
    """followup_default.yaml `risk`: high tier → lifestyle task (priority 3, 60 days) and the
    screening's own plans one step more urgent."""
    officer = make_officer(ctx, sex="M", birth_date=date(1966, 1, 1))
    make_checkup(ctx, officer.id, **HIGH)
    (row,) = _scores(ctx, officer.id)
    assert row.tier == "high"
    by_family = {(t.type, t.family): t for t in _tasks(ctx, officer.id)}
    lifestyle = by_family[("lifestyle", "cardiometabolic_risk")]
    assert lifestyle.priority == 3
    assert (lifestyle.due.date() - date(2026, 3, 2)).days == 60
    # bp grade 2 plans a recheck at priority 2 (fu.bp_grade_2); high risk makes it 1
    assert by_family[("recheck", "blood_pressure")].priority == 1


def test_low_tier_changes_no_task(ctx: Ctx, models_root: Path) -> None:
    officer = make_officer(ctx, sex="F", birth_date=date(1995, 1, 1))
    make_checkup(
        ctx,
        officer.id,
        sbp=112,
        dbp=70,
        tc=4.2,
        hdl=1.6,
        ldl=2.2,
        glu=4.8,
        smoking="never",
        bp_treated="否",
        family_history_diabetes="无",
    )
    (row,) = _scores(ctx, officer.id)
    assert row.tier == "low"
    assert not any(t.family == "cardiometabolic_risk" for t in _tasks(ctx, officer.id))


def test_an_earlier_open_task_is_raised_once_not_on_every_rescreen(
    ctx: Ctx, models_root: Path
) -> None:
    officer = make_officer(ctx, sex="M", birth_date=date(1966, 1, 1))
    make_checkup(ctx, officer.id, exam_date=date(2025, 3, 2), glu=6.5)  # IFG → lifestyle, p4
    before = {(t.type, t.family): t.priority for t in _tasks(ctx, officer.id)}
    make_checkup(ctx, officer.id, exam_date=date(2026, 3, 2), **HIGH)
    after = {(t.type, t.family): t.priority for t in _tasks(ctx, officer.id)}
    raised = [k for k in before if after[k] < before[k]]
    assert raised, (before, after)
    checkups.submit(ctx, officer.id, date(2026, 3, 2), {**HIGH, "glu": 5.3})
    again = {(t.type, t.family): t.priority for t in _tasks(ctx, officer.id)}
    assert all(again[k] == after[k] for k in raised)
