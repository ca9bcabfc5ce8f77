"""Recognise a message from someone who may be in danger, in any supported language or script.

The phrases are data, one file per language (``locales/crisis/<code>.txt``), each in its native script and in
the romanised forms people type on WhatsApp. Every message is checked against every language: a doctor may
write Tamil in Latin letters, or switch to English mid-sentence.

Matching is on whole words after ``normalise``. A line ending in ``*`` also matches any ending on its last
word, which agglutinative languages need (Tamil தற்கொலைக்கு, Malayalam ജീവനൊടുക്കാൻ).

The lists favour phrases about oneself. Callers are doctors and talk about patients all day: "the patient
died", "overdose", "poison", "death certificate" must not move anyone to the crisis path, so bare words for
death, dying, killing, overdose, hanging or poison never appear alone. "Suicide" (and its equivalents) does
appear alone on purpose: it is how most people in danger name it, and a doctor distressed by a patient's
suicide loses nothing by being offered the crisis line and the front of the queue. Missing a person in danger
costs far more than a false alarm.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from locales.normalisation import normalise

CRISIS_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class CrisisPhrase:
    language: str
    text: str  # normalised
    open_ending: bool  # the last word may carry any suffix

    def occurs_in(self, padded: str) -> bool:
        """Whether the phrase occurs in ``padded`` (normalised text with a space at each end)."""
        return f" {self.text}{'' if self.open_ending else ' '}" in padded


def crisis_languages() -> tuple[str, ...]:
    """Languages with a crisis word list."""
    return tuple(sorted(path.stem for path in CRISIS_DIR.glob("*.txt")))


@cache
def crisis_phrases(language: str) -> tuple[CrisisPhrase, ...]:
    """The phrases of one language's list, normalised; lines starting ``#`` are comments."""
    phrases = []
    for line in (CRISIS_DIR / f"{language}.txt").read_text(encoding="utf-8").splitlines():
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        open_ending = entry.endswith("*")
        text = normalise(entry.rstrip("*"))
        if text:
            phrases.append(CrisisPhrase(language, text, open_ending))
    return tuple(phrases)


@cache
def _all_phrases() -> tuple[CrisisPhrase, ...]:
    return tuple(phrase for language in crisis_languages() for phrase in crisis_phrases(language))


def find_crisis_phrase(text: str) -> CrisisPhrase | None:
    """The first crisis phrase found in ``text``, if any; for tests and for reviewing the lists."""
    padded = f" {normalise(text)} "
    return next((phrase for phrase in _all_phrases() if phrase.occurs_in(padded)), None)


def is_crisis_message(text: str) -> bool:
    """Whether ``text`` says, in any supported language, that the writer may be in danger."""
    return find_crisis_phrase(text) is not None
