"""Which language a message typed in Latin letters is in: English, or an Indian language romanized.

Off-the-shelf detectors call romanized Hindi "English" or Hausa. Here each language is a small
generative model of words: a frequency list (exact hits) mixed with a character 4-gram model
(spelling variants and unlisted words). A romanized message mixes in English words freely, so
each Indian language's model also emits English words with probability `CODE_MIXING`; an
all-English message is therefore likelier under English, and a single clearly Indian word
tips the balance. No word counts for more than a few nats either way, and an unlisted word (a
name, a brand, a new spelling), which only the character models score, counts for less: those
models are sharp, and one such word could otherwise outweigh a whole sentence of listed words.

Names are not language. "Hi, this is Ramesh from Pune" is English, and "Ramesh" would otherwise
look like a Hindi word to a character model. A word that looks like a name (capitalised inside a
sentence, in the shipped list of Indian names and places, or a lone initial) counts with weight
`NAME_WEIGHT`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from routing.language_detection.character_model import CharacterModel, windows
from routing.language_detection.lexicon import (
    LATIN_LANGUAGES,
    ROMANIZED_LANGUAGES,
    Lexicon,
    names,
    shipped_lexicons,
)
from routing.language_detection.spelling import fold

CODE_MIXING = 0.35  # share of English words in a romanized Indian-language message
INDIAN_WORDS_IN_ENGLISH = 0.05  # share of Indian words (names, places, film titles) in English chat
CHARACTER_MODEL_WEIGHT = 0.25  # share of a language's words left to the character model
NAME_WEIGHT = 0.15  # how much a name-like word counts, against 1 for any other word
LISTED_EVIDENCE_CAP = 8.0  # at most this many nats of evidence from one listed word
UNLISTED_EVIDENCE_CAP = 4.0  # and from a word no list has (a name, a brand, a new spelling): a factor of 20
PRIORS = {"en": 0.3, "hi": 0.2, **{code: 0.5 / 6 for code in ROMANIZED_LANGUAGES[1:]}}
MAX_WORDS = 16  # enough to settle any language; bounds the time a long message takes
CACHE_SIZE = 65536  # words whose scores are kept

# Titles that callers of every language type: no evidence either way.
TITLES = frozenset({"sir", "madam", "mam", "maam", "madm", "dr", "doctor", "doc", "bro", "ji"})
# Greetings and thanks: they count for English, but a message of nothing else is everyone's opener.
GREETINGS = frozenset(
    {"hi", "hello", "helo", "hey", "ok", "okay", "k", "yes", "no", "please", "pls", "plz", "sorry"}
    | {"thanks", "thank", "thanku", "thankyou", "thanx", "thx", "tq", "namaste", "namaskar", "namaskara"}
)
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|[.!?]")
_SENTENCE_ENDS = frozenset(".!?")


@dataclass(frozen=True)
class Word:
    text: str  # folded
    weight: float  # 1, or NAME_WEIGHT for a name-like word

    @property
    def is_content(self) -> bool:
        """A full-weight word other than a greeting: something to go on."""
        return self.weight == 1.0 and self.text not in GREETINGS


def words_of(text: str) -> list[Word]:
    """The message's Latin words, folded, with titles left out and name-like words weighed lightly.

    A capitalised word inside a sentence is name-like, unless the writer capitalises three
    words in four ("Mera Naam Priya Hai").
    """
    tokens = _TOKEN.findall(text)
    words: list[tuple[str, bool]] = []  # token, starts a sentence
    sentence_start = True
    for i, token in enumerate(tokens):
        if token in _SENTENCE_ENDS:
            sentence_start = sentence_start or not _is_abbreviation(tokens[i - 1] if i else "")
            continue
        words.append((token, sentence_start))
        sentence_start = False
    inside = [token for token, start in words if not start]
    capitals_mark_names = sum(_is_titled(w) for w in inside) * 4 < len(inside) * 3
    known_names = names()
    weighed: list[Word] = []
    for token, start in words:
        titled_name = capitals_mark_names and not start and _is_titled(token)
        for folded in fold(token):
            if folded in TITLES:
                continue
            is_name = titled_name or folded in known_names or _is_initial(folded)
            weighed.append(Word(folded, NAME_WEIGHT if is_name else 1.0))
    return weighed


def _is_initial(word: str) -> bool:
    """A lone letter other than English's "i", "a" and "u" is an initial or a shorthand ("H b d")."""
    return len(word) == 1 and word not in "iau"


