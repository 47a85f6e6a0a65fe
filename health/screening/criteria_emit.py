"""Shared plumbing for the guideline criteria: an emitter that skips disabled criteria."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from health.rules._arrays import BoolArray, FloatArray, ObjectArray
from health.screening.criterion_ids import CRITERIA
from health.screening.finding import FindingKind
from health.screening.hits import Column, Hits, Text, make_hits
from health.screening.ruleset import Ruleset


class Emitter:
    """Collects blocks for enabled criteria, filling family, advice and kind defaults."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self.blocks: list[Hits] = []

    def __call__(
        self,
        rule_id: str,
        mask: BoolArray,
        *,
        severity: Text,
        interpretation: Text,
        category: Text,
        threshold: Text,
        source: str,
        inputs: Sequence[tuple[str, Column]],
        kind: FindingKind = "criterion",
    ) -> None:
        advice = self.ruleset.criterion_advice(rule_id)
        if advice is None:
            return
        hits = make_hits(
            rule_id=rule_id,
            kind=kind,
            family=CRITERIA[rule_id],
            analyte=None,
            mask=mask,
            severity=severity,
            interpretation=interpretation,
            category=category,
            threshold=threshold,
            source=source,
            advice=advice,
            inputs=inputs,
        )
        if hits is not None:
            self.blocks.append(hits)


def flag(mask: BoolArray) -> FloatArray:
    """A boolean as 1.0/0.0, for the inputs of a finding."""
    return mask.astype(np.float64)


def pick(condition: BoolArray, yes: str, no: str) -> ObjectArray:
    """Per-row choice between two texts (a gather from a two-entry table: no string array)."""
    table: ObjectArray = np.array([no, yes], dtype=object)
    chosen: ObjectArray = table[np.asarray(condition, dtype=bool).astype(np.intp)]
    return chosen
