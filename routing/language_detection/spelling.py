"""One spelling for the many ways a romanized word is typed, shared by the word lists and the messages."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MAX_WORD_LENGTH = 40  # longer "words" are keyboard mashing; the rest of it adds only time
_WORD = re.compile(r"[a-z]+")
_REPEATS = re.compile(r"(.)\1+")


def fold_spelling(word: str) -> str:
    """Lower-case ASCII in, one spelling out: ee->i, oo->u, no doubled letters ("nahiii" = "nahee" = "nahi")."""
    word = word.replace("ee", "i").replace("oo", "u")
    return _REPEATS.sub(r"\1", word)


@lru_cache(maxsize=65536)
def fold(token: str) -> tuple[str, ...]:
    """The folded Latin words of one token: lower case, accents stripped, apostrophes split."""
    plain = unicodedata.normalize("NFKD", token[:MAX_WORD_LENGTH].lower()).encode("ascii", "ignore").decode()
    return tuple(fold_spelling(w) for w in _WORD.findall(plain))


def fold_line(line: str) -> list[str]:
    """The folded words of a line of whitespace-separated tokens."""
    return [word for token in line.split() for word in fold(token)]


VOWELS = "aeiouy"


def vowel_neighbours(word: str) -> set[str]:
    """Every spelling one vowel away: a vowel dropped, changed or added ("stori" -> "story", "store")."""
    near = set()
    for i, char in enumerate(word):
        if char in VOWELS:
            near.add(word[:i] + word[i + 1 :])
            near.update(word[:i] + vowel + word[i + 1 :] for vowel in VOWELS if vowel != char)
    near.update(word[:i] + vowel + word[i:] for i in range(len(word) + 1) for vowel in VOWELS)
    near.discard(word)
    return near
