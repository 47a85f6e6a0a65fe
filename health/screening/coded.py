"""Coded findings (ECG, chest X-ray, abdominal ultrasound, eye): code → rule, by exact match."""

from __future__ import annotations

import numpy as np

from health.screening.batch import Batch
from health.screening.hits import Hits, make_hits
from health.screening.ruleset import Ruleset


def coded_hits(batch: Batch, ruleset: Ruleset, *, include_normal: bool) -> list[Hits]:
    """One block per coded rule that fired; a code listed twice for a checkup counts once."""
    blocks = []
    for rule in ruleset.document.coded:
        if rule.severity == "normal" and not include_normal:
            continue
        rows, codes = batch.coded.get(rule.modality, (np.zeros(0, np.intp), np.zeros(0, object)))
        mask = np.zeros(batch.n, dtype=bool)
        mask[rows[codes == rule.code]] = True
        hits = make_hits(
            rule_id=rule.id,
            kind="coded",
            family=ruleset.family(rule.modality),
            analyte=rule.modality,
            mask=mask,
            severity=rule.severity,
            interpretation=rule.interpretation,
            category=rule.category,
            threshold=f"{rule.modality} finding {rule.code!r}",
            source=ruleset.source_text(rule.source),
            advice=rule.advice,
            inputs=[(rule.modality, rule.code)],
        )
        if hits is not None:
            blocks.append(hits)
    return blocks
