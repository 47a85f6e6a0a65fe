"""Checks on reader-facing text: Chinese text carries no English words, and no text carries
internal wording (working notes, policy labels, file paths)."""

from __future__ import annotations

import re

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
# Units and symbols that Chinese reports print in Latin letters.
UNIT_TOKENS = frozenset(
    {"mmHg", "mmol", "umol", "mol", "mL", "min", "cm", "kg", "g", "m", "L", "h", "x", "mg", "dL"}
)
# Abbreviations that Chinese readers meet as such (mixed case, so not caught as acronyms).
ABBREVIATIONS = frozenset({"HbA1c", "eGFR", "Bosniak"})
INTERNAL = re.compile(
    r"\bissue\b|\bTODO\b|\bFIXME\b|DEPLOYMENT POLICY|"
    r"[\w.-]+/[\w.-]+\.(?:py|ya?ml|toml|csv|json)\b|\b(?:health|api|models|tests)/\w",
    re.IGNORECASE,
)


def english_words(text: str) -> list[str]:
    """Latin-letter words in a Chinese text other than acronyms, units and known abbreviations."""
    return [
        word
        for word in LATIN_WORD.findall(text)
        if not (word.isupper() or word in UNIT_TOKENS or word in ABBREVIATIONS)
    ]


def zh_problems(text: str) -> list[str]:
    problems = []
    if not text.strip():
        problems.append("empty")
    elif not CJK.search(text):
        problems.append("no Chinese characters")
    words = english_words(text)
    if words:
        problems.append(f"English words {words}")
    return problems + internal_problems(text)


def en_problems(text: str) -> list[str]:
    problems = []
    if not text.strip():
        problems.append("empty")
    if CJK.search(text):
        problems.append("Chinese characters in the English text")
    return problems + internal_problems(text)


def internal_problems(text: str) -> list[str]:
    found = INTERNAL.findall(text)
    return [f"internal wording {found}"] if found else []
