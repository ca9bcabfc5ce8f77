"""Casual romanization of Brahmic-script words, the way people type them on a phone.

Used offline to turn native-script word lists into the romanized word lists the detector ships
(see `rebuild_wordlists`). Not a scholarly scheme: long vowels become doubled letters, the
inherent vowel is dropped where Hindi, Marathi, Bengali, Gujarati and Punjabi drop it.

The nine Brahmic Unicode blocks share one layout (each letter sits at the same offset from its
block's start), so one table of offsets serves every script.
"""

from __future__ import annotations

BLOCKS: dict[str, int] = {
    "Deva": 0x0900,
    "Beng": 0x0980,
    "Guru": 0x0A00,
    "Gujr": 0x0A80,
    "Orya": 0x0B00,
    "Taml": 0x0B80,
    "Telu": 0x0C00,
    "Knda": 0x0C80,
    "Mlym": 0x0D00,
}

_CONSONANTS: dict[int, str] = dict(
    zip(
        range(0x15, 0x3A),
        [
            "k",
            "kh",
            "g",
            "gh",
            "n",
            "ch",
            "chh",
            "j",
            "jh",
            "n",
            "t",
            "th",
            "d",
            "dh",
            "n",
            "t",
            "th",
            "d",
            "dh",
            "n",
            "n",
            "p",
            "ph",
            "b",
            "bh",
            "m",
            "y",
            "r",
            "r",
            "l",
            "l",
            "zh",
            "v",
            "sh",
            "sh",
            "s",
            "h",
        ],
        strict=True,
    )
)
_CONSONANTS.update({0x58: "q", 0x59: "kh", 0x5A: "g", 0x5B: "z", 0x5C: "r", 0x5D: "rh", 0x5E: "f", 0x5F: "y"})
_CONSONANTS.update({0x70: "r", 0x71: "w"})  # Assamese ra and wa

_VOWELS: dict[int, str] = dict(
    zip(
        range(0x05, 0x15),
        ["a", "aa", "i", "ee", "u", "oo", "ri", "li", "e", "e", "e", "ai", "o", "o", "o", "au"],
        strict=True,
    )
)
_VOWEL_SIGNS: dict[int, str] = dict(
    zip(
        range(0x3E, 0x4D),
        ["aa", "i", "ee", "u", "oo", "ri", "ri", "e", "e", "e", "ai", "o", "o", "o", "au"],
        strict=True,
    )
)
_VOWEL_SIGNS.update({0x57: "au"})  # Tamil/Malayalam au length mark
_NUKTA_FORMS = {"k": "q", "j": "z", "ph": "f", "d": "r", "dh": "rh", "g": "g", "kh": "kh"}
_CHILLU = {0x7A: "n", 0x7B: "n", 0x7C: "r", 0x7D: "l", 0x7E: "l", 0x7F: "k"}  # Malayalam only
_VIRAMA, _NUKTA, _ANUSVARA, _CANDRABINDU, _VISARGA = 0x4D, 0x3C, 0x02, 0x01, 0x03
_LABIALS = ("p", "b", "m")
_TAMIL_VOICED = {"k": "g", "ch": "s", "t": "d", "th": "dh", "p": "b"}

SCHWA_DELETING = frozenset({"Deva", "Beng", "Guru", "Gujr"})


def block_of(char: str) -> str | None:
    """The Brahmic block a character belongs to, if any."""
    code = ord(char)
    for name, start in BLOCKS.items():
        if start <= code < start + 0x80:
            return name
    return None


def romanize_word(word: str, *, inherent: str = "a") -> str:
    """Romanize one native-script word; characters outside the Brahmic blocks are dropped.

    `inherent` is the vowel a bare consonant carries ("o" suits Bengali).
    """
    syllables = _syllables(word)
    script = next((block_of(c) for c in word if block_of(c)), None)
    if script in SCHWA_DELETING:
        _delete_schwas(syllables)
    if script == "Taml":
        _voice_tamil_stops(syllables)
    if script == "Mlym" and syllables and word.endswith(chr(BLOCKS["Mlym"] + _VIRAMA)):
        syllables[-1][1] = "u"  # a final virama in Malayalam is the half-u people type: enikk -> enikku
    out: list[str] = []
    for consonant, vowel in syllables:
        out.append(consonant)
        out.append(inherent if vowel == "@" else vowel)
    return _place_nasals("".join(out), final="m" if script == "Mlym" else "n")


