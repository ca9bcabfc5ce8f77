"""How likely a word is in each Latin-script language, from tables compiled when the lists are built.

Each language is a generative model of words: a frequency list (exact hits) mixed with a
character 4-gram model (spelling variants and unlisted words). Romanized messages mix in English
freely, so each Indian language also emits English words with probability `CODE_MIXING`; English
chat in turn borrows Indian words (names, places, food, "yaar") at `INDIAN_WORDS_IN_ENGLISH`.

No word counts for more than a few nats either way. A word no list has (a name, a brand, a new
spelling) is scored by the sharp character models alone, and counts for less. An unlisted word one
vowel away from a common English word ("stori", "muvie", "plese") may be that word misspelt: it is
as likely in English as that word, less `MISSPELLING_PENALTY`. Whether such a
word may count against English at all is the message's business (`romanized.score_latin`).

Scoring every listed word and every letter window takes seconds, so `rebuild_wordlists` does it
once and ships the result (`data/latin-models.npz`); loading it is one read.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from importlib.resources import files
from typing import Any

import numpy as np

from routing.language_detection.character_model import LOG_ALPHABET, CharacterModel, windows
from routing.language_detection.lexicon import LATIN_LANGUAGES, ROMANIZED_LANGUAGES, Lexicon
from routing.language_detection.spelling import vowel_neighbours

CODE_MIXING = 0.35  # share of English words in a romanized Indian-language message
INDIAN_WORDS_IN_ENGLISH = 0.05  # share of Indian words (names, places, film titles) in English chat
CHARACTER_MODEL_WEIGHT = 0.25  # share of a language's words left to the character model
LISTED_EVIDENCE_CAP = 8.0  # at most this many nats of evidence from one listed word
UNLISTED_EVIDENCE_CAP = 4.0  # and from a word no list has: a factor of 20
MISSPELLING_PENALTY = 3.0  # nats: a misspelling is rarer than the word, and the guess may be wrong
MISSPELT_WORDS = 12000  # the commonest English words a misspelling may stand for
MIN_MISSPELT_LETTERS = 4  # shorter words are too often one vowel from some English word
CACHE_SIZE = 65536  # unlisted words, and letter windows, whose scores are kept
COMPILED = "latin-models.npz"
Scores = tuple[float, ...]  # one per language of LATIN_LANGUAGES


class LatinModels:
    """Every Latin-script language's word scores: listed words looked up, the rest spelled out."""

    def __init__(
        self,
        words: dict[str, Scores],
        grams: dict[str, Scores],
        contexts: dict[str, Scores],
        frame: frozenset[str],
        english: frozenset[str] = frozenset(),
    ) -> None:
        self._words = words  # listed word -> capped log P(word | language)
        self._grams = grams  # seen n-gram -> log P(last letter | the letters before it)
        self._contexts = contexts  # seen context -> log back-off weight (0 where unseen)
        self._frame = frame  # English function words
        self._english = english  # common English words that a misspelling may stand for
        self._unit = tuple(-LOG_ALPHABET for _ in LATIN_LANGUAGES)
        self._zeros = tuple(0.0 for _ in LATIN_LANGUAGES)
        self._cache: dict[str, Scores] = {}
        self._windows: dict[str, Scores] = {}

    @classmethod
    def build(cls, lexicons: Mapping[str, Lexicon]) -> LatinModels:
        """Train the character models and score every listed word (seconds; done at build time)."""
        characters = [CharacterModel(lexicons[code].types) for code in LATIN_LANGUAGES]
        grams = sorted(set().union(*(model.seen_grams() for model in characters)))
        contexts = sorted(set().union(*(model.seen_contexts() for model in characters)))
        models = cls(
            {},
            {g: tuple(m.window_log_probability(g) for m in characters) for g in grams},
            {h: tuple(m.context_log_backoff(h) for m in characters) for h in contexts},
            lexicons["en"].function_words,
            _common_english(lexicons["en"]),
        )
        models._words = {word: models._score_listed(word, lexicons) for word in _listed(lexicons)}
        models.forget()
        return models

    @classmethod
    def load(cls) -> LatinModels:
        """The shipped tables: one file read, no training."""
        with (
            files("routing.language_detection.data").joinpath(COMPILED).open("rb") as f,
            np.load(f) as tables,
        ):
            return cls(
                _table(tables, "words"), _table(tables, "grams"), _table(tables, "contexts"),
                frozenset(_keys(tables, "frame")), frozenset(_keys(tables, "english")),
            )  # fmt: skip

    def save(self, path: str) -> None:
        arrays: dict[str, Any] = {
            "frame_keys": _packed(sorted(self._frame)),
            "english_keys": _packed(sorted(self._english)),
        }  # numpy stubs type **kwargs as bool
        for name, table in (("words", self._words), ("grams", self._grams), ("contexts", self._contexts)):
            arrays[f"{name}_keys"] = _packed(table)
            arrays[f"{name}_values"] = np.array(list(table.values()), dtype=np.float16)
        np.savez_compressed(path, **arrays)

    def is_listed(self, word: str) -> bool:
        return word in self._words

    def is_english_function_word(self, word: str) -> bool:
        """ "is", "my", "the", "u": the frame of an English sentence, rarely borrowed into another language."""
        return word in self._frame

    def log_probabilities(self, word: str) -> Scores:
        """log P(word | language) for each of LATIN_LANGUAGES, capped as the module docstring says."""
        scores = self._words.get(word) or self._cache.get(word)
        if scores is None:
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            scores = self._cache[word] = self._score_unlisted(word)
        return scores

    def forget(self) -> None:
        """Forget the unlisted words and letter windows met so far (the benchmark times unseen words)."""
        self._cache.clear()
        self._windows.clear()

    def _score_listed(self, word: str, lexicons: Mapping[str, Lexicon]) -> Scores:
        own = [
            (1.0 - CHARACTER_MODEL_WEIGHT) * lexicons[code].frequencies.get(word, 0.0)
            + CHARACTER_MODEL_WEIGHT * math.exp(log_spelled)
            for code, log_spelled in zip(LATIN_LANGUAGES, self._spellings(word), strict=True)
        ]
        return _capped(_mixed(own), LISTED_EVIDENCE_CAP)

    def _score_unlisted(self, word: str) -> Scores:
        own = [CHARACTER_MODEL_WEIGHT * math.exp(log_spelled) for log_spelled in self._spellings(word)]
        scores = _mixed(own)
        scores[0] = max(scores[0], self._as_misspelt_english(word))
        return _capped(scores, UNLISTED_EVIDENCE_CAP)

    def _as_misspelt_english(self, word: str) -> float:
        """log P in English of the likeliest common English word one vowel away, less the penalty."""
        if len(word) < MIN_MISSPELT_LETTERS:
            return -math.inf
        near = vowel_neighbours(word) & self._english
        if not near:
            return -math.inf
        return max(self._words[w][0] for w in near) - MISSPELLING_PENALTY

    def _spellings(self, word: str) -> list[float]:
        """Each character model's log-probability of the word, one window lookup for all languages."""
        totals = list(self._zeros)
        for window in windows(word):
            totals = [total + value for total, value in zip(totals, self._window(window), strict=True)]
        return totals

    def _window(self, gram: str) -> Scores:
        """An unseen n-gram backs off to the one a letter shorter, as in CharacterModel."""
        values = self._grams.get(gram) or self._windows.get(gram)
        if values is None:
            lower = self._window(gram[1:]) if len(gram) > 1 else self._unit
            back = self._contexts.get(gram[:-1], self._zeros)
            values = tuple(b + v for b, v in zip(back, lower, strict=True))
            if len(self._windows) < CACHE_SIZE:
                self._windows[gram] = values
        return values


