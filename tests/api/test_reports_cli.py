"""`officer-health report` stores the force health analysis and the units' appraisal beside
the unit figures."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from databases import Opened
from operator_cli import Cli
from sqlalchemy import select

from models.tables_reports import AnalysisReport


@pytest.mark.slow
def test_report_command_stores_the_analysis_for_every_unit(
    demo_copy: tuple[str, Path], opened: Opened
) -> None:
    url, var = demo_copy  # the demo force: 2 officers per station, 2 years
    run = Cli(url, var)
    year = datetime.now(UTC).year
    out = run("report", "--year", str(year))
    assert f"{year}: health analysis for 10 units stored" in out
    assert f"{year}: appraisal scores for 10 units stored" in out
    with opened.sessions(url)() as session:
        rows = session.scalars(select(AnalysisReport).where(AnalysisReport.year == year)).all()
    assert len(rows) == 10
    # Two officers per station: every station's own cells are too small to show.
    assert all('"cases": null' in r.cells or '"n": 0' in r.cells for r in rows)


@pytest.mark.slow
def test_report_command_prints_a_session_batch_and_a_unit_analysis_as_private_pdfs(
    demo_copy: tuple[str, Path], tmp_path: Path
) -> None:
    from datetime import date

    from api.runtime import start
    from health.services import checkups, schedules
    from health.services.context import SYSTEM, Ctx
    from health.settings import Settings
    from models.tables import Officer, Unit

    url, var = demo_copy  # the demo force: 2 officers per station, 2 years
    run = Cli(url, var)
    rt = start(Settings(var_dir=var, database_url=url, password_profile="fast-insecure"))
    today = datetime.now(UTC).date()
    with rt.sessions.begin() as session:
        ctx = Ctx(session, rt.vault, SYSTEM)
        station = session.scalars(select(Unit).where(Unit.kind == "station")).first()
        assert station is not None
        force_id = session.scalars(select(Unit.id).where(Unit.kind == "force")).one()
        people = list(session.scalars(select(Officer.id).where(Officer.unit_id == station.id)))
        planned = schedules.create_session(ctx, station.id, today, 10, "clinic")
        schedules.book(ctx, planned.id, people[:2])
        for officer_id in people[:2]:
            checkups.submit(ctx, officer_id, date.fromordinal(today.toordinal()), {"sbp": 133})
    rt.engine.dispose()

    batch = tmp_path / "session.pdf"
    out = run("report", "--session", str(planned.id), "--lang", "en", "--out", str(batch))
    assert "2 officer reports written" in out
    assert batch.stat().st_mode & 0o777 == 0o600
    text = subprocess.run(
        ["pdftotext", str(batch), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert text.count("Annual health checkup report") == 2

    printed = tmp_path / "analysis.pdf"
    year = today.year
    run("report", "--analysis", str(force_id), "--year", str(year), "--out", str(printed))
    assert printed.stat().st_mode & 0o777 == 0o600
    text = subprocess.run(
        ["pdftotext", str(printed), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "年度民警健康状况分析报告" in text and str(year) in text
