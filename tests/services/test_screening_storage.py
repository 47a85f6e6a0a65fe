"""Screening on storage: provenance, corrections, rescreening, rulesets, known conditions."""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest
import yaml
from sqlalchemy import func, select

from health.screening import RulesetError
from health.services import (
    checkups,
    conditions,
    finding_tally,
    preview,
    rescreen,
    rulesets,
    screening,
)
from health.services.context import Ctx
from models.tables import Checkup, Screening
from models.tables_bulk import FindingTally

from factories import make_checkup, make_officer

DEFAULT = resources.files("health.rulesets").joinpath("default_cn_adult.yaml").read_text()


def _rule_ids(ctx: Ctx, officer_id: object) -> set[str]:
    return {v.finding["rule_id"] for v in screening.findings_of(ctx, officer_id)}  # type: ignore[arg-type]


def test_stored_checkup_gets_findings_with_provenance(ctx: Ctx) -> None:
    officer = make_officer(ctx, sex="M", birth_date=date(1980, 1, 1))
    make_checkup(ctx, officer.id, glu=7.4, sbp=118, dbp=76)
    views = screening.findings_of(ctx, officer.id)
    glucose = next(v for v in views if v.finding["rule_id"] == "ref.glu")
    assert glucose.finding["severity"] == "abnormal"
    assert glucose.finding["interpretation"] == "H"
    assert glucose.ruleset_version == rulesets.active_ruleset(ctx).version
    assert "7" in glucose.finding["threshold"]
    assert "2020" in glucose.finding["source"]
    assert ["glu", 7.4] in glucose.finding["inputs"]
    assert glucose.clinical is not None and glucose.advice is not None


def test_correction_rederives_findings_and_keeps_history(ctx: Ctx) -> None:
    officer = make_officer(ctx)
    first = make_checkup(ctx, officer.id, exam_date=date(2026, 3, 2), glu=7.4)
    assert "ref.glu" in _rule_ids(ctx, officer.id)
    old_screening = ctx.session.scalars(
        select(Screening).where(Screening.checkup_id == first.id)
    ).one()
    old_token = finding_tally.Tokens(ctx.vault.hasher)(old_screening.id)
    tallied = select(func.count()).select_from(FindingTally).where(FindingTally.token == old_token)
    assert ctx.session.scalar(tallied) == 1, "the abnormal glucose counts in unit figures"
    corrected = checkups.submit(ctx, officer.id, date(2026, 3, 2), {"glu": 5.2})
    assert corrected.corrected and corrected.id != first.id
    assert "ref.glu" not in _rule_ids(ctx, officer.id)
    old = ctx.session.get(Checkup, first.id)
    assert old is not None and old.status == "superseded"
    statuses = ctx.session.scalars(
        select(Screening.status).where(Screening.officer_id == officer.id)
    ).all()
    assert sorted(statuses) == ["current", "superseded"]
    assert ctx.session.scalar(tallied) == 0, (
        "a superseded screening no longer counts in unit figures"
    )
    new_screening = ctx.session.scalars(
        select(Screening).where(Screening.checkup_id == corrected.id)
    ).one()
    assert "ref.glu" not in {
        f["rule_id"]
        for f in screening.findings_of_screening(
            new_screening, ctx.vault.sealer_for(ctx.session, officer.id)
        )
    }


def _new_version(version: str, glucose_cut: float) -> str:
    document = yaml.safe_load(DEFAULT)
    document["version"] = version
    rule = next(r for r in document["reference_ranges"] if r["id"] == "ref.glu")
    rule["strata"][0]["bands"][1]["from"] = glucose_cut
    rule["strata"][0]["bands"][0]["to"] = glucose_cut
    return yaml.safe_dump(document, allow_unicode=True)


def test_rescreen_under_new_version_reports_changes_once(ctx: Ctx) -> None:
    officer = make_officer(ctx)
    make_checkup(ctx, officer.id, glu=7.4)
    uploaded = rulesets.upload(ctx, "screening", _new_version("test-2026.2", 7.5), "t.yaml")
    rulesets.activate(ctx, uploaded.id)
    report = rescreen.RescreenReport("test-2026.2")
    rescreen.rescreen_officers(ctx, [officer.id], report)
    assert report.rescreened == 1
    assert report.removed["ref.glu/diabetes_range"] == 1
    assert report.added["ref.glu/ifg"] == 1
    again = rescreen.RescreenReport("test-2026.2")
    rescreen.rescreen_officers(ctx, [officer.id], again)
    assert (again.rescreened, again.unchanged) == (0, 1)
    current = ctx.session.scalar(
        select(func.count())
        .select_from(Screening)
        .where(Screening.officer_id == officer.id, Screening.status == "current")
    )
    assert current == 1
    versions = {v.ruleset_version for v in screening.findings_of(ctx, officer.id)}
    assert versions == {"test-2026.2"}


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d["reference_ranges"][0].update(analyte="no_such_analyte"), "analyte"),
        (lambda d: d["reference_ranges"][0].update(unit="mg/dL"), "unit"),
        (lambda d: d["reference_ranges"][0].pop("source"), "source"),
    ],
)
def test_bad_ruleset_is_refused_and_active_stays(ctx: Ctx, mutate: object, field: str) -> None:
    document = yaml.safe_load(DEFAULT)
    document["version"] = "broken-1"
    mutate(document)  # type: ignore[operator]
    rule_id = document["reference_ranges"][0]["id"]
    before = rulesets.active_ruleset(ctx).version
    with pytest.raises(RulesetError) as refused:
        rulesets.upload(ctx, "screening", yaml.safe_dump(document), "broken.yaml")
    message = str(refused.value.problems)
    assert "broken.yaml" in message and rule_id in message and field in message
    assert rulesets.active_ruleset(ctx).version == before


def test_known_hypertension_tracks_control_instead_of_reflagging(ctx: Ctx) -> None:
    officer = make_officer(ctx)
    make_checkup(ctx, officer.id, sbp=150, dbp=92)
    assert any(r.startswith("bp.grade") for r in _rule_ids(ctx, officer.id))
    conditions.set_conditions(ctx, officer.id, ["hypertension"])
    after = _rule_ids(ctx, officer.id)
    assert not any(r.startswith("bp.grade") for r in after)
    assert any("control" in r or "goal" in r for r in after), after


def test_preview_stores_nothing(ctx: Ctx) -> None:
    before = ctx.session.scalar(select(func.count()).select_from(Screening))
    result = preview.preview(
        ctx, date(2026, 5, 5), {"glu": {"value": 140, "unit": "mg/dL"}}, sex="F", age=44
    )
    assert "ref.glu" in {f["rule_id"] for f in result.findings}
    assert any(p["type"] == "recheck" for p in result.plans)
    assert ctx.session.scalar(select(func.count()).select_from(Screening)) == before
