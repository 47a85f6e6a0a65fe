"""Printed reports from the pages: the officer downloads their own report, the medic an
officer's, the manager the unit's analysis; each in the page's language, linked from the page
it belongs to, and holding nobody else's name or badge."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from webclient import signed_in
from world import World


def _text(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "page.pdf"
        path.write_bytes(pdf)
        done = subprocess.run(
            ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
        )
    return done.stdout


def test_officer_medic_and_manager_download_their_pdf_from_the_pages(world: World) -> None:
    officer = signed_in(world, "officer")
    assert 'href="/me/report.pdf"' in officer.get("/me").text
    for language, title in (("en", "Annual health checkup report"), ("zh_CN", "年度健康体检报告")):
        officer.get(f"/lang/{language}")
        answer = officer.get("/me/report.pdf")
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "application/pdf"
        assert answer.headers["cache-control"] == "no-store"
        text = _text(answer.content)
        assert title in text and world.names[world.own] in text
        for other in (world.in_scope, world.out_of_scope, world.emergency_target):
            assert world.names[other] not in text and world.badges[other] not in text

    medic = signed_in(world, "medic")
    assert (
        f'href="/officers/{world.in_scope}/report.pdf"'
        in medic.get(f"/officers/{world.in_scope}").text
    )
    text = _text(medic.get(f"/officers/{world.in_scope}/report.pdf").content)
    assert world.names[world.in_scope] in text and world.names[world.own] not in text

    manager = signed_in(world, "unit_manager")
    unit = world.units[world.in_scope]
    page = manager.get(f"/units/{unit}/figures?year=2026").text
    assert f'href="/units/{unit}/analysis.pdf?year=2026"' in page
    answer = manager.get(f"/units/{unit}/analysis.pdf?year=2026")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    text = _text(answer.content)
    # Stations of one officer each: aggregates only, no name, badge or measured value.
    for other in world.names:
        assert world.names[other] not in text and world.badges[other] not in text
    assert "151" not in text and "7.31" not in text
