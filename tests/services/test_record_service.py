"""The officer's record, trends and grouped findings on real databases: sections in the reader's
language, derived values with their inputs, change since last year, one entry per problem with
its next step, audited reads, and deny by default."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select

from health.errors import Invalid, NotFound
from health.services import record
from health.services.context import MEDIC, OFFICER, Actor, Ctx
from models.tables import AuditEvent

from factories import make_checkup, make_officer, make_unit

LAST_YEAR = {"sbp": 128, "dbp": 82, "glu": 5.3, "weight": 80, "height": 175, "creat": 80}
THIS_YEAR = {
    "sbp": 146,
    "dbp": 92,
    "pulse": 55,
    "glu": 5.6,
    "weight": 85.6,
    "height": 175,
    "creat": 80,
    "alt": 8,
    "ast": 60,
    "tc": 6.3,
    "hdl": 1.2,
    "tp": 72,
    "alb": 45,
    "u_pro": "1+",
    "ecg": ["pvc"],
}


def _officer_ctx(ctx: Ctx, officer_id: object) -> Ctx:
    actor = Actor(id=f"officer-{officer_id}", role=OFFICER, officer_id=officer_id)  # type: ignore[arg-type]
    return Ctx(ctx.session, ctx.vault, actor, ctx.clock)


def _seed(ctx: Ctx) -> object:
    officer = make_officer(ctx, sex="M", birth_date=date(1976, 3, 2))
    clock = ctx.clock
    # Each checkup entered on its exam day: task due dates count from when they are created.
    for exam, values in ((date(2025, 3, 1), LAST_YEAR), (date(2026, 3, 2), THIS_YEAR)):
        entered = datetime.combine(exam, time(9), tzinfo=UTC)
        ctx.clock = lambda entered=entered: entered  # type: ignore[misc]
        make_checkup(ctx, officer.id, exam_date=exam, **values)
    ctx.clock = clock
    return officer.id


def _line(rec: record.OfficerRecord, code: str) -> record.ResultLine:
    (found,) = [r for s in rec.sections for r in s.results if r.code == code]
    return found


def test_record_shows_each_result_with_name_unit_interval_and_flag(ctx: Ctx) -> None:
    officer_id = _seed(ctx)
    rec = record.officer_record(_officer_ctx(ctx, officer_id), officer_id, "zh")  # type: ignore[arg-type]
    assert (rec.exam_date, rec.previous_exam_date, rec.age) == (
        date(2026, 3, 2),
        date(2025, 3, 1),
        50,
    )
    assert [s.key for s in rec.sections] == [
        "vitals",
        "liver",
        "kidney",
        "lipids",
        "glucose",
        "urine",
        "ecg_imaging",
    ]
    assert rec.sections[0].name == "一般检查"
    glu = _line(rec, "glu")
    assert (glu.name, glu.display, glu.unit, glu.interval, glu.flag) == (
        "空腹血糖",
        "5.6",
        "mmol/L",
        "3.9–6.1 mmol/L",
        "N",
    )
    assert glu.previous is not None and glu.previous.display == "5.3"
    assert glu.change == pytest.approx(0.3)
    sbp = _line(rec, "sbp")
    assert (sbp.unit, sbp.flag, sbp.flag_name) == ("mmHg", "H", "偏高")
    u_pro = _line(rec, "u_pro")
    assert (u_pro.display, u_pro.interval, u_pro.severity) == ("1+", "-", "abnormal")
    alt = _line(rec, "alt")  # low ALT: flagged, explained, no concern
    assert (alt.flag, alt.severity) == ("L", "normal") and alt.note and "无需处理" in alt.note
    ecg = _line(rec, "ecg")
    assert (ecg.display, ecg.flag) == ("室性早搏", "A")


def test_derived_values_are_always_shown_with_their_inputs(ctx: Ctx) -> None:
    officer_id = _seed(ctx)
    rec = record.officer_record(_officer_ctx(ctx, officer_id), officer_id, "en")  # type: ignore[arg-type]
    assert {d.code for d in rec.derived} == {
        "bmi",
        "egfr",
        "non_hdl",
        "globulin",
        "ag_ratio",
        "tc_hdl_ratio",
    }
    bmi = _line(rec, "bmi")
    # 85.6 / 1.75² = 27.95: shown and graded as 28.0, obesity (WS/T 428-2013).
    assert (bmi.display, bmi.unit, bmi.flag, bmi.derived) == ("28.0", "kg/m²", "H", True)
    assert [(i.code, i.display) for i in bmi.inputs] == [("weight", "85.6"), ("height", "175")]
    egfr = _line(rec, "egfr")  # normal, shown anyway, with creatinine, sex and age
    assert egfr.flag == "N"
    assert [(i.code, i.display) for i in egfr.inputs] == [
        ("creat", "80"),
        ("sex", "male"),
        ("age", "50"),
    ]
    assert egfr.previous is not None  # last year's eGFR, computed at last year's age
    non_hdl = _line(rec, "non_hdl")
    assert (non_hdl.display, [i.code for i in non_hdl.inputs]) == ("5.10", ["tc", "hdl"])
    ag = _line(rec, "ag_ratio")  # 45 / (72 - 45), calculated and shown, not graded
    assert (ag.display, ag.flag, [(i.code, i.display) for i in ag.inputs]) == (
        "1.67",
        None,
        [("alb", "45"), ("globulin", "27.0")],
    )
    assert _line(rec, "tc_hdl_ratio").display == "5.25"


def test_grouped_findings_give_one_entry_per_problem_with_its_next_step(ctx: Ctx) -> None:
    officer_id = _seed(ctx)
    problems = record.grouped_findings(_officer_ctx(ctx, officer_id), officer_id, "en")  # type: ignore[arg-type]
    by_key = {p.key: p for p in problems}
    bp = by_key["blood_pressure"]
    assert {s.rule_id for s in bp.supporting} >= {"ref.sbp", "ref.dbp", "bp.grade_1"}
    assert bp.title is not None and "grade 1" in bp.title
    assert (
        bp.source
        == "Chinese Guidelines for the Prevention and Treatment of Hypertension (2018 revision)"
    )
    assert bp.clinical is None  # the officer gets plain language only
    # Last year's high-normal reading left a lifestyle task open; this year's plans a recheck.
    lifestyle, step = bp.next_steps
    assert (lifestyle.type_name, lifestyle.due.date()) == ("Lifestyle support", date(2025, 5, 30))
    assert (step.type, step.type_name, step.status_name) == ("recheck", "Recheck", "To do")
    assert step.due.date() == date(2026, 3, 30)  # 28 days after the exam
    assert step.reason == "Recheck blood pressure on separate days to confirm hypertension"
    (liver,) = by_key["liver:liver_enzymes_high"].next_steps
    assert (liver.type, liver.due.date()) == ("recheck", date(2026, 4, 1))
    supporting = [s.rule_id for p in problems for s in p.supporting]
    assert len(supporting) == len(set(supporting))
    assert "ref.alt" not in supporting  # low ALT is informational: no finding, no problem
    assert all("DEPLOYMENT" not in (p.source or "") for p in problems)


def test_trends_give_one_series_per_analyte_across_checkups(ctx: Ctx) -> None:
    officer_id = _seed(ctx)
    series = record.trends(_officer_ctx(ctx, officer_id), officer_id, ["sbp", "bmi", "hba1c"], "zh")  # type: ignore[arg-type]
    sbp, bmi, hba1c = series
    assert [(p.exam_date, p.value, p.flag) for p in sbp.points] == [
        (date(2025, 3, 1), 128.0, "H"),
        (date(2026, 3, 2), 146.0, "H"),
    ]
    assert (sbp.name, sbp.unit) == ("收缩压", "mmHg")
    assert [p.display for p in bmi.points] == ["26.1", "28.0"]
    assert hba1c.points == []
    with pytest.raises(Invalid) as refused:
        record.trends(_officer_ctx(ctx, officer_id), officer_id, ["sbp", "nope"], "zh")  # type: ignore[arg-type]
    assert refused.value.code == "bad_analytes"


def test_each_read_is_audited_once(ctx: Ctx) -> None:
    officer_id = _seed(ctx)
    me = _officer_ctx(ctx, officer_id)
    record.officer_record(me, officer_id, "zh")  # type: ignore[arg-type]
    record.trends(me, officer_id, None, "zh")  # type: ignore[arg-type]
    record.grouped_findings(me, officer_id, "zh")  # type: ignore[arg-type]
    actions = ctx.session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.officer_id == officer_id, AuditEvent.actor_role == OFFICER
        )
    ).all()
    assert sorted(actions) == ["finding.read", "record.read", "record.trends"]


def test_record_is_denied_outside_scope_like_a_missing_officer(ctx: Ctx) -> None:
    officer_id = _seed(ctx)
    other = make_officer(ctx)
    with pytest.raises(NotFound):
        record.officer_record(_officer_ctx(ctx, other.id), officer_id, "zh")  # type: ignore[arg-type]
    elsewhere = make_unit(ctx)
    medic = Ctx(
        ctx.session, ctx.vault, Actor(id="m", role=MEDIC, unit_paths=(elsewhere.path,)), ctx.clock
    )
    with pytest.raises(NotFound):
        record.grouped_findings(medic, officer_id, "zh")  # type: ignore[arg-type]


def test_officer_without_checkups_gets_an_empty_record(ctx: Ctx) -> None:
    officer = make_officer(ctx)
    rec = record.officer_record(_officer_ctx(ctx, officer.id), officer.id, "en")
    assert (rec.checkup_id, rec.sections, rec.problems) == (None, [], [])
