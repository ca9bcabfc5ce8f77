"""A character n-gram model of words: how likely a string of letters is as a word of one language.

Unlisted words and spelling variants ("thumba", "tumbaa") still get a fair probability from the
letters they share with the words a language was trained on.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

ORDER = 4  # character n-gram length
ALPHABET = 27  # a-z and the end of a word
DIRICHLET = 3.0  # how strongly a context backs off to the shorter one


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