# One letter swapped for the way many people type it on a phone: aspirates without h, v as w, sh as s, nt as nd.
CASUAL_SWAPS: tuple[tuple[str, str], ...] = (
    ("th", "t"),
    ("dh", "d"),
    ("bh", "b"),
    ("kh", "k"),
    ("gh", "g"),
    ("chh", "ch"),
    ("sh", "s"),
    ("v", "w"),
    ("zh", "l"),
    ("nt", "nd"),
)


def casual_spellings(latin: str) -> list[str]:
    """The romanized word and its common informal variants, each differing by one kind of swap.

    Chat romanization is informal: "thumba" and "tumba", "bhalo" and "balo", "vishaya" and
    "wishaya" are all typed. Only one kind of swap per variant, so the list stays short.
    """
    spellings = [latin]
    for formal, casual in CASUAL_SWAPS:
        if formal in latin:
            spellings.append(latin.replace(formal, casual))
    return list(dict.fromkeys(spellings))


def _syllables(word: str) -> list[list[str]]:
    """Split into [consonant, vowel] pairs; "@" marks the inherent vowel, "" none."""
    syllables: list[list[str]] = []
    for char in word:
        script = block_of(char)
        if script is None:
            continue
        offset = ord(char) - BLOCKS[script]
        if script == "Mlym" and offset in _CHILLU:
            syllables.append([_CHILLU[offset], ""])
        elif offset in _CONSONANTS:
            syllables.append([_consonant(script, offset, syllables), "@"])
        elif offset in _VOWELS:
            syllables.append(["", _VOWELS[offset]])
        elif offset in _VOWEL_SIGNS and syllables:
            syllables[-1][1] = _VOWEL_SIGNS[offset]
        elif offset == _VIRAMA and syllables:
            syllables[-1][1] = ""
        elif offset == _NUKTA and syllables and script == "Beng" and syllables[-1][0] == "j":
            syllables[-1][0] = "y"  # Bengali ya with nukta is the plain y
        elif offset == _NUKTA and syllables:
            syllables[-1][0] = _NUKTA_FORMS.get(syllables[-1][0], syllables[-1][0])
        elif offset == _ANUSVARA and script == "Beng":
            syllables.append(["ng", ""])
        elif offset in (_ANUSVARA, _CANDRABINDU):
            syllables.append(["N", ""])
        elif offset == _VISARGA:
            syllables.append(["h", ""])
    return syllables


def _consonant(script: str, offset: int, before: list[list[str]]) -> str:
    """The consonant's letters, with the two spellings that differ by script."""
    if script == "Taml" and offset == 0x24:
        return "th"  # Tamil writes its dental t as th
    if script == "Beng" and offset == 0x2F and not (before and before[-1][1] == ""):
        return "j"  # Bengali ya reads j except in a conjunct
    if script == "Mlym" and offset == 0x31 and before and before[-1] == ["n", ""]:
        return "t"  # Malayalam nta
    return _CONSONANTS[offset]


def _delete_schwas(syllables: list[list[str]]) -> None:
    """Drop the inherent vowel at the end and between a vowel and a following vowel (right to left)."""
    spoken = [s for s in syllables if s[0] != "N"]
    if spoken and spoken[-1][1] == "@" and len(spoken) > 1:
        spoken[-1][1] = ""
    for i in range(len(spoken) - 2, 0, -1):
        if spoken[i][1] == "@" and spoken[i + 1][1] and spoken[i - 1][1] and spoken[i][0]:
            spoken[i][1] = ""


def _voice_tamil_stops(syllables: list[list[str]]) -> None:
    """Tamil writes one letter for k/g, t/d, p/b: a lone stop after a vowel or nasal is voiced."""
    for i in range(1, len(syllables)):
        before, here = syllables[i - 1], syllables[i]
        after_vowel = before[1] != ""
        after_nasal = before[1] == "" and before[0] in ("n", "m", "N")
        if (after_vowel or after_nasal) and here[1] != "" and here[0] in _TAMIL_VOICED:
            here[0] = _TAMIL_VOICED[here[0]]


def _place_nasals(text: str, *, final: str) -> str:
    """Anusvara reads as m before a labial, `final` at the end of a word, n elsewhere."""
    out = []
    for i, char in enumerate(text):
        if char == "N":
            following = text[i + 1 : i + 2]
            out.append(final if not following else "m" if following in _LABIALS else "n")
        else:
            out.append(char)
    return "".join(out)
