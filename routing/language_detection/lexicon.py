"""The shipped word lists, read into one lexicon per Latin-script language.

A lexicon has listed words with frequencies (what a message's words are scored against) and word
types (what its character model learns from). Frequencies average the language's lists, each
normalised: the hand-written list (rank stands in for frequency), wordfreq where it covers the
language, stop words and chat word lists (all equally likely). Types add spell-checker words and
our own prompts.

Function words (stop words and their chat spellings) are kept apart: English's make the frame of
an English message ("hi this is ... from ..."), which a name or an unknown word cannot overturn.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

from routing.language_detection.spelling import fold, fold_line

ROMANIZED_LANGUAGES: tuple[str, ...] = ("hi", "bn", "mr", "ta", "te", "kn", "ml")
LATIN_LANGUAGES: tuple[str, ...] = ("en", *ROMANIZED_LANGUAGES)
ENGLISH_CHARACTER_TYPES = 12000  # the English character model learns from this many commonest words
ENGLISH_CHAT_SHARE = 0.1  # share of English word frequency given to the hand-written chat forms
HAND_TYPE_WEIGHT = 3  # a hand-written (spoken-register) word counts this often in the character model
FUNCTION_LISTS = ("stopwords", "chat-stopwords")  # <list>-<code>.txt files of function words
UNIFORM_LISTS = (*FUNCTION_LISTS, "chat-words")  # lists without frequencies: every word equally likely


@dataclass(frozen=True)
class Lexicon:
    frequencies: dict[str, float]  # sums to 1
    types: tuple[str, ...]  # what the character model learns from; a repeated type counts more
    function_words: frozenset[str]  # the frame of a sentence: pronouns, particles, auxiliaries


@cache
def shipped_lexicons() -> dict[str, Lexicon]:
    return {code: _english() if code == "en" else _indian(code) for code in LATIN_LANGUAGES}


@cache
def names() -> frozenset[str]:
    """Indian given names, surnames and places (folded), which say nothing about the language."""
    return frozenset(w for line in _lines("names.txt") for w in fold_line(line))


def frequency_lists(code: str) -> list[dict[str, float]]:
    """The language's frequency lists, each normalised, before they are averaged."""
    lists = [_ranked(_lines(f"hand-{code}.txt"))]
    if _data(f"wordfreq-{code}.tsv").is_file():
        lists.append(_counted(_lines(f"wordfreq-{code}.tsv")))
    for name in UNIFORM_LISTS:
        if _data(f"{name}-{code}.txt").is_file():
            lists.append(_uniform(_lines(f"{name}-{code}.txt")))
    return [_normalized(listed) for listed in lists]


def function_words(code: str) -> frozenset[str]:
    """Stop words of the language, and their chat spellings ("u", "ur", "im" for English)."""
    listed = [f"{name}-{code}.txt" for name in FUNCTION_LISTS]
    return frozenset(
        w for name in listed if _data(name).is_file() for line in _lines(name) for w in fold_line(line)
    )


UNTAUGHT = True


def untaught_words(code: str) -> frozenset[str]:
    name = f"chat-words-{code}.txt"
    return (
        frozenset(w for line in _lines(name) for w in fold_line(line))
        if _data(name).is_file()
        else frozenset()
    )


def extra_types(code: str) -> list[str]:
    if not _data(f"types-{code}.txt").is_file():
        return []
    return [w for line in _lines(f"types-{code}.txt") for w in fold_line(line)]


def average(lists: Iterable[dict[str, float]], weights: Iterable[float]) -> dict[str, float]:
    merged: defaultdict[str, float] = defaultdict(float)
    for listed, weight in zip(lists, weights, strict=True):
        for word, p in listed.items():
            merged[word] += weight * p
    return _normalized(merged)


def _indian(code: str) -> Lexicon:
    """Spell-checker words are the written register; the hand lists, how people text, count more."""
    lists = frequency_lists(code)
    frequencies = average(lists, [1.0] * len(lists))
    spoken = list(lists[0]) * (HAND_TYPE_WEIGHT - 1)
    untaught = untaught_words(code)
    taught = [w for w in frequencies if w not in untaught]
    types = (*dict.fromkeys([*taught, *extra_types(code)]), *spoken)
    return Lexicon(frequencies, types, function_words(code))


def _english() -> Lexicon:
    written = _normalized(_counted(_lines("wordfreq-en.tsv")))
    chat = _normalized(_ranked(_lines("hand-en.txt")))
    frequencies = average([written, chat], [1.0 - ENGLISH_CHAT_SHARE, ENGLISH_CHAT_SHARE])
    common = sorted(written, key=written.__getitem__, reverse=True)[:ENGLISH_CHARACTER_TYPES]
    return Lexicon(frequencies, tuple(dict.fromkeys([*common, *chat])), function_words("en"))


def _ranked(lines: list[str]) -> dict[str, float]:
    """Hand-written lists are ordered commonest first; rank stands in for frequency (Zipf)."""
    frequencies: defaultdict[str, float] = defaultdict(float)
    for rank, word in enumerate(w for line in lines for w in fold_line(line)):
        frequencies[word] += 1.0 / (rank + 20)
    return frequencies


def _counted(lines: list[str]) -> dict[str, float]:
    frequencies: defaultdict[str, float] = defaultdict(float)
    for line in lines:
        word, _, value = line.partition("\t")
        for folded in fold(word):
            frequencies[folded] += float(value)
    return frequencies


def _uniform(lines: list[str]) -> dict[str, float]:
    return dict.fromkeys((w for line in lines for w in fold_line(line)), 1.0)


def _normalized(frequencies: dict[str, float]) -> dict[str, float]:
    total = sum(frequencies.values())
    return {word: value / total for word, value in frequencies.items()} if total else {}


def _lines(name: str) -> list[str]:
    text = _data(name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def _data(name: str) -> Traversable:
    return files("routing.language_detection.data").joinpath(name)
