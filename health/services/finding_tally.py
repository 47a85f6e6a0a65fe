"""What unit figures count of findings, without a clear fact per officer.

A finding's family and severity reveal a condition, so they live only inside the sealed
screening document. Unit figures need "how many officers had an abnormal or critical finding
of family F in year Y", so each current screening adds one ``finding_tally`` row per such
family, keyed by a keyed HMAC of the screening id: a stolen database shows counts per year,
family and severity, never whose finding it was. Holding the key, the service links rows back
to screenings (hence officers and their current units) when it computes figures, and retires
the rows of superseded screenings and erased officers.
"""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd

from health.crypto import Hasher
from health.screening.vocabulary import SEVERITIES
from health.services.context import Ctx
from models.repositories import screenings as screenings_repo
from models.repositories import tallies as tallies_repo

# The findings unit figures count (README "Unit figure definitions"): abnormal or critical.
REPORTED = ("abnormal", "critical")
_RANK: dict[str, int] = {s: i for i, s in enumerate(SEVERITIES)}


class Tokens:
    """HMAC-SHA256 of screening ids under a key derived from the index key (one derivation)."""

    def __init__(self, hasher: Hasher) -> None:
        self._key = hasher.derive_key(b"finding tally")

    def __call__(self, screening_id: uuid.UUID) -> bytes:
        return hmac.digest(self._key, screening_id.bytes, "sha256")


def rows_for(
    tokens: Tokens,
    screening_id: uuid.UUID,
    exam_date: date,
    findings: Iterable[Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """One row per family with a reported finding, at that family's worst severity."""
    worst: dict[str, str] = {}
    for finding in findings:
        severity = finding["severity"]
        if severity not in REPORTED:
            continue
        family = finding["family"]
        if family not in worst or _RANK[severity] > _RANK[worst[family]]:
            worst[family] = severity
    if not worst:
        return []
    token = tokens(screening_id)
    return [
        {"token": token, "family": family, "year": exam_date.year, "severity": severity}
        for family, severity in worst.items()
    ]


def retire(ctx: Ctx, screening_ids: Sequence[uuid.UUID]) -> None:
    """Superseded screenings no longer count."""
    if screening_ids:
        tokens = Tokens(ctx.vault.hasher)
        tallies_repo.remove(ctx.session, [tokens(i) for i in screening_ids])


def retire_officer(ctx: Ctx, officer_id: uuid.UUID) -> None:
    """Erasure: the officer's rows go, so no one holding the key can link them back."""
    screenings = screenings_repo.of_officer(ctx.session, officer_id, include_superseded=True)
    retire(ctx, [s.id for s in screenings])


def officer_findings(ctx: Ctx, since: date) -> pd.DataFrame:
    """(officer_id, exam_date, category): distinct reported finding families of current
    screenings of exams on or after ``since``, as unit figures take them."""
    tokens = Tokens(ctx.vault.hasher)
    screenings = tallies_repo.current_screenings(ctx.session, since)
    by_token = pd.DataFrame.from_records(
        [(tokens(sid), officer, exam) for sid, officer, exam in screenings],
        columns=["token", "officer_id", "exam_date"],
    )
    tallied = pd.DataFrame.from_records(
        tallies_repo.since(ctx.session, since.year, REPORTED), columns=["token", "year", "category"]
    )
    joined = tallied.merge(by_token, on="token")
    joined = joined[pd.to_datetime(joined["exam_date"]) >= pd.Timestamp(since)]
    columns = ["officer_id", "exam_date", "category"]
    return joined[columns].drop_duplicates().reset_index(drop=True)
