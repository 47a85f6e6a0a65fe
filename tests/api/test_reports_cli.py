"""`officer-health report` stores the force health analysis and the units' appraisal beside
the unit figures."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from databases import Opened
from sqlalchemy import select

from models.tables_reports import AnalysisReport

CLI = str(Path(__file__).resolve().parents[2] / ".venv" / "bin" / "officer-health")


@pytest.mark.slow
def test_report_command_stores_the_analysis_for_every_unit(
    fresh_url: Callable[[], str], tmp_path: Path, opened: Opened
) -> None:
    url = fresh_url()
    env = {**os.environ, "OH_DATABASE_URL": url, "OH_VAR_DIR": str(tmp_path / "var")}

    def run(*args: str) -> str:
        done = subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout + done.stderr

    run("demo", "--officers-per-station", "2", "--years", "2")
    year = datetime.now(UTC).year
    out = run("report", "--year", str(year))
    assert f"{year}: health analysis for 10 units stored" in out
    assert f"{year}: appraisal scores for 10 units stored" in out
    with opened.sessions(url)() as session:
        rows = session.scalars(select(AnalysisReport).where(AnalysisReport.year == year)).all()
    assert len(rows) == 10
    # Two officers per station: every station's own cells are too small to show.
    assert all('"cases": null' in r.cells or '"n": 0' in r.cells for r in rows)
