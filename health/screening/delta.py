"""Delta checks against the officer's previous checkup.

Relative rises and falls (e.g. KDIGO 2012 certain drift of eGFR, weight gain) carry the HL7 v3
change codes U/D; a graded result that went normal → abnormal is W (worse), and back is B.
"""

from __future__ import annotations

import numpy as np

from health.rules._arrays import FloatArray
from health.rules.kidney import gfr_category
from health.screening.batch import Batch
from health.screening.grade import GradedRule
from health.screening.hits import Hits, make_hits
from health.screening.ruleset import Ruleset
from health.screening.ruleset_schema import DeltaRule

NORMAL_RANK, ABNORMAL_RANK = 0, 2


def _relative(rule: DeltaRule, current: FloatArray, previous: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        change = (current - previous) / previous
    change = np.where(previous > 0, change, np.nan)
    return change if rule.kind == "rise" else -change


def _change_hits(rule: DeltaRule, batch: Batch, ruleset: Ruleset) -> Hits | None:
    assert rule.analyte is not None and rule.fraction is not None
    a = rule.analyte
    current, previous = batch.value(a), batch.prev(a)
    change = _relative(rule, current, previous)
    with np.errstate(invalid="ignore"):
        mask = change >= rule.fraction if rule.inclusive else change > rule.fraction
    mask &= ~np.isnan(change)
    direction = "rise" if rule.kind == "rise" else "fall"
    sign = "≥" if rule.inclusive else ">"
    threshold = f"{a} {direction} {sign} {rule.fraction * 100:g} % from the previous checkup"
    if rule.require_gfr_category_drop:
        mask &= gfr_category(current) > gfr_category(previous)
        threshold += " and a worse KDIGO GFR category"
    return make_hits(
        rule_id=rule.id,
        kind="delta",
        family=ruleset.family(a),
        analyte=a,
        mask=mask,
        severity=rule.severity,
        interpretation=rule.code,
        category=rule.category,
        threshold=threshold,
        source=ruleset.source_text(rule.source),
        advice=rule.advice,
        inputs=[(a, current), (f"prev.{a}", previous)],
    )


def _transition_hits(
    rule: DeltaRule,
    current: list[GradedRule],
    previous: dict[str, GradedRule],
    batch: Batch,
    ruleset: Ruleset,
) -> list[Hits]:
    blocks = []
    for now in current:
        a = now.rule.analyte
        before = previous.get(a)
        if before is None:
            continue
        rank_now, rank_before = now.rank(), before.rank()
        if rule.kind == "worsened":
            mask = (rank_before == NORMAL_RANK) & (rank_now >= ABNORMAL_RANK)
            threshold = f"{a}: normal at the previous checkup, abnormal now"
        else:
            mask = (rank_before >= ABNORMAL_RANK) & (rank_now == NORMAL_RANK)
            threshold = f"{a}: abnormal at the previous checkup, normal now"
        hits = make_hits(
            rule_id=rule.id,
            kind="delta",
            family=ruleset.family(a),
            analyte=a,
            mask=mask,
            severity=rule.severity,
            interpretation=rule.code,
            category=rule.category,
            threshold=threshold,
            source=ruleset.source_text(rule.source),
            advice=rule.advice,
            inputs=[(a, batch.value(a)), (f"prev.{a}", batch.prev(a))],
        )
        if hits is not None:
            blocks.append(hits)
    return blocks


def delta_hits(
    batch: Batch,
    ruleset: Ruleset,
    current: list[GradedRule],
    previous: list[GradedRule],
) -> list[Hits]:
    """Every delta rule in ruleset order; nothing when there is no previous checkup."""
    if not batch.previous:
        return []
    by_analyte = {g.rule.analyte: g for g in previous}
    blocks: list[Hits] = []
    for rule in ruleset.document.deltas:
        if rule.kind in ("rise", "fall"):
            hits = _change_hits(rule, batch, ruleset)
            if hits is not None:
                blocks.append(hits)
        else:
            blocks += _transition_hits(rule, current, by_analyte, batch, ruleset)
    return blocks
