"""Wide CSV sessions (one row per officer) in UTF-8, UTF-8 with BOM and GB18030."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from health.ingest import CheckupDraft, FindingsDraft, read_spreadsheet, read_wide

DATA = Path(__file__).resolve().parents[2] / "data" / "checkups"
UTF8 = DATA / "wide_session_utf8.csv"
GB18030 = DATA / "wide_session_gb18030.csv"


def _by_badge(drafts: tuple[CheckupDraft, ...]) -> dict[str | None, CheckupDraft]:
    return {d.badge_number: d for d in drafts}


def test_gb18030_sample_is_really_not_utf8() -> None:
    with pytest.raises(UnicodeDecodeError):
        GB18030.read_bytes().decode("utf-8")


@pytest.mark.parametrize(
    "data",
    [
        UTF8.read_bytes(),
        b"\xef\xbb\xbf" + UTF8.read_bytes(),  # Excel's "CSV UTF-8" adds a byte-order mark
        GB18030.read_bytes(),
    ],
    ids=["utf8", "utf8-bom", "gb18030"],
)
def test_wide_session_reads_the_same_in_every_encoding(data: bytes) -> None:
    result = read_spreadsheet(data, "session.csv")
    assert result.layout == "wide"
    assert result.errors == ()
    assert result.rows_read == 3
    assert result.drafts == read_spreadsheet(UTF8).drafts
    assert [d.source_rows for d in result.drafts] == [(2,), (3,), (4,)]


def test_wide_session_identity_columns() -> None:
    drafts = _by_badge(read_spreadsheet(UTF8).drafts)
    assert set(drafts) == {"110101", "110102", "110103"}
    first, second, third = drafts["110101"], drafts["110102"], drafts["110103"]
    assert (first.name, first.sex, first.birth_date) == ("张伟", "male", date(1980, 5, 12))
    assert (second.sex, second.birth_date) == ("female", date(1988, 11, 3))  # 1988/11/3
    assert third.birth_date == date(1975, 1, 20)  # 19750120
    assert {d.exam_date for d in drafts.values()} == {date(2026, 3, 1)}  # three date spellings


@pytest.mark.parametrize(
    ("badge", "code", "value"),
    [
        ("110101", "height", 175.5),
        ("110101", "sbp", 138.0),
        ("110101", "wbc", 6.5),
        ("110101", "tbil", 15.2),
        ("110101", "hdl", 1.05),
        ("110101", "hba1c", 6.1),
        ("110101", "u_bld", 1),  # "±"
        ("110102", "u_pro", 0),  # "阴性"
        ("110103", "u_pro", 2),  # "+"
        ("110103", "u_glu", 3),  # "++"
        ("110103", "glu", 7.4),
    ],
)
def test_wide_session_result_values(badge: str, code: str, value: float) -> None:
    result = _by_badge(read_spreadsheet(UTF8).drafts)[badge].results[code]
    assert result.value == value


def test_wide_session_keeps_what_was_uploaded() -> None:
    result = _by_badge(read_spreadsheet(UTF8).drafts)["110101"].results["creat"]
    assert (result.unit_original, result.value_original) == ("μmol/L", "88")


def test_wide_session_findings_and_remarks() -> None:
    drafts = _by_badge(read_spreadsheet(UTF8).drafts)
    assert drafts["110101"].findings["ecg"] == FindingsDraft(("normal",))
    assert drafts["110102"].findings["ecg"] == FindingsDraft(("sinus_bradycardia",), "心率52次/分")
    assert drafts["110103"].findings["ecg"] == FindingsDraft(("st_t_change",), "建议心内科随访")
    assert drafts["110103"].findings["us_abd"].codes == ("fatty_liver_moderate", "gallstone")


def test_read_wide_accepts_a_dataframe_and_converts_units() -> None:
    frame = pd.DataFrame(
        {
            "警号": ["A1", "A2"],
            "体检日期": ["2026-03-01", "2026-03-02"],
            "GLU (mg/dL)": ["100", "126"],
            "HbA1c (mmol/mol)": ["48", ""],
            "Cr (mg/dL)": ["1.0", "0.8"],
        }
    )
    result = read_wide(frame)
    assert result.errors == ()
    first, second = result.drafts
    assert first.results["glu"].value == pytest.approx(100 / 18.016)  # glucose 180.16 g/mol
    assert second.results["glu"].value == pytest.approx(126 / 18.016)
    assert first.results["hba1c"].value == pytest.approx(0.09148 * 48 + 2.152)  # NGSP/IFCC
    assert "hba1c" not in second.results  # blank cell: no result, no error
    assert second.results["creat"].value == pytest.approx(0.8 * 10_000 / 113.12)


def test_exam_date_given_for_the_upload_fills_a_missing_column() -> None:
    frame = pd.DataFrame({"badge": ["A1"], "sbp": ["120"]})
    result = read_wide(frame, exam_date=date(2026, 4, 2))
    assert result.errors == ()
    assert result.drafts[0].exam_date == date(2026, 4, 2)


def test_lab_flags_after_a_number_are_tolerated() -> None:
    frame = pd.DataFrame(
        {
            "警号": ["A1", "A2", "A3"],
            "体检日期": ["2026-03-01"] * 3,
            "TG": ["2.3↑", "0.4 L", "1.7H"],
        }
    )
    result = read_wide(frame)
    assert result.errors == ()
    assert [d.results["tg"].value for d in result.drafts] == [2.3, 0.4, 1.7]
    assert result.drafts[0].results["tg"].value_original == "2.3↑"


def test_officer_id_column_names_the_officer_without_badge() -> None:
    frame = pd.DataFrame({"officer_id": ["7d4c"], "exam_date": ["2026-03-01"], "hb": ["140"]})
    draft = read_wide(frame).drafts[0]
    assert (draft.badge_number, draft.officer_id) == (None, "7d4c")


def test_repr_of_a_draft_shows_no_identity_or_values() -> None:
    draft = _by_badge(read_spreadsheet(UTF8).drafts)["110101"]
    text = repr(draft)
    for secret in ("110101", "张伟", "1980", "175.5", "ST-T"):
        assert secret not in text
    assert "2026" in text
