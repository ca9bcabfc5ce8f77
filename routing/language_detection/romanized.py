"""Which language a message typed in Latin letters is in: English, or an Indian language romanized.

Off-the-shelf detectors call romanized Hindi "English" or Hausa. Here every language's word model
(`latin_model`) scores each word of the message (`latin_words`: folded, names weighed lightly),
and the scores add up under priors that follow who is likely to write.

An English frame holds against unknown words. Names, brands and new spellings are unlisted words,
and in English chat most of them look Indian to a character model ("hi this is bhavesh from
ghatkopar"). So when the listed words favour English and one of them is an English function word
("is", "my", "from", "u"), an unlisted word may still tell Indian languages apart or look English,
but it no longer counts against English. Overturning the frame takes listed Indian words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache

from routing.language_detection.latin_model import LatinModels, Scores
from routing.language_detection.latin_words import Word
from routing.language_detection.lexicon import LATIN_LANGUAGES, ROMANIZED_LANGUAGES

# English is the likeliest Latin-script language; the Indian languages are equally likely. Hindi's far
# larger word lists already favour it, and a higher prior on top made unseen Kannada, Marathi and
# English-with-names messages come out as Hindi (issue 13).
PRIORS = {"en": 0.3, **{code: 0.7 / len(ROMANIZED_LANGUAGES) for code in ROMANIZED_LANGUAGES}}
MAX_WORDS = 16  # enough to settle any language; bounds the time a long message takes


@cache
def load_models() -> LatinModels:
    """The shipped word-model tables (a fraction of a second, once per process)."""
    return LatinModels.load()


def score_latin(words: Sequence[Word], models: LatinModels | None = None) -> dict[str, float]:
    """Posterior probability of each Latin-script language; {} when there is nothing to go on."""
    if not any(w.is_content for w in words):
        return {}
    models = models or load_models()
    scored = [(word, models.log_probabilities(word.text)) for word in words[:MAX_WORDS]]
    listed = [(word, scores) for word, scores in scored if models.is_listed(word.text)]
    totals = _added([math.log(PRIORS[code]) for code in LATIN_LANGUAGES], listed)
    framed = totals[0] == max(totals) and any(_is_frame_word(word, models) for word, _ in listed)
    unlisted = [
        (word, (max(scores), *scores[1:]) if framed else scores)
        for word, scores in scored
        if not models.is_listed(word.text)
    ]
    totals = _added(totals, unlisted)
    top = max(totals)
    exps = [math.exp(total - top) for total in totals]
    norm = sum(exps)
    return {code: value / norm for code, value in zip(LATIN_LANGUAGES, exps, strict=True)}


def _added(totals: list[float], scored: list[tuple[Word, Scores]]) -> list[float]:
    for word, scores in scored:
        totals = [total + word.weight * score for total, score in zip(totals, scores, strict=True)]
    return totals


def _is_frame_word(word: Word, models: LatinModels) -> bool:
    """A full-weight English function word typed as such ("ee", Malayalam's "this", folds to "i")."""
    return word.weight == 1.0 and word.exact and models.is_english_function_word(word.text)
