"""Explicit choices: a menu number, or a language named in English or in its own script.

Names come from Babel's CLDR data (each language's own name, and its name in every language we
serve, so a Hindi speaker typing "तमिल" is understood), plus the few alternates people use that
CLDR does not list.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache

from babel import Locale

from routing.language_detection.result import LANGUAGES

ALTERNATE_NAMES: dict[str, tuple[str, ...]] = {
    "hi": ("hindee", "hinglish", "हिंदी"),
    "bn": ("bengali", "bangala", "banglish"),
    "or": ("oriya", "odiya"),
    "pa": ("panjabi",),
    "as": ("asamiya", "axomiya", "assami"),
    "en": ("angrezi", "angreji", "inglish"),
    "ur": ("urudu",),
    "ta": ("thamizh", "tamizh"),
    "ml": ("malayalm",),
}
# Words around a name that do not change the choice ("Tamil please", "in Hindi").
FILLERS = frozenset(
    [
        "please",
        "pls",
        "plz",
        "in",
        "language",
        "bhasha",
        "bhasa",
        "me",
        "mein",
        "main",
        "i",
        "want",
        "my",
        "the",
        "option",
        "choose",
        "select",
    ]
)
_WORD = re.compile(r"[\w\u0900-\u0DFF]+")  # \w alone splits Indic words at their vowel signs


def normalize(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().strip()


@cache
def language_names() -> dict[str, str]:
    """Every known name (normalised) to its language code."""
    names: dict[str, str] = {}
    for code in LANGUAGES:
        for display in LANGUAGES:
            name = Locale.parse(display).languages.get(code)
            if name:
                names[normalize(name)] = code
        names[normalize(Locale.parse("en").languages[code])] = code
        for alternate in ALTERNATE_NAMES.get(code, ()):
            names[normalize(alternate)] = code
    return names


def explicit_choice(text: str, menu: Sequence[str]) -> str | None:
    """The language the text picks outright, or None when it is not a bare choice."""
    words = [w for w in _words(text) if w not in FILLERS]
    if len(words) == 1 and words[0].isdigit():
        return _menu_entry(words[0], menu)
    named = {language_names().get(w) for w in words}
    if words and len(named) == 1 and None not in named:
        return named.pop()
    return None


def _menu_entry(number: str, menu: Sequence[str]) -> str | None:
    position = int("".join(str(unicodedata.digit(d)) for d in number))
    if 1 <= position <= len(menu):
        return menu[position - 1]
    return None


def _words(text: str) -> list[str]:
    return _WORD.findall(normalize(text))
