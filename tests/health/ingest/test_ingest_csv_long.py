"""Long CSV exports (one row per result), as lab information systems write them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from health.ingest import FindingsDraft, ReasonCode, read_long, read_spreadsheet

DATA = Path(__file__).resolve().parents[2] / "data" / "checkups"


def test_long_export_is_detected_and_grouped_per_officer_and_date() -> None:
    result = read_spreadsheet(DATA / "long_lab_export.csv")
    assert result.layout == "long"
    assert result.errors == ()
    assert result.rows_read == 8
    keys = [(d.badge_number, d.exam_date, d.source_rows) for d in result.drafts]
    assert keys == [
        ("110101", date(2026, 3, 1), (2, 3, 4, 5)),
        ("110102", date(2026, 3, 1), (6, 7, 8)),
        ("110101", date(2026, 3, 8), (9,)),
    ]


@pytest.mark.parametrize(
    ("draft", "code", "expected"),
    [
        (0, "glu", 113.5 / 18.016),  # mg/dL; glucose 180.16 g/mol
        (0, "hba1c", 0.09148 * 48 + 2.152),  # IFCC mmol/mol -> NGSP % master equation
        (0, "creat", 1.1 * 10_000 / 113.12),  # mg/dL; creatinine 113.12 g/mol
        (0, "u_pro", 1),  # "+-" is trace
        (1, "glu", 5.2),
        (1, "tg", 150 / 88.57),  # mg/dL; triolein 885.7 g/mol
        (2, "glu", 6.1),
    ],
)
def test_long_export_values_in_canonical_units(draft: int, code: str, expected: float) -> None:
    result = read_spreadsheet(DATA / "long_lab_export.csv")
    assert result.drafts[draft].results[code].value == pytest.approx(expected)


def test_long_export_remarks_and_findings() -> None:
    first, second, recheck = read_spreadsheet(DATA / "long_lab_export.csv").drafts
    assert first.results["hba1c"].remark == "IFCC"
    assert first.name == "张伟"
    assert second.findings["ecg"] == FindingsDraft(("sinus_bradycardia",), "心率52次/分")
    assert recheck.results["glu"].remark == "复查"


def test_long_bad_inputs_are_each_reported_where_they_are() -> None:
    result = read_spreadsheet(DATA / "long_bad_inputs.csv")
    assert [(e.row, e.field, e.value, e.reason_code) for e in result.errors] == [
        (2, "项目名称", "骨密度", ReasonCode.UNKNOWN_ANALYTE),
        (3, "单位", "mg/dL", ReasonCode.UNIT_NOT_CONVERTIBLE),
        (4, "项目名称", "空腹血糖", ReasonCode.DUPLICATE_IN_FILE),
        (5, "项目名称", "GLU", ReasonCode.DUPLICATE_IN_FILE),
        (6, "结果", "30", ReasonCode.IMPLAUSIBLE_VALUE),
        (7, "警号", "", ReasonCode.MISSING_OFFICER),
        (8, "体检日期", "2026-02-30", ReasonCode.MALFORMED_DATE),
        (9, "结果", "positive", ReasonCode.MALFORMED_VALUE),
    ]
    assert result.drafts == ()  # nothing usable is left


def test_unit_inside_the_item_text_is_used_when_the_unit_cell_is_blank() -> None:
    frame = pd.DataFrame(
        {
            "badge": ["A1", "A1"],
            "exam date": ["2026-03-01", "2026-03-01"],
            "item": ["空腹血糖(mg/dL)", "1558-6"],
            "result": ["90", "5.0"],
            "unit": ["", ""],
        }
    )
    result = read_long(frame)
    assert [(e.row, e.reason_code) for e in result.errors] == [
        (2, ReasonCode.DUPLICATE_IN_FILE),
        (3, ReasonCode.DUPLICATE_IN_FILE),
    ]
    single = read_long(frame.iloc[:1])
    assert single.drafts[0].results["glu"].value == pytest.approx(90 / 18.016)


def test_loinc_column_maps_rows_without_an_item_name() -> None:
    frame = pd.DataFrame(
        {
            "警号": ["A1"],
            "体检日期": ["2026-03-01"],
            "LOINC": ["718-7"],
            "项目": [""],
            "结果": ["14.1"],
            "单位": ["g/dL"],
        }
    )
    assert read_long(frame).drafts[0].results["hb"].value == pytest.approx(141.0)


def test_long_sheet_without_a_value_column_is_refused() -> None:
    frame = pd.DataFrame({"警号": ["A1"], "项目": ["GLU"]})
    result = read_long(frame)
    assert [(e.row, e.reason_code) for e in result.errors] == [(1, ReasonCode.MISSING_COLUMN)]