def _is_titled(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word[1:].islower()


def _is_abbreviation(word: str) -> bool:
    """ "Dr." and "Mr." do not end a sentence."""
    return _is_titled(word) and len(word) <= 3


@dataclass(frozen=True)
class WordModel:
    """A language's word distribution: listed words plus a character model for the rest."""

    frequencies: dict[str, float]
    characters: CharacterModel

    def probability(self, word: str, log_spelled: float) -> float:
        """P(word), given the character model's log-probability of its spelling."""
        listed = self.frequencies.get(word, 0.0)
        return (1.0 - CHARACTER_MODEL_WEIGHT) * listed + CHARACTER_MODEL_WEIGHT * math.exp(log_spelled)


class LatinModels:
    """Every Latin-script language's word model, with each word's scores remembered."""

    def __init__(self, lexicons: dict[str, Lexicon]) -> None:
        self.models = {
            code: WordModel(lexicons[code].frequencies, CharacterModel(lexicons[code].types))
            for code in LATIN_LANGUAGES
        }
        self._cache: dict[str, tuple[float, ...]] = {}
        self._known_windows: dict[str, tuple[float, ...]] = {}  # window -> log-probability per language
        for lexicon in lexicons.values():
            for word in lexicon.frequencies:
                for window in windows(word):
                    if window not in self._known_windows:
                        self._known_windows[window] = self._window_values(window)
        self._windows = dict(self._known_windows)

    def log_probabilities(self, word: str) -> tuple[float, ...]:
        """log P(word | language) for each of LATIN_LANGUAGES, Indian ones mixed with English."""
        scores = self._cache.get(word)
        if scores is None:
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            scores = self._cache[word] = self._score(word)
        return scores

    def forget(self) -> None:
        """Forget the words and letter windows met since loading (the benchmark times unseen words)."""
        self._cache.clear()
        self._windows = dict(self._known_windows)

    def _score(self, word: str) -> tuple[float, ...]:
        spelled = self._spellings(word)
        english = self.models["en"].probability(word, spelled[0])
        indian = [
            self.models[code].probability(word, log_spelled)
            for code, log_spelled in zip(ROMANIZED_LANGUAGES, spelled[1:], strict=True)
        ]
        borrowed = sum(indian) / len(indian)
        scores = [math.log((1.0 - INDIAN_WORDS_IN_ENGLISH) * english + INDIAN_WORDS_IN_ENGLISH * borrowed)]
        for own in indian:
            scores.append(math.log((1.0 - CODE_MIXING) * own + CODE_MIXING * english))
        listed = any(word in model.frequencies for model in self.models.values())
        floor = max(scores) - (LISTED_EVIDENCE_CAP if listed else UNLISTED_EVIDENCE_CAP)
        return tuple(max(score, floor) for score in scores)

    def _spellings(self, word: str) -> list[float]:
        """Each character model's log-probability of the word, one window lookup for all languages.

        Windows recur across words, and an unseen window costs several back-off lookups per
        language, so the windows of every listed word are worked out at load time and new ones
        are kept as they come (up to CACHE_SIZE more).
        """
        totals = [0.0] * len(LATIN_LANGUAGES)
        for window in windows(word):
            values = self._windows.get(window)
            if values is None:
                values = self._window_values(window)
                if len(self._windows) < len(self._known_windows) + CACHE_SIZE:
                    self._windows[window] = values
            totals = [total + value for total, value in zip(totals, values, strict=True)]
        return totals

    def _window_values(self, window: str) -> tuple[float, ...]:
        return tuple(self.models[code].characters.window_log_probability(window) for code in LATIN_LANGUAGES)


@cache
def load_models() -> LatinModels:
    """Build every language's model from the shipped lists (about a second, once per process)."""
    return LatinModels(shipped_lexicons())


def score_latin(words: Sequence[Word], models: LatinModels | None = None) -> dict[str, float]:
    """Posterior probability of each Latin-script language; {} when there is nothing to go on."""
    if not any(w.is_content for w in words):
        return {}
    models = models or load_models()
    totals = {code: math.log(PRIORS[code]) for code in LATIN_LANGUAGES}
    for word in words[:MAX_WORDS]:
        for code, log_p in zip(LATIN_LANGUAGES, models.log_probabilities(word.text), strict=True):
            totals[code] += word.weight * log_p
    top = max(totals.values())
    exps = {code: math.exp(total - top) for code, total in totals.items()}
    norm = sum(exps.values())
    return {code: value / norm for code, value in exps.items()}
