"""Grouped findings against ungrouped ones on a real population: every adult of NHANES 2017-2018.

Data: ../shared/data/nhanes_2017_2018_checkup/nhanes_j_adult_checkup.csv, 5,155 adults with a
standard biochemistry profile; a column subset of the US CDC/NCHS National Health and Nutrition
Examination Survey 2017-2018 ("J") public-use files DEMO_J, BMX_J, GHB_J, GLU_J, HDL_J and
BIOPRO_J, values as NCHS published them (SOURCE.txt beside the file). Following SOURCE.txt's
caveats, only the fasting plasma glucose (LBDGLUSI, fasting subsample) is used as glucose, the
non-fasting serum triglycerides are left out, and urea nitrogen is not used as urea.

Every adult is screened; each one's findings are grouped by problem, and the groups must hold
every finding exactly once (nothing lost, nothing doubled), with one headline each.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from health.followup import plan_frame
from health.screening import screen_frame
from health.screening.engine import FINDING_COLUMNS
from health.screening.problems import group_findings

REPO = Path(__file__).resolve().parents[3]
DATA = REPO.parent / "shared" / "data" / "nhanes_2017_2018_checkup" / "nhanes_j_adult_checkup.csv"
COLUMNS = {  # NHANES variable -> catalog code (already in the canonical unit)
    "BMXWT": "weight",
    "BMXHT": "height",
    "BMXWAIST": "waist",
    "LBXGH": "hba1c",
    "LBDGLUSI": "glu",
    "LBDHDDSI": "hdl",
    "LBXSATSI": "alt",
    "LBXSASSI": "ast",
    "LBXSAPSI": "alp",
    "LBXSGTSI": "ggt",
    "LBDSTPSI": "tp",
    "LBDSALSI": "alb",
    "LBDSTBSI": "tbil",
    "LBDSCRSI": "creat",
    "LBDSUASI": "ua",
    "LBDSCHSI": "tc",
}
FIELDS = tuple(c for c in FINDING_COLUMNS if c not in ("key", "ruleset", "ruleset_version"))


@pytest.fixture(scope="module")
def adults() -> pd.DataFrame:
    if not DATA.exists():
        pytest.skip(f"NHANES extract not found at {DATA} (shared data folder absent)")
    raw = pd.read_csv(DATA)
    frame = raw[list(COLUMNS)].rename(columns=COLUMNS)
    frame["sex"] = raw["RIAGENDR"].map({1: "M", 2: "F"})
    frame["age"] = raw["RIDAGEYR"].astype(float)
    frame.index = raw["SEQN"]
    return frame


@pytest.fixture(scope="module")
def findings(adults: pd.DataFrame) -> pd.DataFrame:
    return screen_frame(adults)


def _per_person(findings: pd.DataFrame) -> dict[Any, list[dict[str, Any]]]:
    """Findings per person in the stored form (the dicts a screening document holds)."""
    columns = {name: findings[name].to_numpy(dtype=object) for name in FIELDS}
    out: dict[Any, list[dict[str, Any]]] = {}
    for i, key in enumerate(findings["key"].to_numpy()):
        out.setdefault(key, []).append({name: columns[name][i] for name in FIELDS})
    return out


def test_every_adult_is_screened(adults: pd.DataFrame, findings: pd.DataFrame) -> None:
    assert len(adults) == 5155
    assert findings["key"].nunique() > 4000  # most adults have something worth a look


def test_grouped_findings_hold_every_finding_exactly_once(findings: pd.DataFrame) -> None:
    people = _per_person(findings)
    grouped_total = 0
    for key, found in people.items():
        problems = group_findings(found)
        members = Counter(i for p in problems for i in p.members)
        assert set(members) == set(range(len(found))), (key, "lost a finding")
        assert max(members.values()) == 1, (key, "a finding in two problems")
        for problem in problems:
            assert problem.headline in problem.members
            severities = {found[i]["severity"] for i in problem.members}
            assert problem.severity in severities
        assert len({p.key for p in problems}) == len(problems)
        grouped_total += len(problems)
    assert sum(len(f) for f in people.values()) == len(findings)
    assert grouped_total < len(findings)  # grouping merges: fewer entries than findings


def test_criteria_absorb_their_own_results(findings: pd.DataFrame) -> None:
    """Dyslipidaemia (2023 lipid guideline) takes the lipid grades into one problem."""
    people = _per_person(findings)
    checked = 0
    for found in people.values():
        if not any(f["rule_id"] == "lipids.dyslipidaemia" for f in found):
            continue
        (lipid,) = [p for p in group_findings(found) if p.key == "lipids"]
        rules = {found[i]["rule_id"] for i in lipid.members}
        assert {f["rule_id"] for f in found if f["family"] == "lipids"} <= rules
        assert found[lipid.headline]["kind"] == "criterion"
        checked += 1
    assert checked > 100


def test_low_aminotransferases_plan_no_task_in_the_population(
    adults: pd.DataFrame, findings: pd.DataFrame
) -> None:
    """The run that sent 444 of 5,155 to a liver recheck for a low ALT or AST (WS/T 404.1
    lower limits: men ALT 9, AST 15; women ALT 7, AST 13 U/L)."""
    sex, alt, ast = adults["sex"], adults["alt"], adults["ast"]
    low = ((sex == "M") & ((alt < 9) | (ast < 15))) | ((sex == "F") & ((alt < 7) | (ast < 13)))
    assert int(low.sum()) > 300  # the population still has them
    aminotransferase = findings["rule_id"].isin(["ref.alt", "ref.ast"])
    assert not (aminotransferase & (findings["interpretation"] == "L")).any()
    exam = pd.Series(pd.Timestamp("2018-01-15", tz="UTC"), index=adults.index)
    plans = plan_frame(findings, exam)
    planned = set(plans.loc[plans["family"] == "liver", "key"])
    backed = set(findings.loc[findings["family"] == "liver", "key"])
    assert planned <= backed  # every liver task rests on a liver finding, none on a low value
    low_only = set(adults.index[low]) - backed
    assert low_only and not (low_only & planned)
