"""The translators' catalogs: every string of the pages is in them, translated into Chinese,
with the same placeholders; the English catalog is the source language (empty is fine)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from api.web import i18n

WEB = Path(i18n.__file__).parent
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _extracted() -> set[str]:
    """What `make messages` would extract from the page code and templates now."""
    found: set[str] = set()
    for method, pattern in (("python", "**.py"), ("jinja2", "templates/**.html")):
        for _, _, message, _, _ in extract_from_dir(
            str(WEB),
            method_map=[(pattern, method)],
            options_map={pattern: {"trim_blocks": "true", "lstrip_blocks": "true"}},
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def _catalog(language: str) -> dict[str, str]:
    with (WEB / "locale" / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return {m.id: m.string for m in read_po(po) if m.id and isinstance(m.id, str)}


def test_every_page_string_has_a_chinese_translation_with_the_same_placeholders() -> None:
    zh = _catalog("zh_CN")
    strings = _extracted()
    assert len(strings) > 300
    assert sorted(s for s in strings if not zh.get(s)) == []
    for source in strings:
        assert set(PLACEHOLDER.findall(source)) == set(PLACEHOLDER.findall(zh[source])), source


def test_the_english_catalog_lists_every_string() -> None:
    assert sorted(_extracted() - set(_catalog("en"))) == []


def test_language_is_the_users_choice_then_the_browsers_then_chinese() -> None:
    assert i18n.negotiate("en", "zh-CN,zh;q=0.9") == "en"
    assert i18n.negotiate(None, "en-GB,en;q=0.8") == "en"
    assert i18n.negotiate(None, "fr-FR,en;q=0.5") == "en"
    assert i18n.negotiate(None, None) == "zh_CN"
    assert i18n.negotiate("xx", "de") == "zh_CN"


def test_dates_and_numbers_follow_the_language() -> None:
    assert i18n.Formats("zh_CN").date(date(2026, 3, 4)) == "2026年3月4日"
    assert i18n.Formats("en").date(date(2026, 3, 4)) == "Mar 4, 2026"
    assert i18n.Formats("en").number(12345.678) == "12,345.68"
    assert i18n.translations("zh_CN").gettext("Sign in") == "登录"
