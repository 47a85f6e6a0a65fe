"""One officer's clinical FHIR resources (Observation, DiagnosticReport, Flag, RiskAssessment)
from their opened record: what the read API searches in and the export writes out.

Results are graded as the record grades them (the ruleset version that screened each checkup),
so an Observation carries the interpretation and reference interval the officer and medic see.
The caller has checked access (``record.open_officer``) and audits the read.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from typing import Any, Final

from health.catalog import load_catalog
from health.services import fhir_resources as build
from health.services.context import Ctx
from health.services.record import Opened, graded_across
from health.services.risk_scoring import risk_slot
from ml.equations import EQUATIONS
from models.repositories import risk_scores as risk_repo
from models.tables import Checkup

CLINICAL_TYPES: Final = ("Observation", "DiagnosticReport", "Flag", "RiskAssessment")
_OUTCOMES = {key: (eq.spec.outcome, eq.spec.result_unit) for key, eq in EQUATIONS.items()}


def _facts(checkup: Checkup) -> build.CheckupFacts:
    return build.CheckupFacts(checkup.id, checkup.officer_id, checkup.exam_date, checkup.created_at)


def clinical_resources(
    ctx: Ctx, opened: Sequence[Opened], types: Collection[str] = CLINICAL_TYPES
) -> list[dict[str, Any]]:
    """Every resource of the wanted types for the officers' current checkups, validated; the
    results of all of them graded together (one frame per ruleset version, not per officer)."""
    out: list[dict[str, Any]] = []
    catalog = load_catalog()
    graded = {}
    if "Observation" in types:
        graded = graded_across(ctx, [(o, c) for o in opened for c in o.checkups])
    for officer in opened:
        for checkup in officer.checkups:
            facts = _facts(checkup)
            if checkup.id in graded:
                ruleset, grades = graded[checkup.id]
                for analyte in catalog:
                    if analyte.code in grades.values:
                        made = build.observation(catalog, ruleset, facts, grades, analyte.code)
                        if made is not None:
                            out.append(made)
            if "DiagnosticReport" in types:
                findings = officer.documents[checkup.id].get("findings", {})
                for modality, found in sorted(findings.items()):
                    out.append(build.diagnostic_report(catalog, facts, modality, found))
            stored = officer.screenings.get(checkup.id)
            if "Flag" in types and stored is not None:
                for n, finding in enumerate(stored.findings):
                    out.append(build.flag(checkup.id, n, facts, finding, checkup.created_at))
        if "RiskAssessment" in types:
            out += _risk(ctx, officer)
    return [build.validated(resource) for resource in out]


def _risk(ctx: Ctx, opened: Opened) -> list[dict[str, Any]]:
    rows = risk_repo.current_of_officer(ctx.session, opened.officer_id)
    if not rows:
        return []
    by_id = {c.id: c for c in opened.checkups}
    sealer = ctx.vault.sealer_for(ctx.session, opened.officer_id)
    out = []
    for row in rows:
        checkup = by_id.get(row.checkup_id)
        if checkup is None:
            continue
        document = json.loads(sealer.open(row.document, risk_slot(row.id)))
        out.append(
            build.risk_assessment(
                checkup.id,
                _facts(checkup),
                row.tier,
                row.equations_version,
                document.get("equations", {}),
                _OUTCOMES,
                row.created_at,
            )
        )
    return out
