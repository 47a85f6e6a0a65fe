"""Every cell of the force analysis recomputed independently with plain pandas from raw rows:
counts per unit (own and subtree), sex and age band; crude rates with the Wilson interval
written out; the directly standardised rate and its Fay–Feuer interval in the paper's
chi-square form; and the suppression rules checked cell by cell and equation by equation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2

from health.reports.conditions import CONDITIONS
from health.reports.prevalence import AGE_GROUPS, GROUPS, SEX_GROUPS, prevalence
from health.reports.standard_population import WHO_2000_2025

MIN_CELL = 5
UNITS = pd.DataFrame(
    {
        "id": ["F", "A", "B", "A1", "A2", "B1", "B2"],
        "parent_id": [None, "F", "F", "A", "A", "B", "B"],
        "path": ["F/", "F/A/", "F/B/", "F/A/A1/", "F/A/A2/", "F/B/B1/", "F/B/B2/"],
    }
)
PATHS = dict(zip(UNITS["id"], UNITS["path"], strict=True))
# Band weights written out from the WHO 2000–2025 table: 18–29 takes 2/5 of 15–19.
WEIGHTS = {
    "18-29": 8470 * 0.4 + 8220 + 7930,
    "30-39": 7610 + 7150,
    "40-49": 6590 + 6040,
    "50-59": 5370 + 4550,
    "60+": 3720 + 2960 + 2210 + 1520 + 910 + 440 + 150 + 40 + 5,
}


def _force(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = 900
    people = pd.DataFrame(
        {
            # B2 holds exactly one officer: a unit of one.
            "unit_id": rng.choice(["A", "A1", "A2", "B1"], n, p=[0.1, 0.4, 0.35, 0.15]),
            "sex": rng.choice(["M", "F"], n, p=[0.75, 0.25]),
            "age": rng.integers(18, 66, n),
        }
    )
    people.loc[0, "unit_id"] = "B2"
    for i, condition in enumerate(CONDITIONS):
        share = 0.04 + 0.05 * i
        values = pd.array(rng.random(n) < share, dtype="boolean")
        values[rng.random(n) < 0.1] = pd.NA
        people[condition.code] = values
    return people


def _band(age: int) -> str:
    for low, high, name in (
        (18, 29, "18-29"),
        (30, 39, "30-39"),
        (40, 49, "40-49"),
        (50, 59, "50-59"),
    ):
        if low <= age <= high:
            return name
    return "60+" if age >= 60 else "other"


def _members(people: pd.DataFrame, unit: str, scope: str, group: str) -> pd.DataFrame:
    if scope == "unit":
        chosen = people[people["unit_id"] == unit]
    else:
        inside = [u for u, p in PATHS.items() if p.startswith(PATHS[unit])]
        chosen = people[people["unit_id"].isin(inside)]
    if group.startswith("sex:"):
        chosen = chosen[chosen["sex"] == group[4:]]
    elif group.startswith("age:"):
        chosen = chosen[chosen["age"].map(_band) == group[4:]]
    return chosen


def _wilson(x: int, n: int) -> tuple[float, float]:
    z = 1.959963984540054
    p = x / n
    centre = (2 * n * p + z * z) / (2 * (n + z * z))
    half = z * math.sqrt(z * z + 4 * n * p * (1 - p)) / (2 * (n + z * z))
    return max(0.0, centre - half), min(1.0, centre + half)


def _fay_feuer(x: list[int], n: list[int], weights: list[float]) -> tuple[float, float, float]:
    kept = [(xi, ni, wi) for xi, ni, wi in zip(x, n, weights, strict=True) if ni > 0]
    total = sum(w for _, _, w in kept)
    w = [wi / total / ni for _, ni, wi in kept]
    y = sum(wi * xi for wi, (xi, _, _) in zip(w, kept, strict=True))
    v = sum(wi * wi * xi for wi, (xi, _, _) in zip(w, kept, strict=True))
    wm = max(w)
    low = 0.0 if y == 0 else v / (2 * y) * chi2.ppf(0.025, 2 * y * y / v)
    vu, yu = v + wm * wm, y + wm
    high = vu / (2 * yu) * chi2.ppf(0.975, 2 * yu * yu / vu)
    return y, low, min(high, 1.0)


@pytest.fixture(scope="module")
def computed() -> tuple[pd.DataFrame, pd.DataFrame]:
    people = _force(11)
    return people, prevalence(UNITS, people, min_cell=MIN_CELL)


def test_the_table_has_every_cell_once(computed: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    _, table = computed
    assert len(table) == len(UNITS) * 2 * len(GROUPS) * len(CONDITIONS)
    assert not table.duplicated(["unit_id", "scope", "group", "condition"]).any()


def test_counts_crude_rates_and_wilson_intervals_match_plain_pandas(
    computed: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    people, table = computed
    for row in table.itertuples():
        members = _members(people, row.unit_id, row.scope, row.group)[row.condition].dropna()
        n, x = len(members), int(members.astype(bool).sum())
        if pd.isna(row.n):
            assert row.suppressed, row
        else:
            assert row.n == n, row
        total = len(_members(people, row.unit_id, row.scope, "all")[row.condition].dropna())
        if 0 < n < MIN_CELL or 0 < total < MIN_CELL:
            assert pd.isna(row.n), row
        if row.suppressed:
            assert pd.isna(row.cases) and math.isnan(row.crude) and math.isnan(row.crude_low)
            continue
        assert row.cases == x
        if n == 0:
            assert math.isnan(row.crude)
            continue
        low, high = _wilson(x, n)
        assert row.crude == pytest.approx(x / n, abs=1e-12)
        assert (row.crude_low, row.crude_high) == (
            pytest.approx(low, abs=1e-9),
            pytest.approx(high, abs=1e-9),
        )


def test_suppression_hides_small_cells_and_every_equation_hides_none_or_two(
    computed: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    people, table = computed
    hidden = {(r.unit_id, r.scope, r.group, r.condition): r.suppressed for r in table.itertuples()}
    size_hidden = {
        (r.unit_id, r.scope, r.group, r.condition): pd.isna(r.n) for r in table.itertuples()
    }
    for row in table.itertuples():
        members = _members(people, row.unit_id, row.scope, row.group)[row.condition].dropna()
        x, rest = int(members.astype(bool).sum()), int((~members.astype(bool)).sum())
        if 0 < x < MIN_CELL or 0 < rest < MIN_CELL:
            assert row.suppressed, row
    assert any(hidden.values())
    children = {u: list(UNITS.loc[UNITS["parent_id"] == u, "id"]) for u in UNITS["id"]}
    for condition in (c.code for c in CONDITIONS):
        equations = []
        for unit, kids in children.items():
            for group in GROUPS:
                equations.append(
                    [(unit, "subtree", group), (unit, "unit", group)]
                    + [(k, "subtree", group) for k in kids]
                )
            for scope in ("unit", "subtree"):
                equations.append([(unit, scope, "all")] + [(unit, scope, g) for g in SEX_GROUPS])
                equations.append([(unit, scope, "all")] + [(unit, scope, g) for g in AGE_GROUPS])
        for cells in equations:
            count = sum(hidden[(*cell, condition)] for cell in cells)
            assert count != 1, (condition, cells)
            count = sum(size_hidden[(*cell, condition)] for cell in cells)
            assert count != 1, ("n", condition, cells)
    assert any(size_hidden.values())


def test_unit_of_one_shows_no_count_and_no_rate(
    computed: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    people, table = computed
    own = table[(table["unit_id"] == "B2") & (table["scope"] == "unit")]
    assert len(own) == len(GROUPS) * len(CONDITIONS)
    one = people[people["unit_id"] == "B2"].iloc[0]
    examined = [c.code for c in CONDITIONS if not pd.isna(one[c.code])]
    assert examined
    # Neither the officer's sex nor age band can be read from any count: every examined count
    # of a condition the officer was examined for is hidden, zeros included.
    mine = own[own["condition"].isin(examined)]
    assert mine["n"].isna().all() and mine["suppressed"].all()
    assert (own.loc[~own["condition"].isin(examined), "n"] == 0).all()
    assert mine["cases"].isna().all() and mine["crude"].isna().all()
    assert own["standardised"].isna().all()


def test_age_standardised_rates_and_fay_feuer_intervals_match_the_paper_formula(
    computed: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    people, table = computed
    checked = 0
    for row in table[table["group"] == "all"].itertuples():
        bands = table[
            (table["unit_id"] == row.unit_id)
            & (table["scope"] == row.scope)
            & (table["condition"] == row.condition)
            & table["group"].isin([f"age:{b}" for b in WEIGHTS])
        ]
        if row.suppressed or bands["suppressed"].any() or row.n == 0:
            assert math.isnan(row.standardised)
            continue
        members = _members(people, row.unit_id, row.scope, "all")
        x, n = [], []
        for band in WEIGHTS:
            inband = members[members["age"].map(_band) == band][row.condition].dropna()
            x.append(int(inband.astype(bool).sum()))
            n.append(len(inband))
        rate, low, high = _fay_feuer(x, n, list(WEIGHTS.values()))
        assert row.standardised == pytest.approx(rate, rel=1e-9)
        assert row.standardised_low == pytest.approx(low, rel=1e-6, abs=1e-12)
        assert row.standardised_high == pytest.approx(high, rel=1e-6)
        checked += 1
    assert checked >= 10
    assert table.loc[table["group"] != "all", "standardised"].isna().all()


def test_who_standard_weights_are_the_published_table() -> None:
    # Ahmad et al. 2001, Table 4: 20–24 is 8.22 %, 60–64 3.72 %, 100+ 0.005 %.
    assert (WHO_2000_2025["20-24"], WHO_2000_2025["60-64"], WHO_2000_2025["100+"]) == (
        8220,
        3720,
        5,
    )
