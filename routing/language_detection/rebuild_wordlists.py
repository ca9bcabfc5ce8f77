"""Regenerate the frequency word lists under `data/` from the wordfreq package.

Offline tool, not used at run time: `pip install wordfreq==3.1.1` in a scratch environment, then
`python -m routing.language_detection.rebuild_wordlists`. wordfreq's data is CC BY-SA 4.0
(Robyn Speer, wordfreq v3.1, doi:10.5281/zenodo.7199437); the derived lists keep that licence.

English is copied as is. Hindi and Bengali are romanized with our own
`transliteration.romanize_word`, since people texting in those languages in Latin letters write
the same words; forms that romanize alike are merged. Tamil is left out on purpose: wordfreq's
Tamil is the written register (இருக்கிறது), while people text the spoken one (irukku), and the
big list made the detector mistake romanized Malayalam and Telugu for Tamil.
"""

from __future__ import annotations

from collections import Counter
from importlib import import_module
from pathlib import Path

from routing.language_detection.transliteration import romanize_word

DATA = Path(__file__).parent / "data"
SIZES = {"en": 25000, "hi": 6000, "bn": 6000}
INHERENT_VOWELS = {"hi": ("a",), "bn": ("o", "a")}


def romanized_frequencies(language: str, size: int) -> Counter[str]:
    """Frequencies of the `size` commonest words, keyed by their romanized forms."""
    wordfreq = import_module("wordfreq")
    merged: Counter[str] = Counter()
    for word in wordfreq.top_n_list(language, size * 2):
        frequency = wordfreq.word_frequency(word, language)
        vowels = INHERENT_VOWELS[language]
        for vowel in vowels:
            spellings = _spellings(word, romanize_word(word, inherent=vowel), language)
            for latin in spellings:
                merged[latin] += frequency / len(vowels) / len(spellings)
    return merged


def _spellings(word: str, latin: str, language: str) -> list[str]:
    """The other common ways to type a word.

    Hindi's final nasal is often not typed: नहीं is "nahin" and "nahi", में "mein" and "mei".
    Bengali ভ is typed "bh" or "v" (ভালো: "bhalo", "valo").
    """
    if not latin:
        return []
    if word.endswith(("ं", "ँ")) and latin.endswith(("n", "m")) and len(latin) > 2:
        return [latin, latin[:-1]]
    if language == "bn" and "bh" in latin:
        return [latin, latin.replace("bh", "v")]
    return [latin]


def english_frequencies(size: int) -> Counter[str]:
    wordfreq = import_module("wordfreq")
    words = (w for w in wordfreq.top_n_list("en", size * 2) if w.isascii() and w.isalpha())
    return Counter({w: wordfreq.word_frequency(w, "en") for w in words})


def write_list(path: Path, frequencies: Counter[str], size: int) -> None:
    lines = [f"{word}\t{freq:.3g}" for word, freq in frequencies.most_common(size)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    write_list(DATA / "wordfreq-en.tsv", english_frequencies(SIZES["en"]), SIZES["en"])
    for language in ("hi", "bn"):
        size = SIZES[language]
        write_list(DATA / f"wordfreq-{language}.tsv", romanized_frequencies(language, size), size)


if __name__ == "__main__":
    main()
