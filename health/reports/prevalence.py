"""Prevalence of the analysis conditions by unit (own officers and subtree), sex and age band,
for one year: crude with Wilson intervals, age-standardised with Fay–Feuer intervals, and small
cells suppressed as in the unit figures.

Cells are (unit_id, scope, group, condition) with group ``all``, ``sex:M``, ``sex:F`` or
``age:<band>`` (``age:other`` for officers outside the bands, so margins add up). ``n`` counts
officers examined for the condition in the year (their latest checkup of the year), ``cases``
those meeting its criterion. Suppression (health.followup.suppression): a cell's cases are hidden
when 1 to ``min_cell − 1`` officers have the condition or 1 to ``min_cell − 1`` do not (a cell of
fewer than ``min_cell`` officers therefore never shows), then complementary cells are hidden over
every equation the published counts satisfy: subtree(u) = unit(u) + Σ subtree(child) for each
group, all = M + F and all = Σ age bands for each unit and scope; it runs over the whole force
at once, before any cut to a caller's subtree. ``n`` itself is hidden the same way when 1 to
``min_cell − 1`` officers were examined (a unit of one would otherwise show that officer's sex
and age band), and a cell whose ``n`` is hidden hides its cases as well. Only ``all`` is
age-standardised, and the standardised figure is withheld whenever one of the unit's age-band
cells is hidden (it is a second weighted sum of those cells and would otherwise let them be
solved for).
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from health.followup.metrics import unit_ancestors
from health.followup.suppression import DEFAULT_MIN_CELL, check_min_cell, suppress
from health.reports.conditions import CONDITIONS
from health.reports.intervals import fay_feuer, wilson
from health.reports.standard_population import AGE_BANDS, BAND_WEIGHTS, age_band

SCOPES: Final = ("unit", "subtree")
SEX_GROUPS: Final = ("sex:M", "sex:F")
AGE_GROUPS: Final = (*(f"age:{band}" for band in AGE_BANDS), "age:other")
GROUPS: Final = ("all", *SEX_GROUPS, *AGE_GROUPS)
COLUMNS: Final = (
    "unit_id",
    "scope",
    "group",
    "condition",
    "n",
    "cases",
    "suppressed",
    "crude",
    "crude_low",
    "crude_high",
    "standardised",
    "standardised_low",
    "standardised_high",
)


def _group_codes(people: pd.DataFrame) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Each officer's sex group (0 M, 1 F, -1 other) and age group (index into AGE_GROUPS)."""
    sex = people["sex"].astype(str).to_numpy()
    sex_code = np.where(sex == "M", 0, np.where(sex == "F", 1, -1)).astype(np.int64)
    bands = age_band(people["age"].to_numpy()).fillna("other").to_numpy()
    lookup = {band: i for i, band in enumerate(g[4:] for g in AGE_GROUPS)}
    age_code = np.fromiter((lookup[b] for b in bands), dtype=np.int64, count=len(bands))
    return sex_code, age_code


