"""The store's own history as a training frame: one row per officer and checkup year.

Opening every officer's checkups is a read of health data, so each officer read is audited
(purpose ``model_training``). Officers are numbered in the frame, never named or identified.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pandas as pd

from health.services import access, audit
from health.services.context import Ctx
from health.services.officers import personal_slot
from health.services.sealed import open_document
from health.vocabulary import Action
from models.repositories import checkups as checkups_repo
from models.repositories import officers as officers_repo

CHUNK = 500


def history(ctx: Ctx) -> pd.DataFrame:
    """Every officer's current checkups (latest per year), results as stored, with age and sex."""
    access.require(ctx, Action.ML_TRAIN)
    ids = officers_repo.live_ids(ctx.session)
    rows: list[dict[str, Any]] = []
    numbers: dict[Any, int] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        officers = officers_repo.by_ids(ctx.session, chunk)
        keys = officers_repo.keys_of(ctx.session, chunk)
        by_officer: dict[Any, list[Any]] = {}
        for checkup in checkups_repo.current_of(ctx.session, chunk):
            by_officer.setdefault(checkup.officer_id, []).append(checkup)
        events: list[audit.EventSpec] = []
        for officer_id, checkups in by_officer.items():
            officer, key = officers.get(officer_id), keys.get(officer_id)
            if officer is None or key is None or officer.personal is None:
                continue
            sealer = ctx.vault.open_key(
                officer_id, key.kek_version, key.dek_version, key.wrapped_dek
            )
            personal = json.loads(sealer.open(officer.personal, personal_slot(officer_id)))
            birth = date.fromisoformat(personal["birth_date"])
            number = len(numbers)
            numbers[officer_id] = number
            latest_per_year = {
                c.exam_date.year: c for c in sorted(checkups, key=lambda c: c.exam_date)
            }
            for year, checkup in latest_per_year.items():
                document = open_document(checkup.id, checkup.results, sealer)
                rows.append(
                    {
                        **document.get("results", {}),
                        "officer": number,
                        "year": year,
                        "age": (checkup.exam_date - birth).days / 365.25,
                        "sex": personal["sex"],
                    }
                )
            events.append(
                audit.EventSpec(
                    "ml.train.read",
                    "officer",
                    str(officer_id),
                    officer_id,
                    purpose="model_training",
                    detail=f"checkups={len(latest_per_year)}",
                )
            )
        audit.record_many(ctx, events)
    return pd.DataFrame.from_records(rows)
