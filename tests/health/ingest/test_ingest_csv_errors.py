"""Bad input in spreadsheets is reported at the exact row and column, with a log-safe reason."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from health.ingest import ReasonCode, RowError, read_spreadsheet, read_wide

DATA = Path(__file__).resolve().parents[2] / "data" / "checkups"

WIDE_ERRORS = [
    # (row, column header, value as uploaded, reason code)
    (1, "肌酐(mg/L)", "mg/L", ReasonCode.UNIT_NOT_CONVERTIBLE),
    (1, "骨密度", "骨密度", ReasonCode.UNKNOWN_COLUMN),
    (1, "血型", "血型", ReasonCode.UNKNOWN_COLUMN),
    (2, "警号", "110201", ReasonCode.DUPLICATE_IN_FILE),
    (3, "体检日期", "2026-13-01", ReasonCode.MALFORMED_DATE),
    (4, "警号", "", ReasonCode.MISSING_OFFICER),
    (5, "空腹血糖(mg/dL)", "abc", ReasonCode.MALFORMED_VALUE),
    (6, "收缩压(mmHg)", "400", ReasonCode.IMPLAUSIBLE_VALUE),
    (7, "尿蛋白", "+++++", ReasonCode.MALFORMED_VALUE),
    (8, "警号", "110201", ReasonCode.DUPLICATE_IN_FILE),
    (9, "空腹血糖(mg/dL)", "<70", ReasonCode.MALFORMED_VALUE),
    (10, "体检日期", "", ReasonCode.MALFORMED_DATE),
    (11, "警号", "", ReasonCode.NO_RESULTS),
]


def _located(errors: tuple[RowError, ...]) -> list[tuple[int, str, str, ReasonCode]]:
    return [(e.row, e.field, e.value, e.reason_code) for e in errors]


def test_wide_bad_inputs_are_each_reported_where_they_are() -> None:
    result = read_spreadsheet(DATA / "wide_bad_inputs.csv")
    assert _located(result.errors) == WIDE_ERRORS


def test_wide_bad_inputs_keep_the_good_cells_of_a_row() -> None:
    result = read_spreadsheet(DATA / "wide_bad_inputs.csv")
    drafts = {d.source_rows: d for d in result.drafts}
    assert set(drafts) == {(5,), (6,), (7,), (9,)}
    assert set(drafts[(6,)].results) == {"glu", "u_pro"}  # sbp 400 left out
    assert drafts[(6,)].results["glu"].value == pytest.approx(99 / 18.016)


def test_reasons_never_quote_the_cell_value() -> None:
    result = read_spreadsheet(DATA / "wide_bad_inputs.csv")
    for error in result.errors:
        if error.value and error.row > 1:  # row 1 errors quote headers, which are not data
            assert error.value not in error.reason
            assert error.value not in error.log_message()
            assert error.value not in repr(error)


@pytest.mark.parametrize(
    ("reason_code", "reason"),
    [
        (ReasonCode.MALFORMED_DATE, "exam date is not a date (use YYYY-MM-DD)"),
        (
            ReasonCode.IMPLAUSIBLE_VALUE,
            "outside the physically plausible range 40-300 mm[Hg] of sbp",
        ),
        (ReasonCode.UNIT_NOT_CONVERTIBLE, "unit cannot be converted to umol/L for creat"),
        (ReasonCode.MISSING_OFFICER, "no badge number or officer id"),
    ],
)
def test_reason_sentences(reason_code: ReasonCode, reason: str) -> None:
    result = read_spreadsheet(DATA / "wide_bad_inputs.csv")
    assert reason in {e.reason for e in result.errors if e.reason_code is reason_code}


def test_missing_identity_columns_are_reported_once_against_the_header() -> None:
    frame = pd.DataFrame({"GLU": ["5.6", "5.8"]})
    result = read_wide(frame)
    assert result.drafts == ()
    assert _located(result.errors) == [
        (1, "exam_date", "", ReasonCode.MISSING_COLUMN),
    ]
    result = read_wide(frame.assign(体检日期="2026-03-01"))
    assert _located(result.errors) == [(1, "badge_number", "", ReasonCode.MISSING_COLUMN)]


def test_duplicate_analyte_column_is_refused() -> None:
    frame = pd.DataFrame(
        {"警号": ["A1"], "体检日期": ["2026-03-01"], "GLU": ["5.6"], "空腹血糖": ["5.7"]}
    )
    result = read_wide(frame)
    assert _located(result.errors) == [(1, "空腹血糖", "", ReasonCode.DUPLICATE_COLUMN)]
    assert result.drafts[0].results["glu"].value == 5.6


def test_unit_on_an_ordinal_column_is_refused() -> None:
    frame = pd.DataFrame({"警号": ["A1"], "体检日期": ["2026-03-01"], "尿蛋白(g/L)": ["+"]})
    assert _located(read_wide(frame).errors)[0] == (
        1,
        "尿蛋白(g/L)",
        "g/L",
        ReasonCode.UNIT_NOT_CONVERTIBLE,
    )


def test_remark_without_result_is_reported_on_the_remark_column() -> None:
    frame = pd.DataFrame(
        {
            "警号": ["A1"],
            "体检日期": ["2026-03-01"],
            "心电图": [""],
            "心电图备注": ["未做"],
            "sbp": ["120"],
        }
    )
    assert _located(read_wide(frame).errors) == [
        (2, "心电图备注", "未做", ReasonCode.MALFORMED_VALUE)
    ]


def test_unreadable_file_gives_one_file_error() -> None:
    result = read_spreadsheet(b"\xff\xfe\x00\x01garbage\x80\x81", "x.csv")
    assert result.drafts == ()
    assert [e.reason_code for e in result.errors] == [ReasonCode.MALFORMED_FILE]


def test_ragged_csv_names_the_line() -> None:
    result = read_spreadsheet("警号,GLU\nA1,5.6\nA2,5.7,extra,cells\n".encode(), "x.csv")
    assert [(e.row, e.reason_code) for e in result.errors] == [(3, ReasonCode.MALFORMED_FILE)]


def test_empty_file_is_malformed() -> None:
    result = read_spreadsheet(b"", "x.csv")
    assert [e.reason_code for e in result.errors] == [ReasonCode.MALFORMED_FILE]
