"""The blank CSV template: readable by our own reader, one column per measured analyte."""

from __future__ import annotations

import csv
import io

from health.catalog import ValueKind, load_catalog
from health.ingest import read_spreadsheet, template, template_filename


def _headers() -> list[str]:
    data = template()
    assert data.startswith(b"\xef\xbb\xbf")  # BOM, so Excel shows the Chinese headers
    return next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_template_starts_with_identity_columns() -> None:
    assert _headers()[:3] == ["警号 Badge number", "人员ID Officer ID", "体检日期 Exam date"]


def test_template_has_every_measured_analyte_with_zh_en_and_unit() -> None:
    headers = _headers()
    catalog = load_catalog()
    assert "空腹血糖 Fasting plasma glucose (mmol/L)" in headers
    assert "尿蛋白 Urine protein (dipstick)" in headers
    assert "心电图 Electrocardiogram" in headers
    matched = {m.analyte.code for h in headers if (m := catalog.match_header(h)) is not None}
    expected = {a.code for a in catalog if not a.derived}
    assert matched == expected
    for header in headers:
        match = catalog.match_header(header)
        if match is not None and match.analyte.kind is ValueKind.QUANTITY:
            assert match.unit == match.analyte.unit


def test_template_reads_back_without_errors() -> None:
    result = read_spreadsheet(template(), "template.csv")
    assert (result.errors, result.drafts, result.layout) == ((), (), "wide")


def test_filled_template_row_makes_a_draft() -> None:
    headers = _headers()
    row = dict.fromkeys(headers, "")
    row["警号 Badge number"] = "110101"
    row["体检日期 Exam date"] = "2026-03-01"
    row["收缩压 Systolic blood pressure (mm[Hg])"] = "121"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=headers)
    writer.writeheader()
    writer.writerow(row)
    result = read_spreadsheet(buffer.getvalue().encode(), "filled.csv")
    assert result.errors == ()
    assert result.drafts[0].results["sbp"].value == 121.0


def test_template_filename_carries_the_catalog_version() -> None:
    assert template_filename() == "officer-health-checkup-template-2026.2.csv"
