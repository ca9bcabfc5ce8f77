"""Which writing system a message uses, counted letter by letter from Unicode ranges."""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections import Counter
from functools import lru_cache

# (first code point, last code point, script); "Zyyy" for letters of scripts we do not serve.
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x005A, "Latn"),
    (0x0061, 0x007A, "Latn"),
    (0x00C0, 0x024F, "Latn"),
    (0x0370, 0x05FF, "Zyyy"),
    (0x0600, 0x06FF, "Arab"),
    (0x0700, 0x074F, "Zyyy"),
    (0x0750, 0x077F, "Arab"),
    (0x0780, 0x08FF, "Zyyy"),
    (0x0900, 0x097F, "Deva"),
    (0x0980, 0x09FF, "Beng"),
    (0x0A00, 0x0A7F, "Guru"),
    (0x0A80, 0x0AFF, "Gujr"),
    (0x0B00, 0x0B7F, "Orya"),
    (0x0B80, 0x0BFF, "Taml"),
    (0x0C00, 0x0C7F, "Telu"),
    (0x0C80, 0x0CFF, "Knda"),
    (0x0D00, 0x0D7F, "Mlym"),
    (0x0D80, 0x1DFF, "Zyyy"),
    (0x1E00, 0x1EFF, "Latn"),
    (0x1F00, 0x1FFF, "Zyyy"),
    (0x3040, 0x9FFF, "Zyyy"),
    (0xA8E0, 0xA8FF, "Deva"),
    (0xAC00, 0xD7AF, "Zyyy"),
    (0xFB50, 0xFDFF, "Arab"),
    (0xFE70, 0xFEFF, "Arab"),
)
_STARTS = [start for start, _, _ in _RANGES]

SINGLE_LANGUAGE_SCRIPTS: dict[str, str] = {
    "Gujr": "gu",
    "Guru": "pa",
    "Orya": "or",
    "Taml": "ta",
    "Telu": "te",
    "Knda": "kn",
    "Mlym": "ml",
    "Arab": "ur",
}
SHARED_SCRIPTS: dict[str, tuple[str, ...]] = {"Deva": ("hi", "mr"), "Beng": ("bn", "as")}


@lru_cache(maxsize=4096)
def script_of(char: str) -> str | None:
    """The script of a letter or vowel sign; None for digits, punctuation, spaces and emoji."""
    code = ord(char)
    i = bisect_right(_STARTS, code) - 1
    if i < 0 or code > _RANGES[i][1]:
        return None
    script = _RANGES[i][2]
    if not (char.isalpha() or _is_mark(char)):
        return None
    return script


def count_scripts(text: str) -> Counter[str]:
    """Letters per script, so a stray Latin word in a Hindi message does not outvote it."""
    counts: Counter[str] = Counter()
    for char, n in Counter(text).items():  # each distinct character looked up once
        script = script_of(char)
        if script is not None:
            counts[script] += n
    return counts


def _is_mark(char: str) -> bool:
    """Indic vowel signs are combining marks (Mn/Mc), not letters, yet they belong to the script."""
    return unicodedata.category(char).startswith("M")
