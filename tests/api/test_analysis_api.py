"""The force health analysis over HTTP for a manager, as JSON, CSV and XLSX: Station A1 holds
one officer, and no figure, export or cell gives away anything about them."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from world import World

# The lone officer's stored values (world.py: checkup of 2026-03-03).
MEASURED = {"151", "151.0", "7.31"}


def test_manager_gets_the_analysis_and_the_unit_of_one_shows_nothing(world: World) -> None:
    manager = world.headers("unit_manager")
    unit_a = world.units[world.in_scope]  # Station A2; its bureau is the manager's scope
    lone_unit = world.units[world.own]  # Station A1: one officer
    answer = world.client.get(f"/api/v1/units/{lone_unit}/analysis?year=2026", headers=manager)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["standard_population"].startswith("WHO World Standard Population 2000")
    lone = [c for c in body["cells"] if c["unit_id"] == str(lone_unit) and c["n"] != 0]
    assert lone, "the lone officer's checkup is counted"
    for cell in lone:
        # Not even how many were examined: a count of one would name the officer's sex and age.
        assert cell["n"] is None
        assert cell["suppressed"] is True
        assert cell["cases"] is None and cell["crude"] is None and cell["standardised"] is None
    assert unit_a != lone_unit

    exported = world.client.get(
        f"/api/v1/units/{lone_unit}/analysis.csv?year=2026", headers=manager
    )
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert len(rows) == len(body["cells"])
    for row in rows:
        assert not MEASURED & set(row.values())
        if row["unit_id"] == str(lone_unit) and row["n"] != "0":
            assert (row["n"], row["cases"], row["crude"]) == ("", "", "")

    book = world.client.get(f"/api/v1/units/{lone_unit}/analysis.xlsx?year=2026", headers=manager)
    assert book.status_code == 200
    sheet = load_workbook(io.BytesIO(book.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("year", "unit_id", "scope")
    assert len(values) == len(body["cells"]) + 1
    assert not any(v in (151, 7.31) for line in values for v in line)
