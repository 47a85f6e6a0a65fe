"""Every result of one checkup graded for display: the value as shown, the interval that
applied, its flag, and for derived values the inputs they came from.

Screening stores only what needs attention; a record shows every result. Both come from the
same engine (``screen_one`` with ``include_normal``), so the record and the findings agree.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from health.screening.batch import batch_from_mapping
from health.screening.engine import screen_one
from health.screening.finding import Demographics, Finding
from health.screening.ruleset import Ruleset


@dataclass(frozen=True, slots=True)
class GradedCheckup:
    """``values``: measured and derived values as shown; ``grades``: one graded finding per
    analyte with a reference rule; ``coded``: coded findings (ECG, imaging, eye), normal too."""

    values: dict[str, float]
    grades: dict[str, Finding]
    coded: tuple[Finding, ...]


def grade_checkup(
    results: Mapping[str, Any],
    demographics: Demographics,
    ruleset: Ruleset,
    *,
    known_conditions: Collection[str] = (),
) -> GradedCheckup:
    """Grade one stored checkup's results (numbers by code, coded findings as lists)."""
    batch = batch_from_mapping(results, demographics, None, known_conditions, ruleset)
    values = {
        code: float(column[0]) for code, column in batch.values.items() if not np.isnan(column[0])
    }
    findings = screen_one(
        results, demographics, None, known_conditions, ruleset, include_normal=True
    )
    grades = {f.analyte: f for f in findings if f.kind == "grade" and f.analyte is not None}
    coded = tuple(f for f in findings if f.kind == "coded")
    return GradedCheckup(values, grades, coded)
