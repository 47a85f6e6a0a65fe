"""The shared CSV writer: no cell of an export can start a formula (OWASP "CSV Injection")."""

from __future__ import annotations

import csv
import io

import pytest

from health.csv_export import write_dicts, write_rows

PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=1+1\n=2+2",
]


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_write_rows_a_formula_cell_is_quoted_with_an_apostrophe(payload: str) -> None:
    (_, (cell,)) = _cells(write_rows(["value"], [[payload]]))
    assert cell.startswith("'")
    assert cell[1:].replace("\\|", "|") == payload


@pytest.mark.parametrize("value", ["-1.5", "12", "plain text", "", "血糖"])
def test_write_rows_numbers_and_text_stay_as_they_are(value: str) -> None:
    assert _cells(write_rows(["value"], [[value]])) == [["value"], [value]]


def test_write_rows_a_formula_header_is_neutralised_too() -> None:
    (header,) = _cells(write_rows(["=cmd()"], []))
    assert header == ["'=cmd()"]


def test_write_dicts_fills_missing_columns_and_drops_extra_keys() -> None:
    text = write_dicts(["a", "b"], [{"a": "+x", "c": "ignored"}], excel_bom=True)
    assert text.startswith("\ufeff")
    assert _cells(text) == [["a", "b"], ["'+x", ""]]
