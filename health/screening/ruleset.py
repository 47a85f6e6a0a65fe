"""Load and validate a ruleset file; refuse it with errors naming the file, rule and field.

Clinical content lives in YAML so a deployment can review and version it; this module makes sure
a file that would silently mis-grade (unknown code, wrong unit, overlapping bands, a threshold
without a source) never becomes the active ruleset.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from health.catalog import canonical_units
from health.derived import round_half_up
from health.errors import Invalid
from health.rules._arrays import FloatArray
from health.screening.criterion_ids import CRITERIA
from health.screening.ruleset_schema import (
    AdviceText,
    Band,
    Citation,
    CodedRule,
    DeltaRule,
    ReferenceRule,
    RulesetDocument,
    Stratum,
)
from health.screening.vocabulary import DEFAULT_CODED_FINDINGS

MAX_AGE = 150.0
DEFAULT_RULESET_FILE = "default_cn_adult.yaml"


@dataclass(frozen=True, slots=True)
class RulesetProblem:
    file: str
    rule: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: rule {self.rule}: field {self.field}: {self.message}"


class RulesetError(Invalid):
    """A ruleset file was refused; ``problems`` lists every reason found."""

    code = "ruleset_invalid"
    title = "Invalid ruleset"

    def __init__(self, problems: list[RulesetProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class Ruleset:
    """A validated ruleset with the look-ups the engine needs."""

    def __init__(
        self, document: RulesetDocument, *, file: str, analyte_units: Mapping[str, str]
    ) -> None:
        self.document = document
        self.file = file
        self.analyte_units = dict(analyte_units)
        self._family = {
            code: family for family, codes in document.families.items() for code in codes
        }

    @property
    def name(self) -> str:
        return self.document.name

    @property
    def version(self) -> str:
        return self.document.version

    def family(self, code: str) -> str:
        """The analyte family used to group findings and merge tasks."""
        return self._family.get(code, "other")

    def source_text(self, key: str) -> str:
        return self.document.sources[key]

    def advice(self, key: str | None) -> AdviceText | None:
        return None if key is None else self.document.advice.get(key)

    def criterion_advice(self, rule_id: str) -> str | None:
        config = self.document.criteria.get(rule_id)
        return config.advice if config is not None and config.enabled else None

    def criterion_enabled(self, rule_id: str) -> bool:
        return self.criterion_advice(rule_id) is not None

    def decimals(self, code: str) -> int | None:
        """Decimals a result is shown with, when the ruleset fixes them (derived values)."""
        return self.document.display.decimals.get(code)

    def shown(self, values: Mapping[str, FloatArray]) -> dict[str, FloatArray]:
        """Values rounded as they are shown, so that grading sees the number the reader sees."""
        out = dict(values)
        for code, decimals in self.document.display.decimals.items():
            if code in out:
                out[code] = round_half_up(out[code], decimals)
        return out

    def citation(self, source_text: str) -> Citation | None:
        """The reader's citation of a finding's source text (see ``source_key``)."""
        key = self.source_key(source_text)
        return None if key is None else self.document.citations.get(key)

    def source_key(self, source_text: str) -> str | None:
        """The ruleset source a finding's source text names.

        Criteria carry their guideline's text from ``health.rules``; it names the same document
        as a ruleset source, so the longest shared beginning (at least 10 characters) decides.
        """
        best, best_length = None, 9
        for key, text in self.document.sources.items():
            if text == source_text:
                return key
            length = _common_prefix(text, source_text)
            if length > best_length:
                best, best_length = key, length
        return best

    def __repr__(self) -> str:
        return f"Ruleset({self.name!r}, {self.version!r})"


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def load_ruleset(
    path: str | Path,
    *,
    analyte_units: Mapping[str, str] | None = None,
    coded_findings: Mapping[str, Collection[str]] = DEFAULT_CODED_FINDINGS,
) -> Ruleset:
    """Read, parse and validate a ruleset YAML file (units default to the catalog's)."""
    file = str(path)
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RulesetError([RulesetProblem(file, "-", "-", f"cannot read YAML: {exc}")]) from exc
    return parse_ruleset(raw, file=file, analyte_units=analyte_units, coded_findings=coded_findings)


def parse_ruleset(
    raw: Any,
    *,
    file: str,
    analyte_units: Mapping[str, str] | None = None,
    coded_findings: Mapping[str, Collection[str]] = DEFAULT_CODED_FINDINGS,
) -> Ruleset:
    """Validate an already-parsed ruleset mapping (``file`` names it in error messages); units
    default to the catalog's."""
    analyte_units = canonical_units() if analyte_units is None else analyte_units
    if not isinstance(raw, dict):
        raise RulesetError([RulesetProblem(file, "-", "-", "top level must be a mapping")])
    try:
        document = RulesetDocument.model_validate(raw)
    except ValidationError as exc:
        raise RulesetError(list(_structural_problems(file, raw, exc))) from exc
    problems = list(_Checker(file, document, analyte_units, coded_findings).problems())
    if problems:
        raise RulesetError(problems)
    return Ruleset(document, file=file, analyte_units=analyte_units)


@lru_cache(maxsize=1)
def default_ruleset() -> Ruleset:
    """The packaged Chinese adult ruleset, validated against the default vocabulary."""
    ref = resources.files("health.rulesets").joinpath(DEFAULT_RULESET_FILE)
    with resources.as_file(ref) as path:
        return load_ruleset(path)


def dotted_field(parts: list[str]) -> str:
    """('strata', '0', 'sex') → 'strata[0].sex', the form the semantic checks use."""
    out = ""
    for part in parts:
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out or "-"


def _structural_problems(
    file: str, raw: dict[str, Any], exc: ValidationError
) -> Iterator[RulesetProblem]:
    for error in exc.errors():
        loc = [str(part) for part in error["loc"]]
        rule, field = "-", dotted_field(loc)
        if len(loc) >= 2:
            section, key = raw.get(loc[0]), loc[1]
            if isinstance(section, list) and key.isdigit() and int(key) < len(section):
                item = section[int(key)]
                rule_id = item.get("id") if isinstance(item, dict) else None
                rule = str(rule_id) if rule_id else f"{loc[0]}[{key}]"
                field = dotted_field(loc[2:])
            elif isinstance(section, dict):
                rule, field = key, dotted_field(loc[2:])
        yield RulesetProblem(file, rule, field, error["msg"])


def _bound(value: float | None, default: float) -> float:
    return default if value is None else value


class _Checker:
    """Semantic checks that pydantic's shape validation cannot express."""

    def __init__(
        self,
        file: str,
        doc: RulesetDocument,
        analyte_units: Mapping[str, str],
        coded_findings: Mapping[str, Collection[str]],
    ) -> None:
        self.file = file
        self.doc = doc
        self.units = analyte_units
        self.coded = coded_findings

    def problem(self, rule: str, field: str, message: str) -> RulesetProblem:
        return RulesetProblem(self.file, rule, field, message)

    def problems(self) -> Iterator[RulesetProblem]:
        yield from self._ids()
        yield from self._families()
        for rule in self.doc.reference_ranges:
            yield from self._reference(rule)
        yield from self._coded()
        yield from self._deltas()
        yield from self._criteria()
        yield from self._citations()
        yield from self._display()

    def _citations(self) -> Iterator[RulesetProblem]:
        for key in self.doc.sources:
            if key not in self.doc.citations:
                yield self.problem(
                    key, "citations", "no reader citation; add {zh, en} under 'citations'"
                )
        for key in self.doc.citations:
            if key not in self.doc.sources:
                yield self.problem(key, "citations", "cites a source not under 'sources'")

    def _display(self) -> Iterator[RulesetProblem]:
        decimals = self.doc.display.decimals
        if decimals and not self.doc.display.rule.strip():
            yield self.problem("display", "rule", "state the rounding rule in words")
        for code, places in decimals.items():
            if code not in self.units:
                yield self.problem("display", "decimals", f"unknown analyte code {code!r}")
            if not 0 <= places <= 4:
                yield self.problem("display", f"decimals.{code}", "between 0 and 4 decimals")

    def _source(self, rule: str, field: str, key: str | None) -> Iterator[RulesetProblem]:
        if key is not None and key not in self.doc.sources:
            yield self.problem(rule, field, f"unknown source {key!r}; add it under 'sources'")

    def _advice(self, rule: str, field: str, key: str | None) -> Iterator[RulesetProblem]:
        if key is not None and key not in self.doc.advice:
            yield self.problem(rule, field, f"unknown advice {key!r}; add it under 'advice'")

    def _ids(self) -> Iterator[RulesetProblem]:
        seen: set[str] = set()
        rules: list[ReferenceRule | CodedRule | DeltaRule] = [
            *self.doc.reference_ranges,
            *self.doc.coded,
            *self.doc.deltas,
        ]
        for rule in rules:
            if rule.id in seen or rule.id in CRITERIA:
                yield self.problem(rule.id, "id", "duplicate rule id")
            seen.add(rule.id)
        for key, text in self.doc.sources.items():
            if not text.strip():
                yield self.problem(key, "sources", "empty citation")

    def _families(self) -> Iterator[RulesetProblem]:
        owner: dict[str, str] = {}
        for family, codes in self.doc.families.items():
            for code in codes:
                if code not in self.units and code not in self.coded:
                    yield self.problem(family, "families", f"unknown analyte code {code!r}")
                if code in owner:
                    yield self.problem(family, "families", f"{code!r} already in {owner[code]!r}")
                owner[code] = family

    def _reference(self, rule: ReferenceRule) -> Iterator[RulesetProblem]:
        rid = rule.id
        if rule.analyte not in self.units:
            yield self.problem(rid, "analyte", f"unknown analyte code {rule.analyte!r}")
        elif rule.unit != self.units[rule.analyte]:
            yield self.problem(
                rid,
                "unit",
                f"unit {rule.unit!r} is not the canonical {self.units[rule.analyte]!r}",
            )
        yield from self._source(rid, "source", rule.source)
        for key in (rule.advice.low, rule.advice.high, rule.advice.critical):
            yield from self._advice(rid, "advice", key)
        for i, stratum in enumerate(rule.strata):
            yield from self._stratum(rid, f"strata[{i}]", stratum)
        yield from self._strata_overlap(rid, rule.strata)
        if rule.critical is not None:
            yield from self._critical(rule)
        if not any(rule.analyte in codes for codes in self.doc.families.values()):
            yield self.problem(rid, "analyte", f"{rule.analyte!r} belongs to no family")
        if rule.informational_low is not None:
            low = rule.informational_low
            yield from self._source(rid, "informational_low.source", low.source)
            yield from self._advice(rid, "informational_low.advice", low.advice)

    def _stratum(self, rid: str, field: str, s: Stratum) -> Iterator[RulesetProblem]:
        if not 0 <= s.age_from < MAX_AGE:
            yield self.problem(rid, f"{field}.age_from", f"age {s.age_from} out of 0..{MAX_AGE}")
        if s.age_to is not None and not s.age_from < s.age_to <= MAX_AGE:
            yield self.problem(rid, f"{field}.age_to", "age band must satisfy age_from < age_to")
        if s.low is not None and s.high is not None and s.low > s.high:
            yield self.problem(rid, f"{field}.low", "low is above high")
        bands = sorted(s.bands, key=lambda b: _bound(b.from_, float("-inf")))
        for j, band in enumerate(s.bands):
            yield from self._band(rid, f"{field}.bands[{j}]", band)
        for before, after in pairwise(bands):
            if _bound(before.to, float("inf")) > _bound(after.from_, float("-inf")):
                yield self.problem(
                    rid,
                    f"{field}.bands",
                    f"overlapping bands {before.label!r} and {after.label!r}",
                )

    def _band(self, rid: str, field: str, band: Band) -> Iterator[RulesetProblem]:
        if band.from_ is None and band.to is None:
            yield self.problem(rid, field, "a band needs 'from' or 'to'")
        if _bound(band.from_, float("-inf")) >= _bound(band.to, float("inf")):
            yield self.problem(rid, f"{field}.to", "band must satisfy from < to")
        yield from self._source(rid, f"{field}.source", band.source)
        yield from self._advice(rid, f"{field}.advice", band.advice)

    def _strata_overlap(self, rid: str, strata: tuple[Stratum, ...]) -> Iterator[RulesetProblem]:
        for i, a in enumerate(strata):
            for j in range(i + 1, len(strata)):
                b = strata[j]
                sexes_meet = a.sex == b.sex or "any" in (a.sex, b.sex)
                ages_meet = a.age_from < _bound(b.age_to, MAX_AGE) and b.age_from < _bound(
                    a.age_to, MAX_AGE
                )
                if sexes_meet and ages_meet:
                    yield self.problem(rid, f"strata[{j}]", f"sex/age band overlaps strata[{i}]")

    def _critical(self, rule: ReferenceRule) -> Iterator[RulesetProblem]:
        critical = rule.critical
        assert critical is not None
        yield from self._source(rule.id, "critical.source", critical.source)
        if critical.below is None and critical.above is None:
            yield self.problem(rule.id, "critical", "needs 'below' or 'above'")
        for i, s in enumerate(rule.strata):
            if critical.below is not None and s.low is not None and critical.below > s.low:
                yield self.problem(rule.id, "critical.below", f"above strata[{i}].low")
            if critical.above is not None and s.high is not None and critical.above < s.high:
                yield self.problem(rule.id, "critical.above", f"below strata[{i}].high")

    def _coded(self) -> Iterator[RulesetProblem]:
        seen: set[tuple[str, str]] = set()
        expected = {"normal": "N", "critical": "AA"}
        for rule in self.doc.coded:
            if rule.modality not in self.coded:
                yield self.problem(rule.id, "modality", f"unknown modality {rule.modality!r}")
            elif rule.code not in self.coded[rule.modality]:
                yield self.problem(rule.id, "code", f"unknown {rule.modality} code {rule.code!r}")
            if (rule.modality, rule.code) in seen:
                yield self.problem(rule.id, "code", "a second rule for the same finding code")
            seen.add((rule.modality, rule.code))
            if rule.interpretation != expected.get(rule.severity, "A"):
                yield self.problem(
                    rule.id, "interpretation", f"does not match severity {rule.severity!r}"
                )
            if rule.severity != "normal" and rule.advice is None:
                yield self.problem(rule.id, "advice", "a non-normal finding needs advice")
            yield from self._source(rule.id, "source", rule.source)
            yield from self._advice(rule.id, "advice", rule.advice)

    def _deltas(self) -> Iterator[RulesetProblem]:
        codes = {"rise": "U", "fall": "D", "worsened": "W", "improved": "B"}
        for rule in self.doc.deltas:
            if rule.kind in ("rise", "fall"):
                if rule.analyte not in self.units:
                    yield self.problem(rule.id, "analyte", f"unknown analyte {rule.analyte!r}")
                if rule.fraction is None:
                    yield self.problem(rule.id, "fraction", f"a {rule.kind} rule needs it")
            elif rule.analyte is not None or rule.fraction is not None:
                yield self.problem(rule.id, "analyte", f"a {rule.kind} rule applies to all")
            if rule.require_gfr_category_drop and (rule.analyte, rule.kind) != ("egfr", "fall"):
                yield self.problem(rule.id, "require_gfr_category_drop", "only for an egfr fall")
            if rule.code != codes[rule.kind]:
                yield self.problem(rule.id, "code", f"a {rule.kind} is coded {codes[rule.kind]}")
            yield from self._source(rule.id, "source", rule.source)
            yield from self._advice(rule.id, "advice", rule.advice)

    def _criteria(self) -> Iterator[RulesetProblem]:
        for rule_id, config in self.doc.criteria.items():
            if rule_id not in CRITERIA:
                yield self.problem(rule_id, "criteria", "unknown criterion id")
            yield from self._advice(rule_id, "advice", config.advice)
        for rule_id in CRITERIA:
            if rule_id not in self.doc.criteria:
                yield self.problem(rule_id, "criteria", "missing: give advice or enabled: false")
