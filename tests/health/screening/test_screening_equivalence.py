"""screen_one (JSON path) and screen_frame (column-wise path) give identical findings."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from health.screening.engine import findings_from_frame, screen_frame, screen_one
from health.screening.finding import Demographics
from health.screening.ruleset import default_ruleset
from health.screening.vocabulary import DEFAULT_CODED_FINDINGS, KNOWN_CONDITIONS

RULESET = default_ruleset()


def _edges(analyte: str) -> list[float]:
    """Every cut-off the default ruleset uses for an analyte: the values most likely to differ."""
    out: set[float] = set()
    for rule in RULESET.document.reference_ranges:
        if rule.analyte != analyte:
            continue
        for s in rule.strata:
            out |= {v for v in (s.low, s.high) if v is not None}
            out |= {v for b in s.bands for v in (b.from_, b.to) if v is not None}
        if rule.critical is not None:
            out |= {v for v in (rule.critical.below, rule.critical.above) if v is not None}
    return sorted(out) or [1.0]


NUMERIC = sorted(c for c in RULESET.analyte_units if c not in ("bmi", "egfr", "non_hdl"))
NUMERIC += ["bmi", "egfr"]  # sometimes supplied, sometimes derived


def _value(code: str) -> st.SearchStrategy[float | None]:
    edges = _edges(code)
    top = max(edges) * 1.5 + 10
    return st.one_of(
        st.none(),
        st.sampled_from(edges),
        st.floats(0.0, top, allow_nan=False).map(lambda v: round(v, 2)),
    )


def _codes(modality: str) -> st.SearchStrategy[Any]:
    pool = [*sorted(DEFAULT_CODED_FINDINGS[modality]), "unknown_code"]
    lists = st.lists(st.sampled_from(pool), max_size=3)
    return st.one_of(st.none(), lists, lists.map(";".join))


@st.composite
def checkup(draw: st.DrawFn) -> dict[str, Any]:
    chosen = draw(st.lists(st.sampled_from(NUMERIC), max_size=len(NUMERIC), unique=True))
    values: dict[str, Any] = {code: draw(_value(code)) for code in chosen}
    for modality in DEFAULT_CODED_FINDINGS:
        if draw(st.booleans()):
            values[modality] = draw(_codes(modality))
    previous = None
    if draw(st.booleans()):
        prev_codes = draw(st.lists(st.sampled_from(NUMERIC), max_size=12, unique=True))
        previous = {code: draw(_value(code)) for code in prev_codes}
        if draw(st.booleans()):
            previous["age"] = draw(st.floats(18, 69, allow_nan=False).map(lambda v: round(v, 1)))
    return {
        "values": values,
        "sex": draw(st.sampled_from(["M", "F"])),
        "age": draw(st.floats(18, 70, allow_nan=False).map(lambda v: round(v, 1))),
        "known": draw(st.lists(st.sampled_from(KNOWN_CONDITIONS), max_size=3, unique=True)),
        "previous": previous,
    }


def _frames(rows: list[dict[str, Any]]) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    index = [f"c{i}" for i in range(len(rows))]
    records = [
        {**r["values"], "sex": r["sex"], "age": r["age"], "known_conditions": r["known"] or None}
        for r in rows
    ]
    frame = pd.DataFrame(records, index=index)
    with_previous = [(i, r["previous"]) for i, r in zip(index, rows, strict=True) if r["previous"]]
    if not with_previous:
        return frame, None
    previous = pd.DataFrame([p for _, p in with_previous], index=[i for i, _ in with_previous])
    return frame, previous


def _one(row: dict[str, Any], *, include_normal: bool) -> list[Any]:
    return screen_one(
        row["values"],
        Demographics(row["sex"], row["age"]),
        row["previous"] if row["previous"] else None,
        row["known"],
        RULESET,
        include_normal=include_normal,
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(rows=st.lists(checkup(), min_size=1, max_size=6), include_normal=st.booleans())
def test_screen_frame_matches_screen_one_row_by_row(
    rows: list[dict[str, Any]], include_normal: bool
) -> None:
    frame, previous = _frames(rows)
    result = screen_frame(frame, RULESET, previous, include_normal=include_normal)
    by_key = findings_from_frame(result, RULESET)
    for i, row in enumerate(rows):
        assert by_key.get(f"c{i}", []) == _one(row, include_normal=include_normal)


def test_screen_frame_keeps_row_order_and_index_labels() -> None:
    frame = pd.DataFrame(
        {"sex": ["F", "M"], "age": [30.0, 40.0], "hb": [100.0, math.nan]}, index=[20, 10]
    )
    result = screen_frame(frame, RULESET)
    assert result["key"].tolist() == [20]
    assert str(result["severity"].dtype) == "category"


def test_screen_frame_without_findings_returns_the_columns() -> None:
    result = screen_frame(pd.DataFrame({"sex": ["M"], "age": [40.0], "hb": [150.0]}), RULESET)
    assert result.empty and "rule_id" in result.columns


def test_screen_frame_needs_sex_and_age_columns() -> None:
    with pytest.raises(ValueError, match="'age'"):
        screen_frame(pd.DataFrame({"sex": ["M"]}), RULESET)
