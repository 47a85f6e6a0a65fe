"""The ruleset loader refuses bad files with errors naming the file, rule and field."""

from __future__ import annotations

import copy
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from health.catalog import canonical_units
from health.errors import Invalid
from health.rules import blood_pressure, body, glucose, kidney, lipids, uric_acid
from health.screening.ruleset import (
    RulesetError,
    default_ruleset,
    load_ruleset,
    parse_ruleset,
)

FILE = "bad.yaml"


def _raw() -> dict[str, Any]:
    text = resources.files("health.rulesets").joinpath("default_cn_adult.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return copy.deepcopy(data)


def _rule(raw: dict[str, Any], rule_id: str) -> dict[str, Any]:
    for section in ("reference_ranges", "coded", "deltas"):
        for rule in raw.get(section, []):
            if rule["id"] == rule_id:
                return rule  # type: ignore[no-any-return]
    raise KeyError(rule_id)


def _refused(raw: dict[str, Any], **kwargs: Any) -> RulesetError:
    with pytest.raises(RulesetError) as caught:
        parse_ruleset(raw, file=FILE, **kwargs)
    return caught.value


def test_default_ruleset_loads_with_name_and_version() -> None:
    rs = default_ruleset()
    assert (rs.name, rs.version) == ("default_cn_adult", "cn-adult-2026.3")
    assert rs.family("hb") == "blood_count"


def test_ruleset_error_is_an_invalid_health_error() -> None:
    assert issubclass(RulesetError, Invalid)


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """Mutator setting a dotted path inside one rule: 'rule_id:field.0.sub'."""
    rule_id, _, dotted = path.partition(":")

    def mutate(raw: dict[str, Any]) -> None:
        node: Any = _rule(raw, rule_id)
        parts = dotted.split(".")
        for part in parts[:-1]:
            node = node[int(part)] if part.isdigit() else node[part]
        last = parts[-1]
        if last.isdigit():
            node[int(last)] = value
        else:
            node[last] = value

    return mutate


BAD_FILES = [
    ("unknown analyte", _set("ref.hb:analyte", "haemoglobin"), "ref.hb", "analyte"),
    ("bad unit", _set("ref.hb:unit", "g/dL"), "ref.hb", "unit"),
    ("unknown source", _set("ref.hb:source", "nowhere"), "ref.hb", "source"),
    ("empty source", _set("ref.hb:source", ""), "ref.hb", "source"),
    ("bad sex", _set("ref.hb:strata.0.sex", "X"), "ref.hb", "strata[0].sex"),
    ("inverted age band", _set("ref.alp:strata.1.age_to", 10), "ref.alp", "strata[1].age_to"),
    ("negative age", _set("ref.alp:strata.1.age_from", -1), "ref.alp", "strata[1].age_from"),
    (
        "overlapping strata",
        _set("ref.alp:strata.1.age_to", 55),
        "ref.alp",
        "strata[2]",
    ),
    (
        "overlapping bands",
        _set("ref.tc:strata.0.bands.0.to", 6.5),
        "ref.tc",
        "strata[0].bands",
    ),
    ("low above high", _set("ref.wbc:strata.0.low", 10.0), "ref.wbc", "strata[0].low"),
    ("critical inside interval", _set("ref.wbc:critical.below", 4.0), "ref.wbc", "critical.below"),
    ("unknown advice", _set("ref.wbc:advice.low", "nope"), "ref.wbc", "advice"),
    ("unknown coded code", _set("ecg.wpw:code", "wpw_pattern"), "ecg.wpw", "code"),
    (
        "coded severity/code mismatch",
        _set("ecg.wpw:interpretation", "AA"),
        "ecg.wpw",
        "interpretation",
    ),
    ("delta code mismatch", _set("delta.weight_gain:code", "D"), "delta.weight_gain", "code"),
    ("unknown field", _set("ref.hb:colour", "red"), "ref.hb", "colour"),
]


@pytest.mark.parametrize(
    ("case", "mutate", "rule", "field"), BAD_FILES, ids=[c[0] for c in BAD_FILES]
)
def test_bad_ruleset_is_refused_naming_file_rule_and_field(
    case: str, mutate: Callable[[dict[str, Any]], None], rule: str, field: str
) -> None:
    raw = _raw()
    mutate(raw)
    error = _refused(raw)
    assert any(p.file == FILE and p.rule == rule and p.field == field for p in error.problems), (
        case,
        [str(p) for p in error.problems],
    )
    assert FILE in str(error) and rule in str(error)


def test_unknown_criterion_and_missing_criterion_are_refused() -> None:
    raw = _raw()
    raw["criteria"]["bp.grade_4"] = {"advice": "bp_high"}
    del raw["criteria"]["mets.metabolic_syndrome"]
    rules = {p.rule for p in _refused(raw).problems}
    assert {"bp.grade_4", "mets.metabolic_syndrome"} <= rules


def test_a_criterion_can_be_disabled_explicitly() -> None:
    raw = _raw()
    raw["criteria"]["mets.metabolic_syndrome"]["enabled"] = False
    rs = parse_ruleset(raw, file=FILE)
    assert not rs.criterion_enabled("mets.metabolic_syndrome")


def test_injected_vocabulary_rejects_codes_it_does_not_know() -> None:
    units = {k: v for k, v in canonical_units().items() if k != "ua"}
    error = _refused(_raw(), analyte_units=units)
    assert any(p.rule == "ref.ua" and p.field == "analyte" for p in error.problems)


def test_injected_vocabulary_with_a_different_canonical_unit_is_refused() -> None:
    units = {**canonical_units(), "glu": "mg/dL"}
    error = _refused(_raw(), analyte_units=units)
    assert any(p.rule == "ref.glu" and p.field == "unit" for p in error.problems)


def test_unreadable_yaml_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(RulesetError, match=r"broken\.yaml"):
        load_ruleset(path)


def test_every_advice_text_has_both_languages_for_officer_and_medic() -> None:
    for key, text in default_ruleset().document.advice.items():
        assert all(text.model_dump().values()), key


# The YAML bands for guideline-graded analytes must equal the guideline modules' constants, so a
# value graded per-result and per-criterion can never disagree. (source, analyte, sex, edges)
GUIDELINE_EDGES = [
    (lipids.SOURCE, "tc", "any", [lipids.TC_BORDERLINE, lipids.TC_HIGH]),
    (lipids.SOURCE, "ldl", "any", [lipids.LDL_BORDERLINE, lipids.LDL_HIGH]),
    (lipids.SOURCE, "tg", "any", [lipids.TG_BORDERLINE, lipids.TG_HIGH]),
    (lipids.SOURCE, "non_hdl", "any", [lipids.NON_HDL_BORDERLINE, lipids.NON_HDL_HIGH]),
    (lipids.SOURCE, "hdl", "any", [lipids.HDL_LOW]),
    (
        blood_pressure.SOURCE,
        "sbp",
        "any",
        [blood_pressure.SBP_HIGH_NORMAL, blood_pressure.SBP_GRADE_1],
    ),
    (
        blood_pressure.SOURCE,
        "dbp",
        "any",
        [blood_pressure.DBP_HIGH_NORMAL, blood_pressure.DBP_GRADE_1],
    ),
    (body.SOURCE, "bmi", "any", [body.BMI_NORMAL, body.BMI_OVERWEIGHT, body.BMI_OBESE]),
    (body.SOURCE, "waist", "M", [body.WAIST_PRE_CENTRAL["M"], body.WAIST_CENTRAL["M"]]),
    (body.SOURCE, "waist", "F", [body.WAIST_PRE_CENTRAL["F"], body.WAIST_CENTRAL["F"]]),
    (glucose.SOURCE, "glu", "any", [glucose.FPG_IFG, glucose.FPG_DIABETES]),
    (glucose.SOURCE, "hba1c", "any", [glucose.HBA1C_DIABETES]),
    (
        kidney.SOURCE,
        "egfr",
        "any",
        [kidney.G4_FROM, kidney.G3B_FROM, kidney.G3A_FROM, kidney.G2_FROM, kidney.G1_FROM],
    ),
]


@pytest.mark.parametrize(("source", "analyte", "sex", "edges"), GUIDELINE_EDGES)
def test_yaml_bands_match_the_guideline_modules(
    source: str, analyte: str, sex: str, edges: list[float]
) -> None:
    rule = next(r for r in default_ruleset().document.reference_ranges if r.analyte == analyte)
    stratum = next(s for s in rule.strata if s.sex == sex)
    yaml_edges = {e for b in stratum.bands for e in (b.from_, b.to) if e is not None}
    assert yaml_edges == set(edges), source


def test_uric_acid_upper_limit_matches_the_guideline_module() -> None:
    rule = next(r for r in default_ruleset().document.reference_ranges if r.analyte == "ua")
    assert rule.strata[0].high == uric_acid.HYPERURICAEMIA  # 2019 guideline: >420 µmol/L
