"""Which language a message typed in Latin letters is in: English, or an Indian language romanized.

Off-the-shelf detectors call romanized Hindi "English" or Hausa. Here each language is a small
generative model of words: a frequency list (exact hits) mixed with a character 4-gram model
(spelling variants and unlisted words). A romanized message mixes in English words freely, so
each Indian language's model also emits English words with probability `CODE_MIXING`; an
all-English message is therefore likelier under English, and a single clearly Indian word
tips the balance. Spellings are folded first (ee->i, oo->u, repeated letters once) because
people write "nahiii", "nahee" and "nahi" for one word.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable

ROMANIZED_LANGUAGES: tuple[str, ...] = ("hi", "bn", "mr", "ta", "te", "kn", "ml")
LATIN_LANGUAGES: tuple[str, ...] = ("en", *ROMANIZED_LANGUAGES)

CODE_MIXING = 0.35  # share of English words in a romanized Indian-language message
CHARACTER_MODEL_WEIGHT = 0.25  # share of a language's words left to the character model
ORDER = 4  # character n-gram length
ALPHABET = 27  # a-z and the end of a word
DIRICHLET = 3.0  # how strongly a context backs off to the shorter one
PRIORS = {"en": 0.3, "hi": 0.25, **{code: 0.45 / 6 for code in ROMANIZED_LANGUAGES[1:]}}
MAX_WORDS = 40  # enough to settle any language; bounds the time a long message takes
MAX_WORD_LENGTH = 40  # longer "words" are keyboard mashing; the rest of it adds only time
ENGLISH_CHARACTER_TYPES = 12000  # the character model learns from this many commonest English words

# Greetings, thanks and titles that callers of every language type in English: no evidence either way.
NEUTRAL_WORDS = frozenset(
    {"hi", "hello", "helo", "hey", "ok", "okay", "k", "yes", "no", "sir", "madam", "mam", "maam", "dr"}
    | {"doctor", "please", "pls", "plz", "sorry", "thanks", "thank", "thanku", "namaste", "namaskar"}
)
_WORD = re.compile(r"[a-z]+")
_TOKEN = re.compile(r"[^\W\d_]+|[.!?]")
_SENTENCE_ENDS = frozenset(".!?")
_REPEATS = re.compile(r"(.)\1+")


def fold_spelling(word: str) -> str:
    """One spelling for the variants people type: lower case, ee->i, oo->u, no doubled letters."""
    word = word.replace("ee", "i").replace("oo", "u")
    return _REPEATS.sub(r"\1", word)


def words_of(text: str) -> list[str]:
    """Latin words, accents stripped and spellings folded; digits, emoji and punctuation dropped.

    Names say nothing about the language ("My name is Priya Sharma" is English), so a
    capitalised word inside a sentence is left out, unless the writer capitalises three words in four.
    """
    tokens = _TOKEN.findall(text)
    inside: list[str] = []  # words that do not start a sentence
    starts: list[bool] = []
    sentence_start = True
    for i, token in enumerate(tokens):
        if token in _SENTENCE_ENDS:
            sentence_start = sentence_start or not _is_abbreviation(tokens[i - 1] if i else "")
            continue
        starts.append(sentence_start)
        if not sentence_start:
            inside.append(token)
        sentence_start = False
    drop_names = sum(_is_titled(w) for w in inside) * 4 < len(inside) * 3
    words = [t for t in tokens if t not in _SENTENCE_ENDS]
    kept: list[str] = []
    for word, start in zip(words, starts, strict=True):
        if not (drop_names and not start and _is_titled(word)):
            kept.extend(_fold(word))
    return kept


def _fold(token: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", token[:MAX_WORD_LENGTH].lower()).encode("ascii", "ignore").decode()
    return [fold_spelling(w) for w in _WORD.findall(plain) if w not in NEUTRAL_WORDS]


def _is_titled(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word[1:].islower()


def _is_abbreviation(word: str) -> bool:
    """ "Dr." and "Mr." do not end a sentence."""
    return _is_titled(word) and len(word) <= 3


class CharacterModel:
    """Probability of a whole word as a string of letters, interpolating 1- to ORDER-grams.

    P(c | h) = (count(h c) + DIRICHLET * P(c | shorter h)) / (count(h) + DIRICHLET), with the
    seen n-grams worked out once at load time so a lookup is a dictionary hit or two.
    """

    def __init__(self, words: Iterable[str]) -> None:
        """Learn from word types, each counted once: unlisted words resemble types, not tokens."""
        counts: Counter[str] = Counter()
        contexts: Counter[str] = Counter()
        for word in words:
            padded = "^" * (ORDER - 1) + word + "$"
            for i in range(ORDER - 1, len(padded)):
                for n in range(ORDER):
                    context = padded[i - n : i]
                    counts[context + "|" + padded[i]] += 1
                    contexts[context] += 1
        self._log_backoff = {h: math.log(DIRICHLET / (total + DIRICHLET)) for h, total in contexts.items()}
        self._log_p: dict[str, float] = {}
        for key in sorted(counts, key=len):  # shorter contexts first: longer ones build on them
            context, char = key[:-2], key[-1]
            lower = math.exp(self._log_next(context[1:], char)) if context else 1.0 / ALPHABET
            self._log_p[key] = math.log((counts[key] + DIRICHLET * lower) / (contexts[context] + DIRICHLET))

    def log_probability(self, word: str) -> float:
        padded = "^" * (ORDER - 1) + word + "$"
        return sum(
            self._log_next(padded[i - ORDER + 1 : i], padded[i]) for i in range(ORDER - 1, len(padded))
        )

    def _log_next(self, context: str, char: str) -> float:
        backoff = 0.0
        while True:
            seen = self._log_p.get(context + "|" + char)
            if seen is not None:
                return backoff + seen
            backoff += self._log_backoff.get(context, 0.0)
            if not context:
                return backoff - math.log(ALPHABET)
            context = context[1:]


@dataclass(frozen=True)
class WordModel:
    """A language's word distribution: listed words plus a character model for the rest."""

    frequencies: dict[str, float]
    characters: CharacterModel

    def probability(self, word: str) -> float:
        listed = self.frequencies.get(word, 0.0)
        spelled = math.exp(self.characters.log_probability(word))
        return (1.0 - CHARACTER_MODEL_WEIGHT) * listed + CHARACTER_MODEL_WEIGHT * spelled


