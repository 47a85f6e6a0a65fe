"""Every text an officer reads, in both languages, plain: the rulesets' meanings, advice and
citations, the follow-up reasons, the record's words (task types and statuses, sections, flags),
and every problem message. Chinese texts carry no English words; no text carries internal
wording ("issue", "TODO", "DEPLOYMENT POLICY", a file path)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from plain_text import en_problems, internal_problems, zh_problems

from health.catalog import load_catalog
from health.followup.lifecycle import STATUSES
from health.followup.policy import TASK_TYPES, default_policy
from health.followup.recheck import REFERRAL_REASON, URGENT_REASON
from health.i18n import negotiate
from health.i18n.errors import ERROR_MESSAGES, ROW_REASON_MESSAGES
from health.i18n.vocabulary import (
    FLAG_NAMES,
    NOT_GRADED,
    RATIO_NAMES,
    SECTION_NAMES,
    SECTION_OF_GROUP,
    SEVERITY_NAMES,
    TASK_STATUS_NAMES,
    TASK_TYPE_NAMES,
)
from health.screening.ruleset import default_ruleset
from health.screening.vocabulary import SEVERITIES

Text = tuple[str, str, str]  # (where, zh, en)


def officer_texts() -> Iterator[Text]:
    rules = default_ruleset()
    for key, advice in rules.document.advice.items():
        yield f"ruleset advice {key}.meaning", advice.meaning_zh, advice.meaning_en
        yield f"ruleset advice {key}.advice", advice.advice_zh, advice.advice_en
    for key, cited in rules.document.citations.items():
        yield f"ruleset citation {key}", cited.zh, cited.en
    for key, reason in default_policy().reasons.items():
        yield f"follow-up reason {key}", reason.zh, reason.en
    for name, table in (
        ("task type", TASK_TYPE_NAMES),
        ("task status", TASK_STATUS_NAMES),
        ("section", SECTION_NAMES),
        ("flag", FLAG_NAMES),
        ("severity", SEVERITY_NAMES),
        ("ratio", RATIO_NAMES),
    ):
        for key, texts in table.items():
            yield f"{name} {key}", texts["zh"], texts["en"]
    yield "record note not graded", NOT_GRADED["zh"], NOT_GRADED["en"]
    for code, texts in ERROR_MESSAGES.items():
        yield f"problem message {code}", texts["zh"], texts["en"]
    for code, texts in ROW_REASON_MESSAGES.items():
        yield f"row reason {code}", texts["zh"], texts["en"]
    for analyte in load_catalog():
        yield f"catalog name {analyte.code}", analyte.name_zh, analyte.name_en
        for finding in analyte.findings:
            yield f"catalog finding {analyte.code}.{finding.code}", finding.name_zh, finding.name_en


TEXTS = list(officer_texts())


@pytest.mark.parametrize(("where", "zh", "en"), TEXTS, ids=[t[0] for t in TEXTS])
def test_officer_text_is_plain_in_both_languages(where: str, zh: str, en: str) -> None:
    problems = [f"zh: {p}" for p in zh_problems(zh)] + [f"en: {p}" for p in en_problems(en)]
    assert problems == [], f"{where}: {problems}\n  zh: {zh}\n  en: {en}"


def test_no_ruleset_text_carries_internal_wording() -> None:
    """Medic texts, sources and the follow-up basis too: anything may end up on a screen."""
    rules = default_ruleset().document
    found = {
        f"source {key}": internal_problems(text)
        for key, text in rules.sources.items()
        if internal_problems(text)
    }
    for key, advice in rules.advice.items():
        for field, text in advice.model_dump().items():
            if internal_problems(text):
                found[f"advice {key}.{field}"] = internal_problems(text)
    for rule in default_policy().rules:
        if rule.basis and internal_problems(rule.basis):
            found[f"follow-up rule {rule.id}.basis"] = internal_problems(rule.basis)
    assert found == {}


def test_every_task_type_status_and_severity_has_both_names() -> None:
    assert set(TASK_TYPE_NAMES) == set(TASK_TYPES)
    assert set(TASK_STATUS_NAMES) == set(STATUSES)
    assert set(SEVERITY_NAMES) == set(SEVERITIES)


def test_every_reason_a_task_can_carry_has_text() -> None:
    reasons = default_policy().reasons
    planned = {rule.reason for rule in default_policy().rules}
    assert planned | {REFERRAL_REASON, URGENT_REASON} <= set(reasons)


def test_every_catalog_group_has_a_record_section() -> None:
    groups = {analyte.group for analyte in load_catalog()} - {"summary"}
    unmapped = sorted(g for g in groups if g not in SECTION_OF_GROUP)
    # A new group lands in "other" until health/i18n/vocabulary.py maps it to a section.
    assert unmapped == [] or "other" in SECTION_NAMES


def test_every_source_has_a_reader_citation() -> None:
    rules = default_ruleset().document
    assert set(rules.citations) == set(rules.sources)


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "zh"),
        ("", "zh"),
        ("zh-CN", "zh"),
        ("en", "en"),
        ("en-GB,en;q=0.9", "en"),
        ("en;q=0.5, zh;q=0.8", "zh"),
        ("zh;q=0, en", "en"),
        ("fr-FR, de", "zh"),
        ("fr, en;q=0.3", "en"),
    ],
)
def test_accept_language_picks_chinese_unless_english_is_preferred(
    header: str | None, lang: str
) -> None:
    assert negotiate(header) == lang
