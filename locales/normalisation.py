"""Fold text so that the many ways people type the same word compare equal.

Both the word lists in ``locales/`` and incoming messages go through ``normalise``; a folding step only has
to be consistent, never linguistically exact. Doctors type on phones in a hurry: mixed case, no nukta or
with it, ``हूँ`` or ``हूं``, zero-width joiners from one keyboard and not another, Arabic or Urdu forms of the
same Urdu letter, and stretched words ("pleeease", "marnaaa").
"""

import re
import unicodedata

# Old-style Malayalam chillu (consonant + virama + ZWJ) becomes the atomic chillu letter, before ZWJ goes.
_MALAYALAM_CHILLU = {
    "ണ്\u200d": "ൺ",
    "ന്\u200d": "ൻ",
    "ര്\u200d": "ർ",
    "ല്\u200d": "ൽ",
    "ള്\u200d": "ൾ",
    "ക്\u200d": "ൿ",
}
_NUKTAS = "\u093c\u09bc\u0a3c\u0abc\u0b3c\u0cbc"  # Devanagari, Bengali, Gurmukhi, Gujarati, Odia, Kannada
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"  # zero-width space, non-joiner, joiner, word joiner, BOM
_APOSTROPHES = "'\u2019\u02bc\u2018`´"  # "don't" -> "dont", Assamese "ল'ব" -> "লব"
_ARABIC_MARKS = "".join(chr(code) for code in range(0x064B, 0x0660)) + "\u0670"  # harakat, superscript alef
_FOLD = str.maketrans(
    {
        **{char: None for char in _NUKTAS + _INVISIBLE + _APOSTROPHES + _ARABIC_MARKS},
        "\u0901": "\u0902",  # Devanagari chandrabindu -> anusvara: हूँ == हूं
        "\u0a70": "\u0a02",  # Gurmukhi tippi -> bindi
        "\u064a": "\u06cc",  # Arabic yeh -> Farsi/Urdu yeh
        "\u0649": "\u06cc",  # alef maksura -> Urdu yeh
        "\u0643": "\u06a9",  # Arabic kaf -> keheh
        "\u0647": "\u06c1",  # Arabic heh -> heh goal
    }
)
_REPEATED_LETTER = re.compile(r"([^\W\d_])\1+")


def normalise(text: str) -> str:
    """Casefolded, NFC, punctuation as spaces, repeated letters collapsed, single-spaced."""
    text = unicodedata.normalize("NFC", text)
    for old, new in _MALAYALAM_CHILLU.items():
        text = text.replace(old, new)
    text = text.casefold().translate(_FOLD)
    text = "".join(" " if unicodedata.category(char)[0] in "PSZC" else char for char in text)
    text = _REPEATED_LETTER.sub(r"\1", text)
    return " ".join(text.split())
