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
LOG_ALPHABET = math.log(ALPHABET)
PAD = "^" * (ORDER - 1)


class CharacterModel:
    """Probability of a whole word as a string of letters, interpolating 1- to ORDER-grams.

    P(c | h) = (count(h c) + DIRICHLET * P(c | shorter h)) / (count(h) + DIRICHLET), with the
    seen n-grams worked out once at load time so a lookup is a dictionary hit or two.
    """

    def __init__(self, words: Iterable[str]) -> None:
        """Learn from word types: unlisted words resemble types, not tokens. A repeated type counts more.

        Keys are the n-gram itself (context then letter) and, for back-off weights, the context.
        """
        counts: Counter[str] = Counter()
        for word in words:  # every n-gram of 1 to ORDER letters ending at each letter of the word
            padded = PAD + word + "$"
            counts.update(
                [padded[i - n : i + 1] for i in range(ORDER - 1, len(padded)) for n in range(ORDER)]
            )
        contexts: Counter[str] = Counter()
        for key, count in counts.items():
            contexts[key[:-1]] += count
        self._log_backoff = {h: math.log(DIRICHLET / (total + DIRICHLET)) for h, total in contexts.items()}
        self._log_p: dict[str, float] = {}
        self._shorter: dict[str, float] = {}  # backed-off values of n-grams shorter than ORDER
        for key in sorted(counts, key=len):  # shorter first: a seen n-gram's suffix was seen too
            lower = math.exp(self._log_p[key[1:]]) if len(key) > 1 else 1.0 / ALPHABET
            self._log_p[key] = math.log((counts[key] + DIRICHLET * lower) / (contexts[key[:-1]] + DIRICHLET))

    def seen_grams(self) -> set[str]:
        return set(self._log_p)

    def seen_contexts(self) -> set[str]:
        return set(self._log_backoff)

    def context_log_backoff(self, context: str) -> float:
        """log of the weight an unseen n-gram after `context` gives the shorter one (0 if never seen)."""
        return self._log_backoff.get(context, 0.0)

    def log_probability(self, word: str) -> float:
        """Sum over the letters of log P(letter | up to ORDER-1 letters before it)."""
        return sum(self.window_log_probability(window) for window in windows(word))

    def window_log_probability(self, ngram: str) -> float:
        """log P(last letter | the letters before it), for an n-gram of any length up to ORDER.

        An unseen n-gram backs off to the one a letter shorter; those shorter values are kept,
        as there are few of them and every unseen window needs one.
        """
        seen = self._log_p.get(ngram)
        if seen is not None:
            return seen
        shorter = ngram[1:]
        if not shorter:
            return self._log_backoff.get("", 0.0) - LOG_ALPHABET
        value = self._shorter.get(shorter)
        if value is None:
            value = self._shorter[shorter] = self.window_log_probability(shorter)
        return self._log_backoff.get(ngram[:-1], 0.0) + value


def windows(word: str) -> list[str]:
    """The ORDER-letter windows whose last letters spell the word and its end."""
    padded = PAD + word + "$"
    return [padded[end - ORDER : end] for end in range(ORDER, len(padded) + 1)]
