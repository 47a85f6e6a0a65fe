"""Unit figures count findings through pseudonymous tally rows: one per (screening, family) with
an abnormal or critical finding, retired when the screening is superseded or the officer erased."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select

from health.services import finding_tally, keys
from health.services.context import Ctx
from models.tables import Screening
from models.tables_bulk import FindingTally

from factories import make_checkup, make_officer


def _rows(ctx: Ctx) -> list[tuple[bytes, str, int, str]]:
    tally = FindingTally
    query = select(tally.token, tally.family, tally.year, tally.severity)
    return [tuple(r) for r in ctx.session.execute(query)]  # type: ignore[misc]


def test_abnormal_glucose_adds_one_glucose_row_keyed_by_the_screening_token(ctx: Ctx) -> None:
    officer = make_officer(ctx)
    make_checkup(ctx, officer.id, exam_date=date(2026, 3, 2), glu=7.4, sbp=118, dbp=76)
    (screening,) = ctx.session.scalars(select(Screening)).all()
    token = finding_tally.Tokens(ctx.vault.hasher)(screening.id)
    assert [r for r in _rows(ctx) if r[1] == "glucose"] == [(token, "glucose", 2026, "abnormal")]
    assert officer.id.bytes not in token and screening.id.bytes not in token


def test_borderline_findings_are_not_tallied(ctx: Ctx) -> None:
    officer = make_officer(ctx)
    make_checkup(ctx, officer.id, glu=5.3, sbp=118, dbp=76)
    assert [r for r in _rows(ctx) if r[1] == "glucose"] == []


def test_worst_severity_of_a_family_is_kept_once(ctx: Ctx) -> None:
    rows = finding_tally.rows_for(
        finding_tally.Tokens(ctx.vault.hasher),
        uuid.uuid4(),
        date(2025, 12, 31),
        [
            {"family": "glucose", "severity": "abnormal"},
            {"family": "glucose", "severity": "critical"},
            {"family": "glucose", "severity": "borderline"},
            {"family": "lipids", "severity": "normal"},
        ],
    )
    assert [(r["family"], r["year"], r["severity"]) for r in rows] == [
        ("glucose", 2025, "critical")
    ]


def test_erasure_retires_the_officers_rows_and_leaves_others(ctx: Ctx) -> None:
    erased, kept = make_officer(ctx), make_officer(ctx)
    make_checkup(ctx, erased.id, glu=7.4)
    make_checkup(ctx, kept.id, glu=7.4)
    assert len([r for r in _rows(ctx) if r[1] == "glucose"]) == 2
    keys.erase_officer(ctx, erased.id)
    (left,) = [r for r in _rows(ctx) if r[1] == "glucose"]
    (screening,) = ctx.session.scalars(select(Screening).where(Screening.officer_id == kept.id))
    assert left[0] == finding_tally.Tokens(ctx.vault.hasher)(screening.id)
