"""Languages of the pages: zh-CN by default, en; messages from the translators' ``.po`` files.

The catalogs are read from the ``.po`` files at start-up (compiled in memory), so a translator
edits one text file and restarts; there is no separate compile step to forget.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT = "zh_CN"
LANGUAGES = {"zh_CN": "zh-CN", "en": "en"}
LANG_COOKIE = "oh_lang"


@cache
def translations(language: str) -> Translations:
    """The language's catalog, compiled in memory from its ``.po`` file once per process."""
    with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def negotiate(cookie: str | None, accept_language: str | None) -> str:
    """The user's explicit choice (cookie) first, then the browser's, then zh-CN."""
    if cookie in LANGUAGES:
        return cookie
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh_CN"
        if tag.startswith("en"):
            return "en"
    return DEFAULT


@dataclass(frozen=True)
class Formats:
    """Dates and numbers in the page's language."""

    language: str

    @property
    def locale(self) -> Locale:
        return _locale(self.language)

    @property
    def is_zh(self) -> bool:
        return self.language.startswith("zh")

    def date(self, value: date | datetime | None) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = value.date()
        return str(format_date(value, format="medium", locale=self.locale))

    def datetime(self, value: datetime | None) -> str:
        if value is None:
            return ""
        return str(format_datetime(value, format="medium", locale=self.locale, tzinfo=None))

    def number(self, value: float | int | None, digits: int = 2) -> str:
        if value is None:
            return ""
        pattern = "#,##0." + "#" * digits if digits else "#,##0"
        return str(format_decimal(value, format=pattern, locale=self.locale))

    def percent(self, value: float | None) -> str:
        if value is None:
            return ""
        return self.number(value * 100, 1) + " %"

    def pick(self, texts: dict[str, str] | None) -> str:
        """One text of a ``{"zh": ..., "en": ...}`` pair from the ruleset or catalog."""
        if not texts:
            return ""
        return texts.get("zh" if self.is_zh else "en") or next(iter(texts.values()), "")
