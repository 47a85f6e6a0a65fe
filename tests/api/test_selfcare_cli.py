"""The self-care commands: equipment reminders and a training import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from operator_cli import Cli


@pytest.mark.slow
def test_selfcare_remind_and_training_import_preview(
    fresh_url: Callable[[], str], tmp_path: Path
) -> None:
    cli = Cli(fresh_url(), tmp_path / "var")
    assert "0 equipment reminders queued" in cli("selfcare", "remind")
    sheet = tmp_path / "training.csv"
    sheet.write_text("badge_number,course,attended_on\nNOBODY01,cpr,2026-02-30\n", encoding="utf-8")
    out = cli("selfcare", "training-import", str(sheet), "--dry-run")
    assert "row 2, attended_on: not a date" in out
    assert "NOBODY01" not in out
    assert "preview: 1 rows, 0 stored" in out
    assert "refused" in cli("selfcare", "training-import", str(sheet), expect=1)
