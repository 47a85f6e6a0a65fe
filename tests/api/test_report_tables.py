"""Figure tables as downloads: CSV through the service's one writer, XLSX text kept as text, so
neither file hands a spreadsheet a formula."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from api.reports.tables import to_csv, to_xlsx

HOSTILE = '=HYPERLINK("http://x","y")'


def test_csv_quotes_a_formula_keeps_numbers_and_writes_missing_as_empty() -> None:
    data = to_csv(["a", "b", "c"], [{"a": HOSTILE, "b": -1.5, "c": None}])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["a", "b", "c"], ["'" + HOSTILE, "-1.5", ""]]


def test_xlsx_stores_a_formula_looking_text_as_text() -> None:
    data = to_xlsx("figures", ["a", "b"], [{"a": HOSTILE, "b": 0.25}])
    sheet = load_workbook(io.BytesIO(data)).active
    cell = sheet["A2"]
    assert cell.data_type == "s" and cell.value == HOSTILE
    assert sheet["B2"].value == 0.25
