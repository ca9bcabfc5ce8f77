"""The web app's catalog: every word on the pages and in the code's web messages is in ``web.pot``, Hindi
translates all of it (placeholders kept), and a locale without a web catalog falls back to English."""

from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from locales import web_locales, web_translator_for
from locales.catalogs import LOCALES_DIR
from locales.web_messages import SIGNIN_CODE_TEXT

REPO_ROOT = LOCALES_DIR.parent


def template_ids() -> set[str]:
    with (LOCALES_DIR / "web.pot").open("rb") as source:
        return {m.id for m in read_po(source) if isinstance(m.id, str) and m.id}


def test_the_web_template_has_every_message_the_pages_use() -> None:
    with (REPO_ROOT / "babel-web.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = {
        m[2] if isinstance(m[2], str) else m[2][0]
        for m in extract_from_dir(str(REPO_ROOT), method_map, options_map)
    }
    assert "Sign in" in found
    missing = found - template_ids()
    assert not missing, f"run the web extract/update commands in docs/translations.md: {missing}"


@pytest.mark.parametrize("locale", ["hi"])
def test_the_web_catalog_is_complete(locale: str) -> None:
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "web.po").open("rb") as source:
        catalog = read_po(source, locale=locale)
    assert list(catalog.check()) == []
    for msgid in template_ids():
        message = catalog.get(msgid)
        assert message is not None and message.string, f"{locale} lacks {msgid!r}"
        assert set(re.findall(r"%\((\w+)\)s", str(message.string))) == set(re.findall(r"%\((\w+)\)s", msgid))


def test_pages_speak_hindi_and_other_locales_fall_back_to_english() -> None:
    assert set(web_locales()) >= {"en", "hi"}
    assert web_translator_for("hi").gettext("Sign in") == "साइन इन"
    assert web_translator_for("hi-IN").gettext("Sign in") == "साइन इन"
    assert web_translator_for("ta").gettext(SIGNIN_CODE_TEXT) == SIGNIN_CODE_TEXT
