"""K-fold cross-validation of the romanized word models, over their own training words.

Each language's listed words are split into K folds by a fixed hash. For each fold the models are
rebuilt without that fold's words (neither listed nor taught to the character models), and short
synthetic messages are drawn from the held-back words: four words each, sampled by frequency,
with a quarter of them English as in real code-mixed text; English messages sometimes carry an
Indian name. It measures how the models do on words they were not given, which is most of what
an unseen message brings. It is not a sample of real messages: read it beside the held-out set.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass

from routing.language_detection.latin_model import LatinModels
from routing.language_detection.latin_words import words_of
from routing.language_detection.lexicon import LATIN_LANGUAGES, Lexicon, names, shipped_lexicons
from routing.language_detection.result import decide
from routing.language_detection.romanized import score_latin

FOLDS = 5
MESSAGES_PER_FOLD = 40  # per language
WORDS_PER_MESSAGE = 4
ENGLISH_SHARE = 0.25  # of the words in a romanized message
NAME_CHANCE = 0.5  # of an English message carrying a name
SURE_LATIN = 0.6  # as in the detector


@dataclass
class FoldScore:
    right: int = 0
    asked: int = 0
    total: int = 0


def cross_validate(seed: int = 13) -> dict[str, FoldScore]:
    """Accuracy and ask rate per Latin-script language, summed over the folds."""
    lexicons = shipped_lexicons()
    scores: dict[str, FoldScore] = defaultdict(FoldScore)
    rng = random.Random(seed)
    name_list = sorted(names())
    for fold in range(FOLDS):
        models = LatinModels.build({code: _without(lexicons[code], fold) for code in LATIN_LANGUAGES})
        held = {code: _held_back(lexicons[code], fold) for code in LATIN_LANGUAGES}
        for code in LATIN_LANGUAGES:
            for _ in range(MESSAGES_PER_FOLD):
                text = _message(code, held, name_list, rng)
                _count(scores[code], code, text, models)
    return scores


def _count(score: FoldScore, code: str, text: str, models: LatinModels) -> None:
    probabilities = score_latin(words_of(text), models)
    score.total += 1
    if not probabilities:
        score.asked += 1
        return
    detection = decide(probabilities, script="Latn", threshold=SURE_LATIN)
    score.asked += detection.language is None
    score.right += detection.language == code


def _message(code: str, held: dict[str, dict[str, float]], name_list: list[str], rng: random.Random) -> str:
    words = []
    for _ in range(WORDS_PER_MESSAGE):
        source = "en" if code != "en" and rng.random() < ENGLISH_SHARE else code
        words.append(_draw(held[source], rng))
    if code == "en" and rng.random() < NAME_CHANCE:
        words.insert(rng.randrange(len(words) + 1), rng.choice(name_list))
    return " ".join(words)


def _draw(frequencies: dict[str, float], rng: random.Random) -> str:
    words = list(frequencies)
    return rng.choices(words, weights=[frequencies[w] for w in words])[0]


def _without(lexicon: Lexicon, fold: int) -> Lexicon:
    kept = {w: p for w, p in lexicon.frequencies.items() if _fold_of(w) != fold}
    total = sum(kept.values())
    types = tuple(w for w in lexicon.types if _fold_of(w) != fold)
    return Lexicon({w: p / total for w, p in kept.items()}, types, lexicon.function_words)


def _held_back(lexicon: Lexicon, fold: int) -> dict[str, float]:
    return {w: p for w, p in lexicon.frequencies.items() if _fold_of(w) == fold}


def _fold_of(word: str) -> int:
    return int(hashlib.blake2b(word.encode(), digest_size=4).hexdigest(), 16) % FOLDS