def _counts(
    units: pd.DataFrame, people: pd.DataFrame, ancestors: pd.DataFrame
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """n and cases as arrays [unit, scope, group, condition], counted once per officer with
    bincount over integer codes, then rolled up the tree unit by unit (not officer by officer)."""
    unit_ids = list(units["id"])
    position = {u: i for i, u in enumerate(unit_ids)}
    n_units, n_groups, n_conditions = len(unit_ids), len(GROUPS), len(CONDITIONS)
    unit_code = people["unit_id"].map(position)
    known = unit_code.notna().to_numpy()
    u = unit_code.to_numpy()[known].astype(np.int64)
    sex_code, age_code = (c[known] for c in _group_codes(people))
    sex_at, age_at = GROUPS.index(SEX_GROUPS[0]), GROUPS.index(AGE_GROUPS[0])
    own_n = np.zeros((n_units, n_groups, n_conditions), dtype=np.int64)
    own_x = np.zeros_like(own_n)
    for c, condition in enumerate(CONDITIONS):
        column = people[condition.code].to_numpy()[known]
        valid = ~pd.isna(column)
        case = np.zeros(len(column), dtype=bool)
        case[valid] = column[valid].astype(bool)
        for target, weights in ((own_n, valid), (own_x, valid & case)):
            w = weights.astype(np.int64)
            target[:, 0, c] = np.bincount(u, weights=w, minlength=n_units)
            male_female = sex_code >= 0
            sexes = np.bincount(
                u[male_female] * 2 + sex_code[male_female],
                weights=w[male_female],
                minlength=n_units * 2,
            ).reshape(n_units, 2)
            target[:, sex_at : sex_at + 2, c] = sexes
            ages = np.bincount(
                u * len(AGE_GROUPS) + age_code, weights=w, minlength=n_units * len(AGE_GROUPS)
            ).reshape(n_units, len(AGE_GROUPS))
            target[:, age_at : age_at + len(AGE_GROUPS), c] = ages
    below = ancestors["unit_id"].map(position).to_numpy(dtype=np.int64)
    above = ancestors["ancestor_id"].map(position).to_numpy(dtype=np.int64)
    n = np.zeros((n_units, len(SCOPES), n_groups, n_conditions), dtype=np.int64)
    x = np.zeros_like(n)
    n[:, 0], x[:, 0] = own_n, own_x
    np.add.at(n[:, 1], above, own_n[below])
    np.add.at(x[:, 1], above, own_x[below])
    return n, x


def _equations(units: pd.DataFrame) -> list[tuple[Any, list[Any]]]:
    children: dict[Any, list[Any]] = {u: [] for u in units["id"]}
    for unit_id, parent_id in zip(units["id"], units["parent_id"], strict=True):
        if not pd.isna(parent_id):
            children[parent_id].append(unit_id)
    equations: list[tuple[Any, list[Any]]] = []
    for unit_id, kids in children.items():
        for group in GROUPS:
            equations.append(
                ((unit_id, "subtree", group), [(unit_id, "unit", group)])
                if not kids
                else (
                    (unit_id, "subtree", group),
                    [(unit_id, "unit", group), *((k, "subtree", group) for k in kids)],
                )
            )
        for scope in SCOPES:
            total = (unit_id, scope, "all")
            equations.append((total, [(unit_id, scope, g) for g in SEX_GROUPS]))
            equations.append((total, [(unit_id, scope, g) for g in AGE_GROUPS]))
    return equations


def _small_groups(keys: list[tuple[Any, str, str]], size: Any, min_cell: int) -> Any:
    """Cells whose examined count is primary-hidden: 1 to ``min_cell − 1`` officers, and every
    sex and age cell of a unit and scope whose total is that small (a zero beside a hidden
    total would otherwise say which group the few officers are not in)."""
    size = np.asarray(size)
    small = (size > 0) & (size < min_cell)
    small_totals = {
        (u, scope) for (u, scope, g), s in zip(keys, small, strict=True) if s and g == "all"
    }
    if small_totals:
        small |= np.fromiter(
            ((u, scope) in small_totals for u, scope, _ in keys), dtype=bool, count=len(keys)
        )
    return small


def _hidden(table: pd.DataFrame, units: pd.DataFrame, min_cell: int) -> tuple[pd.Series, pd.Series]:
    """Per condition, the cells whose examined count is hidden and those whose cases are.

    The examined count ``n`` is suppressed on its own first (1 to ``min_cell − 1`` examined
    officers, then complements over the same equations): otherwise a unit of one officer would
    publish that officer's sex and age band. A cell whose ``n`` is hidden hides its cases too,
    and those enter the cases' suppression as primary, so both counts stay unrecoverable.
    """
    equations = _equations(units)
    size_hidden = pd.Series(False, index=table.index)
    hidden = pd.Series(False, index=table.index)
    for _, part in table.groupby("condition", sort=False):
        keys = list(zip(part["unit_id"], part["scope"], part["group"], strict=True))
        size = part["n"].to_numpy()
        cases = part["cases"].to_numpy()
        small = _small_groups(keys, size, min_cell)
        # A hidden count is known to be non-zero, so a small total hides every part, zeros too.
        examined = dict(zip(keys, np.where(small, 1, size).astype(int).tolist(), strict=True))
        # Only a unit and scope with nobody examined is known to count 0 in every group.
        nobody = {
            (u, sc) for (u, sc, g), n in zip(keys, size, strict=True) if g == "all" and n == 0
        }
        empty = {k for k in keys if k[:2] in nobody}
        found_small = suppress(examined, equations, min_cell=min_cell, never_complement=empty)
        small_mask = np.fromiter((k in found_small for k in keys), dtype=bool, count=len(keys))
        non_cases = size - cases
        primary = ((cases > 0) & (cases < min_cell)) | ((non_cases > 0) & (non_cases < min_cell))
        # suppress() takes its primary cells from the values: a primary cell enters as 1.
        values = dict(
            zip(keys, np.where(primary | small_mask, 1, cases).astype(int).tolist(), strict=True)
        )
        known_zero = {
            k for k, n, hide in zip(keys, size, small_mask, strict=True) if n == 0 and not hide
        }
        found = suppress(values, equations, min_cell=min_cell, never_complement=known_zero)
        size_hidden.loc[part.index] = small_mask
        hidden.loc[part.index] = np.fromiter(
            (k in found for k in keys), dtype=bool, count=len(keys)
        )
    return size_hidden, hidden


def _standardised(table: pd.DataFrame) -> pd.DataFrame:
    """Age-standardised ``all`` rows from their age-band rows (Fay–Feuer interval)."""
    keys = ["unit_id", "scope", "condition"]
    bands = table[table["group"].isin([f"age:{b}" for b in AGE_BANDS])]
    n = bands.pivot_table(index=keys, columns="group", values="n", fill_value=0, aggfunc="sum")
    x = bands.pivot_table(index=keys, columns="group", values="cases", fill_value=0, aggfunc="sum")
    hid = bands.pivot_table(
        index=keys, columns="group", values="suppressed", fill_value=False, aggfunc="any"
    )
    columns = [f"age:{b}" for b in AGE_BANDS]
    n, x, hid = (f.reindex(columns=columns, fill_value=0) for f in (n, x, hid))
    rate, low, high = fay_feuer(
        [x[c].to_numpy() for c in columns],
        [n[c].to_numpy() for c in columns],
        [BAND_WEIGHTS[b] for b in AGE_BANDS],
    )
    out = pd.DataFrame(
        {"standardised": rate, "standardised_low": low, "standardised_high": high}, index=n.index
    )
    withheld = hid.astype(bool).any(axis=1).to_numpy()
    return out.mask(withheld[:, None] & np.ones((1, 3), dtype=bool))


def prevalence(
    units: pd.DataFrame, people: pd.DataFrame, *, min_cell: int = DEFAULT_MIN_CELL
) -> pd.DataFrame:
    """Every cell of one year's analysis (module docstring), hidden values as missing.

    ``units``: id, parent_id (path to order them); ``people``: one row per officer examined in
    the year: unit_id, sex (M/F), age (completed years at the checkup) and one nullable boolean
    column per condition (``health.reports.conditions.classify``).
    """
    check_min_cell(min_cell)
    if "path" in units:
        units = units.sort_values("path", kind="stable")
    ancestors = unit_ancestors(units)
    n, x = _counts(units, people, ancestors)
    index = pd.MultiIndex.from_product(
        [list(units["id"]), SCOPES, GROUPS, [c.code for c in CONDITIONS]],
        names=["unit_id", "scope", "group", "condition"],
    )
    table = index.to_frame(index=False)
    table["n"] = n.reshape(-1)
    table["cases"] = x.reshape(-1)
    size_hidden, table["suppressed"] = _hidden(table, units, min_cell)
    std = _standardised(table)
    low, high = wilson(table["cases"], table["n"])
    shown = ~table["suppressed"] & (table["n"] > 0)
    table["crude"] = (table["cases"] / table["n"].where(table["n"] > 0)).where(shown)
    table["crude_low"] = pd.Series(low, index=table.index).where(shown)
    table["crude_high"] = pd.Series(high, index=table.index).where(shown)
    table["cases"] = table["cases"].astype("Int64").mask(table["suppressed"])
    table["n"] = table["n"].astype("Int64").mask(size_hidden)
    table = table.merge(std.reset_index(), on=["unit_id", "scope", "condition"], how="left")
    not_all = table["group"] != "all"
    for column in ("standardised", "standardised_low", "standardised_high"):
        table[column] = table[column].mask(not_all | table["suppressed"])
    return table[list(COLUMNS)]
