"""What the detector answers, and the languages it knows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

LANGUAGES: tuple[str, ...] = ("hi", "mr", "bn", "as", "gu", "pa", "or", "ta", "te", "kn", "ml", "ur", "en")

# Asked about when a message carries no clue at all, most-spoken first.
FALLBACK_ORDER: tuple[str, ...] = (
    *("hi", "en", "bn", "mr", "te", "ta", "gu"),
    *("ur", "kn", "or", "ml", "pa", "as"),
)


@dataclass(frozen=True)
class Detection:
    language: str | None  # None when unsure
    confidence: float  # 0..1
    script: str  # "Deva", "Beng", "Gujr", "Guru", "Orya", "Taml", "Telu", "Knda", "Mlym", "Arab", "Latn", ""
    romanized: bool  # an Indian language typed in Latin letters
    candidates: tuple[tuple[str, float], ...]  # likeliest first, at least 2 when unsure
    explicit: bool  # the text was a menu number or a language's name


def rank_candidates(probabilities: dict[str, float]) -> tuple[tuple[str, float], ...]:
    """Candidates likeliest first; ties keep the fallback order so results are stable."""
    order = {code: i for i, code in enumerate(FALLBACK_ORDER)}
    ranked = sorted(probabilities.items(), key=lambda item: (-item[1], order.get(item[0], len(order))))
    return tuple((code, round(min(max(p, 0.0), 1.0), 4)) for code, p in ranked)


def decide(
    probabilities: dict[str, float], *, script: str, threshold: float, romanized: bool = False
) -> Detection:
    """Name the likeliest language when it clears `threshold`, else answer unsure with the runners-up."""
    candidates = rank_candidates(probabilities)
    best, confidence = candidates[0]
    if confidence >= threshold:
        return Detection(best, confidence, script, romanized and best != "en", candidates, explicit=False)
    return unsure(script=script, candidates=candidates, romanized=romanized and best != "en")


def unsure(
    *, script: str, candidates: Iterable[tuple[str, float]] = (), romanized: bool = False
) -> Detection:
    """An unsure answer, padded from the fallback order so there are always at least two candidates."""
    chosen = list(candidates)
    for code in FALLBACK_ORDER:
        if len(chosen) >= 2:
            break
        if code not in {c for c, _ in chosen}:
            chosen.append((code, 0.0))
    confidence = chosen[0][1]
    return Detection(None, confidence, script, romanized, tuple(chosen), explicit=False)
