"""Folding of labels, units and levels so that spelling variants meet in one lookup key.

Medics type headers and units by hand, in Chinese and English, half-width and full-width, with
``µ`` or ``u`` and ``^`` or ``*``; lookups go through these folds on both sides so that one
catalog entry serves every spelling.
"""

from __future__ import annotations

import re
import unicodedata

_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_POWER_OF_TEN = re.compile(r"10([⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
_LEADING_TIMES = re.compile(r"^[x×*]\s*(?=10)")
_EXPONENT_E = re.compile(r"^10e(?=\d)")
_LETTER_POWER = re.compile(r"(?<=[a-z\]])\*(?=\d)")
_UNIT_DROP = str.maketrans("", "", "[]{}_ \t")
_LABEL_DROP = str.maketrans("", "", "-_.·:：")
_BRACKETS = str.maketrans({"【": "[", "】": "]", "〔": "[", "〕": "]"})
_WHITESPACE = re.compile(r"\s+")
_MINUS_SIGNS = str.maketrans({"−": "-", "–": "-", "—": "-", "﹣": "-"})


def clean(text: str) -> str:
    """Full-width to half-width, odd brackets to ``[]``, whitespace runs to one space."""
    folded = unicodedata.normalize("NFKC", text.translate(_BRACKETS))
    return _WHITESPACE.sub(" ", folded).strip()


def fold_label(text: str) -> str:
    """Key for a header, alias or finding name: case, width, spaces and separators ignored."""
    return _WHITESPACE.sub("", clean(text).casefold()).translate(_LABEL_DROP)


def fold_unit(text: str) -> str:
    """Key for a unit spelling: ``µmol/L``, ``umol/l`` and ``μmol/L`` meet; so do ``×10^9/L``
    and ``10*9/L``; UCUM annotations (``{...}``) and brackets (``mm[Hg]``) are dropped.

    Case is folded too, so ``G/L`` (giga) meets ``g/L``: the per-analyte table decides which
    one an analyte accepts, and no analyte accepts both.
    """
    text = _POWER_OF_TEN.sub(lambda m: "10*" + m.group(1).translate(_SUPERSCRIPT_DIGITS), text)
    folded = unicodedata.normalize("NFKC", text).replace("μ", "u").casefold()
    folded = folded.translate(_MINUS_SIGNS).strip()
    folded = _LEADING_TIMES.sub("", folded)
    folded = _EXPONENT_E.sub("10*", folded)
    folded = folded.replace("^", "*")
    folded = _LETTER_POWER.sub("", folded)
    return folded.translate(_UNIT_DROP)


def fold_level(text: str) -> str:
    """Key for an ordinal level: like a label but keeps ``-`` and ``+``, which carry the level."""
    folded = unicodedata.normalize("NFKC", text.translate(_BRACKETS)).translate(_MINUS_SIGNS)
    return _WHITESPACE.sub("", folded.casefold())
