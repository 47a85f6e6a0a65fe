"""XLSX uploads, built here with openpyxl the way Excel stores them (dates, numbers, titles)."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from health.ingest import ReasonCode, read_spreadsheet

DATA = Path(__file__).resolve().parents[2] / "data" / "checkups"


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def session_xlsx() -> bytes:
    return _xlsx(
        [
            ["2026年度民警健康体检结果"],  # title row (one cell): skipped, numbering kept
            ["警号", "体检日期", "性别", "空腹血糖(mmol/L)", "收缩压(mmHg)", "尿蛋白", "心电图"],
            [110101, datetime(2026, 3, 1), "男", 5.6, 128, "-", "窦性心律"],
            ["110102", "2026/3/2", "女", 6.1, 400, "+", "房颤"],
            ["110103", 46082, "M", "abc", 118, "±", None],  # Excel serial date 46082
        ]
    )


def test_xlsx_is_detected_by_content_not_name(session_xlsx: bytes) -> None:
    assert read_spreadsheet(session_xlsx, "upload.bin").layout == "wide"


def test_xlsx_cells_keep_their_types(session_xlsx: bytes) -> None:
    result = read_spreadsheet(session_xlsx, "session.xlsx")
    first, second, third = result.drafts
    assert first.badge_number == "110101"  # a numeric cell, without ".0"
    assert first.exam_date == date(2026, 3, 1)  # an Excel date cell
    assert second.exam_date == date(2026, 3, 2)
    assert third.exam_date == date(2026, 3, 1)  # serial 46082 = 2026-03-01 (1900 system)
    assert first.results["glu"].value == 5.6
    assert first.results["glu"].value_original == "5.6"
    assert first.results["sbp"].value_original == "128"
    assert second.findings["ecg"].codes == ("atrial_fibrillation",)
    assert third.results["u_pro"].value == 1


def test_xlsx_errors_use_worksheet_row_numbers(session_xlsx: bytes) -> None:
    result = read_spreadsheet(session_xlsx, "session.xlsx")
    assert [(e.row, e.field, e.value, e.reason_code) for e in result.errors] == [
        (4, "收缩压(mmHg)", "400", ReasonCode.IMPLAUSIBLE_VALUE),
        (5, "空腹血糖(mmol/L)", "abc", ReasonCode.MALFORMED_VALUE),
    ]
    assert [d.source_rows for d in result.drafts] == [(3,), (4,), (5,)]


def test_xlsx_of_the_csv_sample_gives_the_same_drafts() -> None:
    csv_path = DATA / "wide_session_utf8.csv"
    lines = [line.split(",") for line in csv_path.read_text("utf-8").splitlines()]
    result = read_spreadsheet(_xlsx([list(line) for line in lines]), "session.xlsx")
    assert result.errors == ()
    assert result.drafts == read_spreadsheet(csv_path).drafts


def test_damaged_xlsx_is_a_file_error() -> None:
    result = read_spreadsheet(b"PK\x03\x04 not really a zip", "x.xlsx")
    assert [e.reason_code for e in result.errors] == [ReasonCode.MALFORMED_FILE]
