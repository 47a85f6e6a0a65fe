"""Every result of a checkup graded for display: the value as shown, the interval that applied,
its flag, and for derived values the inputs they came from.

Screening stores only what needs attention; a record shows every result. Both come from the
same engine (``screen_frame`` with ``include_normal``), so the record and the findings agree.
All of an officer's checkups are graded in one column-wise pass, so ten years cost one call.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from health.screening.batch import batch_from_frame
from health.screening.coded import coded_hits
from health.screening.engine import findings_of_hits
from health.screening.finding import Demographics, Finding
from health.screening.grade import grade_all, grade_hits
from health.screening.ruleset import Ruleset
from health.screening.vocabulary import DEFAULT_CODED_FINDINGS


@dataclass(frozen=True, slots=True)
class GradedCheckup:
    """``values``: measured and derived values as shown; ``grades``: one graded finding per
    analyte with a reference rule; ``coded``: coded findings (ECG, imaging, eye), normal too."""

    values: dict[str, float]
    grades: dict[str, Finding]
    coded: tuple[Finding, ...]


def _row(results: Mapping[str, Any], demographics: Demographics) -> dict[str, Any]:
    row: dict[str, Any] = {"sex": demographics.sex, "age": demographics.age}
    for code, value in results.items():
        if code in DEFAULT_CODED_FINDINGS:
            codes = [value] if isinstance(value, str) else list(value or [])
            row[code] = ";".join(str(c) for c in codes) or None
        elif isinstance(value, int | float) and not isinstance(value, bool):
            row[code] = float(value)
    return row


def grade_checkups(
    checkups: Sequence[tuple[Mapping[str, Any], Demographics]], ruleset: Ruleset
) -> list[GradedCheckup]:
    """Grade several checkups (results by code, coded findings as lists) in one pass."""
    if not checkups:
        return []
    frame = pd.DataFrame.from_records([_row(results, demo) for results, demo in checkups])
    batch = batch_from_frame(frame, ruleset)
    # Grades and coded findings only: guideline criteria and changes are screening's business.
    graded_rules = grade_all(ruleset, batch.values, batch.sex, batch.age)
    blocks = [
        *grade_hits(graded_rules, batch, ruleset, include_normal=True),
        *coded_hits(batch, ruleset, include_normal=True),
    ]
    found: dict[int, list[Finding]] = {}
    for row, finding in findings_of_hits(blocks, ruleset):
        found.setdefault(row, []).append(finding)
    graded = []
    for i in range(len(checkups)):
        values = {
            code: float(column[i])
            for code, column in batch.values.items()
            if not math.isnan(float(column[i]))
        }
        findings = found.get(i, [])
        grades = {f.analyte: f for f in findings if f.kind == "grade" and f.analyte is not None}
        coded = tuple(f for f in findings if f.kind == "coded")
        graded.append(GradedCheckup(values, grades, coded))
    return graded


def grade_checkup(
    results: Mapping[str, Any], demographics: Demographics, ruleset: Ruleset
) -> GradedCheckup:
    """Grade one checkup."""
    (graded,) = grade_checkups([(results, demographics)], ruleset)
    return graded
