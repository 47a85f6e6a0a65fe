"""Forgiving reading of real exports: BUN/尿素氮 columns, electrolytes, combined blood pressure,
decimal commas; each case states what was read and what was refused."""

from __future__ import annotations

import pytest

from health.ingest import read_spreadsheet

# Tietz 7th ed., SI conversion table: BUN (mg/dL urea nitrogen) x 0.357 = urea (mmol/L)
BUN_FACTOR = 10 / (2 * 14.007)


def _read(text: str):  # type: ignore[no-untyped-def]
    return read_spreadsheet(text.encode(), "session.csv")


def test_wide_bun_in_mg_dl_is_urea_nitrogen_not_urea() -> None:
    bun = _read("警号,体检日期,BUN (mg/dL)\nA1,2026-03-01,14\n")
    urea = _read("警号,体检日期,尿素(mg/dL)\nA1,2026-03-01,30\n")
    assert bun.errors == urea.errors == ()
    assert bun.drafts[0].results["urea"].value == pytest.approx(14 * BUN_FACTOR)  # 5.0 mmol/L
    assert urea.drafts[0].results["urea"].value == pytest.approx(30 / 60.06 * 10)  # urea itself


def test_wide_bun_in_mmol_l_and_without_unit_is_the_same_amount_of_urea() -> None:
    result = _read("警号,体检日期,尿素氮\nA1,2026-03-01,5.2\n")
    assert result.errors == ()
    assert result.drafts[0].results["urea"].value == pytest.approx(5.2)


def test_long_bun_row_with_mg_dl_unit_column_converts_as_nitrogen() -> None:
    result = _read(
        "警号,体检日期,项目名称,结果,单位\n"
        "A1,2026-03-01,BUN,14,mg/dL\n"
        "A2,2026-03-01,尿素,30,mg/dL\n"
        "A3,2026-03-01,尿素氮,5.0,mmol/L\n"
    )
    assert result.errors == ()
    values = [d.results["urea"].value for d in result.drafts]
    assert values == pytest.approx([14 * BUN_FACTOR, 30 / 60.06 * 10, 5.0])


def test_electrolyte_columns_are_read_in_canonical_units() -> None:
    result = _read(
        "警号,体检日期,血钾(mmol/L),Na+ (mEq/L),血氯,Ca (mg/dL),无机磷(mmol/L)\n"
        "A1,2026-03-01,4.1,140,102,9.5,1.1\n"
    )
    assert result.errors == ()
    results = result.drafts[0].results
    assert {c: results[c].value for c in ("k", "na", "cl", "phos")} == {
        "k": 4.1,
        "na": 140.0,
        "cl": 102.0,
        "phos": 1.1,
    }
    assert results["ca"].value == pytest.approx(9.5 * 10 / 40.078)  # 2.37 mmol/L
