"""The reader's language: Chinese (zh-CN, the default) or English, chosen by Accept-Language.

Every text an officer reads, and every problem response, exists in both; tests walk the
catalogs so that a missing translation fails the build rather than reaching a reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

Lang = Literal["zh", "en"]
LANGS: Final[tuple[Lang, ...]] = ("zh", "en")
DEFAULT_LANG: Final[Lang] = "zh"
CONTENT_LANGUAGE: Final[Mapping[Lang, str]] = {"zh": "zh-CN", "en": "en"}


def negotiate(accept_language: str | None) -> Lang:
    """The best of zh/en for an Accept-Language header (RFC 9110 §12.5.4); zh-CN by default."""
    if not accept_language:
        return DEFAULT_LANG
    best: tuple[float, int, Lang] | None = None
    for position, item in enumerate(accept_language.split(",")):
        tag, _, params = item.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGS:
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        lang: Lang = "zh" if primary == "zh" else "en"
        candidate = (quality, -position, lang)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return DEFAULT_LANG if best is None else best[2]


def pick(texts: Mapping[str, str], lang: Lang) -> str:
    """The text in ``lang`` from a ``{"zh": …, "en": …}`` mapping."""
    return texts[lang]