def score_latin(words: list[str]) -> dict[str, float]:
    """Posterior probability of each Latin-script language given the words; {} when there are none."""
    if not words:
        return {}
    totals = dict.fromkeys(LATIN_LANGUAGES, 0.0)
    for word in words[:MAX_WORDS]:
        for code, log_p in zip(LATIN_LANGUAGES, _word_log_probabilities(word), strict=True):
            totals[code] += log_p
    for code in totals:
        totals[code] += math.log(PRIORS[code])
    top = max(totals.values())
    exps = {code: math.exp(total - top) for code, total in totals.items()}
    norm = sum(exps.values())
    return {code: value / norm for code, value in exps.items()}


@lru_cache(maxsize=65536)
def _word_log_probabilities(word: str) -> tuple[float, ...]:
    """log P(word | language) for each of LATIN_LANGUAGES, Indian ones mixed with English."""
    models = load_models()
    english = models["en"].probability(word)
    scores = [math.log(english)]
    for code in ROMANIZED_LANGUAGES:
        own = models[code].probability(word)
        scores.append(math.log((1.0 - CODE_MIXING) * own + CODE_MIXING * english))
    return tuple(scores)


@cache
def load_models() -> dict[str, WordModel]:
    """Build every language's model from the shipped lists (about a second, once per process)."""
    models = {"en": _english_model()}
    for code in ROMANIZED_LANGUAGES:
        models[code] = _indian_model(code)
    return models


def _english_model() -> WordModel:
    frequencies = _read_frequencies("wordfreq-en.tsv")
    common = sorted(frequencies, key=frequencies.__getitem__, reverse=True)[:ENGLISH_CHARACTER_TYPES]
    return WordModel(_normalized(frequencies), CharacterModel(common))


def _indian_model(code: str) -> WordModel:
    lists = [_read_hand_list(f"hand-{code}.txt")]
    if _data(f"wordfreq-{code}.tsv").is_file():
        lists.append(_read_frequencies(f"wordfreq-{code}.tsv"))
    frequencies: defaultdict[str, float] = defaultdict(float)
    for listed in lists:
        for word, p in _normalized(listed).items():
            frequencies[word] += p / len(lists)
    return WordModel(dict(frequencies), CharacterModel(frequencies))


def _read_frequencies(name: str) -> dict[str, float]:
    frequencies: defaultdict[str, float] = defaultdict(float)
    for line in _data(name).read_text(encoding="utf-8").splitlines():
        word, _, value = line.partition("\t")
        for folded in words_of(word):
            frequencies[folded] += float(value)
    return frequencies


def _read_hand_list(name: str) -> dict[str, float]:
    """Hand-written lists are ordered commonest first; rank stands in for frequency (Zipf)."""
    lines = _data(name).read_text(encoding="utf-8").splitlines()
    words = [w for line in lines if not line.startswith("#") for w in words_of(line)]
    frequencies: defaultdict[str, float] = defaultdict(float)
    for rank, word in enumerate(words):
        frequencies[word] += 1.0 / (rank + 20)
    return frequencies


def _normalized(frequencies: dict[str, float]) -> dict[str, float]:
    total = sum(frequencies.values())
    return {word: value / total for word, value in frequencies.items()}


def _data(name: str) -> Traversable:
    return files("routing.language_detection.data").joinpath(name)