def _mixed(own: list[float]) -> list[float]:
    """English borrows the Indian languages' average; each Indian language borrows English."""
    indian = sum(own[1:]) / len(ROMANIZED_LANGUAGES)
    scores = [math.log((1.0 - INDIAN_WORDS_IN_ENGLISH) * own[0] + INDIAN_WORDS_IN_ENGLISH * indian)]
    scores += [math.log((1.0 - CODE_MIXING) * p + CODE_MIXING * own[0]) for p in own[1:]]
    return scores


def _capped(scores: list[float], cap: float) -> Scores:
    floor = max(scores) - cap
    return tuple(max(score, floor) for score in scores)


def _common_english(english: Lexicon) -> frozenset[str]:
    ranked = sorted(english.frequencies, key=english.frequencies.__getitem__, reverse=True)
    return frozenset(w for w in ranked[:MISSPELT_WORDS] if len(w) >= MIN_MISSPELT_LETTERS)


def _listed(lexicons: Mapping[str, Lexicon]) -> Iterable[str]:
    return dict.fromkeys(word for lexicon in lexicons.values() for word in lexicon.frequencies)


def _table(tables: Mapping[str, np.ndarray], name: str) -> dict[str, Scores]:
    """float16 to Python floats by way of float64, which numpy converts three times faster."""
    values = tables[f"{name}_values"].astype(np.float64).tolist()
    return dict(zip(_keys(tables, name), map(tuple, values), strict=True))


def _keys(tables: Mapping[str, np.ndarray], name: str) -> list[str]:
    return tables[f"{name}_keys"].tobytes().decode().split("\n")


def _packed(keys: Iterable[str]) -> np.ndarray:
    return np.frombuffer("\n".join(keys).encode(), dtype=np.uint8)
