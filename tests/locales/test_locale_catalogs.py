"""Every supported locale has a complete, clean catalog that really loads, not the silent English fallback."""

import io
import os
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from locales import messages, resolve_locale, supported_locales, translator_for
from locales.catalogs import LOCALES_DIR, CatalogDirectory

REPO_ROOT = LOCALES_DIR.parent
TEMPLATE = LOCALES_DIR / "samvaad.pot"

# The script each catalog must be written in; hi_Latn is Hinglish as typed on WhatsApp.
SCRIPTS = {
    "en": "LATIN",
    "as": "BENGALI",
    "bn": "BENGALI",
    "gu": "GUJARATI",
    "hi": "DEVANAGARI",
    "hi_Latn": "LATIN",
    "kn": "KANNADA",
    "ml": "MALAYALAM",
    "mr": "DEVANAGARI",
    "or": "ORIYA",
    "pa": "GURMUKHI",
    "ta": "TAMIL",
    "te": "TELUGU",
    "ur": "ARABIC",
}
EXPECTED_LOCALES = tuple(SCRIPTS)
SAMPLE_VALUES = {
    "message": "MESSAGETEXT",
    "language": "LANGNAME",
    "digit": "7",
    "position": "3",
    "minutes": "12",
    "start": "17:00",
    "end": "19:30",
    "tag": "#A7",
    "crisis_line": "CRISISLINE",
    "emergency_number": "EMERGENCYNO",
    "when": "WHENTIME",
    "languages": "LANGLIST",
    "listener": "LISTENERNAME",
    "days": "14",
    "count": "5",
    "gaps": "GAPLIST",
    "seconds": "95",
}
KEYWORDS = ("CALL", "END", "STOP", "START")


def template_ids() -> list[str]:
    with TEMPLATE.open("rb") as source:
        return [message.id for message in read_po(source) if isinstance(message.id, str) and message.id]


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)s", text))


def script_of(text: str) -> str:
    """The script most letters of ``text`` are written in, by Unicode character name."""
    counts: dict[str, int] = {}
    for char in text:
        if char.isalpha():
            script = unicodedata.name(char, "UNKNOWN").split()[0]
            counts[script] = counts.get(script, 0) + 1
    return max(counts, key=lambda script: counts[script])


def test_supported_locales_are_the_expected_ones_english_first() -> None:
    assert set(supported_locales()) == set(EXPECTED_LOCALES)
    assert supported_locales()[0] == "en"


@pytest.mark.parametrize("locale", EXPECTED_LOCALES)
def test_catalog_is_complete_clean_and_compiles(locale: str) -> None:
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "samvaad.po").open("rb") as source:
        catalog = read_po(source, locale=locale)

    assert list(catalog.check()) == []
    for msgid in template_ids():
        message = catalog.get(msgid)
        assert message is not None, f"{locale} lacks {msgid!r}"
        assert message.string and not message.fuzzy, f"{locale} has no finished translation of {msgid!r}"
        assert placeholders(str(message.string)) == placeholders(msgid), f"{locale}: {message.string!r}"
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    assert len(compiled.getvalue()) > 1000


@pytest.mark.parametrize("locale", EXPECTED_LOCALES)
def test_translator_speaks_the_locale_not_the_english_fallback(locale: str) -> None:
    welcome = translator_for(locale).gettext(messages.WELCOME)

    assert script_of(welcome) == SCRIPTS[locale]
    if locale != "en":
        assert welcome != messages.WELCOME


@pytest.mark.parametrize("locale", EXPECTED_LOCALES)
def test_every_message_fills_its_placeholders_and_keeps_numbers_and_keywords(locale: str) -> None:
    translator = translator_for(locale)
    for msgid in template_ids():
        text = translator.gettext(msgid) % SAMPLE_VALUES

        for name in placeholders(msgid):
            assert SAMPLE_VALUES[name] in text, f"{locale}: {name} missing from {text!r}"
        for number in ("14416", "112"):
            assert (number in text) == (number in msgid), f"{locale}: {number} in {text!r}"
        for keyword in KEYWORDS:
            if re.search(rf"\b{keyword}\b", msgid):
                assert re.search(rf"\b{keyword}\b", text), f"{locale}: keyword {keyword} lost in {text!r}"


@pytest.mark.parametrize(
    ("asked", "served"),
    [
        ("hi", "hi"),
        ("hi-IN", "hi"),
        ("hi_IN", "hi"),
        ("hi-Latn", "hi_Latn"),
        ("hi_Latn", "hi_Latn"),
        ("HI-latn-IN", "hi_Latn"),
        ("hi-Deva", "hi"),
        ("en-GB", "en"),
        ("xx", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_locale_codes_resolve_to_their_catalog(asked: str | None, served: str) -> None:
    assert resolve_locale(asked) == served


def test_unknown_locale_speaks_english() -> None:
    assert translator_for("qq-ZZ").gettext(messages.CONNECTING) == "Connecting you now."


def copy_catalog(locale: str, root: Path) -> Path:
    target = root / locale / "LC_MESSAGES" / "samvaad.po"
    target.parent.mkdir(parents=True)
    shutil.copyfile(LOCALES_DIR / locale / "LC_MESSAGES" / "samvaad.po", target)
    return target


def test_fresh_clone_without_mo_files_compiles_on_first_use(tmp_path: Path) -> None:
    copy_catalog("en", tmp_path)
    copy_catalog("hi", tmp_path)
    directory = CatalogDirectory(tmp_path)

    welcome = directory.translator("hi").gettext(messages.WELCOME)

    assert script_of(welcome) == "DEVANAGARI"
    assert (tmp_path / "hi" / "LC_MESSAGES" / "samvaad.mo").exists()


def test_edited_po_is_recompiled_when_its_mo_is_older(tmp_path: Path) -> None:
    copy_catalog("en", tmp_path)
    po = copy_catalog("hi", tmp_path)
    CatalogDirectory(tmp_path).compile(force=True)
    mo = po.with_suffix(".mo")
    po.write_text(po.read_text(encoding="utf-8").replace("अब आपको जोड़ रहे हैं।", "जोड़ रहे हैं।"), "utf-8")
    os.utime(mo, (1, 1))

    assert CatalogDirectory(tmp_path).translator("hi").gettext(messages.CONNECTING) == "जोड़ रहे हैं।"


def test_compile_skips_fresh_catalogs_unless_forced(tmp_path: Path) -> None:
    copy_catalog("en", tmp_path)
    copy_catalog("hi", tmp_path)
    directory = CatalogDirectory(tmp_path)

    assert len(directory.compile()) == 2
    assert directory.compile() == []
    assert len(directory.compile(force=True)) == 2


def test_template_lists_exactly_the_messages_module() -> None:
    constants = {value for name, value in vars(messages).items() if name.isupper() and isinstance(value, str)}

    assert set(template_ids()) == constants


def test_template_has_every_message_marked_in_the_code() -> None:
    with (REPO_ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    in_code = {
        message if isinstance(message, str) else message[0]
        for _, _, message, _, _ in extract_from_dir(str(REPO_ROOT), method_map, options_map)
    }

    assert messages.WELCOME in in_code
    missing = in_code - set(template_ids())
    assert not missing, f"run the extract/update commands in docs/translations.md and translate: {missing}"
