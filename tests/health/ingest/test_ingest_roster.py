"""Reading a unit roster: Chinese or English headers, each bad cell named by its header."""

from __future__ import annotations

from datetime import date

from health.ingest.drafts import ReasonCode
from health.ingest.roster import read_roster
from health.ingest.sheet import load_sheet

TODAY = date(2026, 11, 30)


def _read(text: str):  # type: ignore[no-untyped-def]
    return read_roster(load_sheet(text.encode()), TODAY)


def test_chinese_headers_and_extra_columns_read_clean_rows() -> None:
    sheet = _read(
        "警号,身份证号,姓名,性别,出生日期,单位,职务\n"
        "A001,11010519491231002X,张 伟,男,1949-12-31,B1,科员\n"
        "A002,,李娜,女,1990/1/1,B1,\n"
    )
    assert sheet.errors == []
    first, second = sheet.rows
    assert (first.row, first.badge_number, first.name, first.sex) == (2, "A001", "张 伟", "M")
    assert (first.birth_date, first.unit_code, first.national_id) == (
        date(1949, 12, 31),
        "B1",
        "11010519491231002X",
    )
    assert (second.sex, second.birth_date, second.national_id) == ("F", date(1990, 1, 1), None)


def test_missing_required_column_is_a_file_level_error() -> None:
    sheet = _read("badge_number,name,sex,birth_date\nA1,X,M,1990-01-01\n")
    assert sheet.rows == []
    [error] = sheet.errors
    assert (error.row, error.field, error.reason_code) == (
        1,
        "unit_code",
        ReasonCode.MISSING_COLUMN,
    )


def test_bad_cells_are_named_by_row_header_value_and_reason() -> None:
    sheet = _read(
        "badge,id number,name,gender,dob,unit\n"
        "A1,110105194912310021,One,M,1949-12-31,U\n"
        "A2,,Two,X,1990-01-01,U\n"
        "A1,,Three,F,1990-01-01,U\n"
        "A4,,,F,2015-01-01,U\n"
        "A5,11010519491231002X,Five,F,1950-01-01,U\n"
    )
    assert sheet.rows == []
    found = {(e.row, e.field, e.value, e.reason_code) for e in sheet.errors}
    assert found == {
        (2, "id number", "110105194912310021", ReasonCode.INVALID_NATIONAL_ID),
        (3, "gender", "X", ReasonCode.MALFORMED_VALUE),
        (4, "badge", "A1", ReasonCode.DUPLICATE_IN_FILE),
        (5, "name", "", ReasonCode.MISSING_VALUE),
        (5, "dob", "2015-01-01", ReasonCode.IMPLAUSIBLE_VALUE),  # 11 years old
        (6, "id number", "11010519491231002X", ReasonCode.INVALID_NATIONAL_ID),  # born 1949
    }


def test_age_bounds_are_16_and_100_on_the_day() -> None:
    sheet = _read(
        "badge,name,sex,dob,unit\n"
        "A1,One,M,2010-11-30,U\n"  # 16 today
        "A2,Two,M,2010-12-01,U\n"  # 16 tomorrow
        "A3,Three,M,1926-12-01,U\n"  # 99
        "A4,Four,M,1925-11-30,U\n"  # 101
    )
    assert [r.badge_number for r in sheet.rows] == ["A1", "A3"]
    assert [e.row for e in sheet.errors] == [3, 5]
