"""The words of a Latin-script message, folded, each with the weight it carries as evidence.

Names are not language. "Hi, this is Ramesh from Pune" is English, and "Ramesh" would otherwise
look like a Hindi word to a character model. A word that looks like a name (capitalised inside a
sentence, all capitals, in the shipped list of Indian names and places, or a lone initial)
counts with weight `NAME_WEIGHT`. Web addresses, @handles, #tags, digits and emoji carry no
language and are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from routing.language_detection.lexicon import names
from routing.language_detection.spelling import fold

NAME_WEIGHT = 0.15  # how much a name-like word counts, against 1 for any other word
# Titles that callers of every language type: no evidence either way.
TITLES = frozenset({"sir", "madam", "mam", "maam", "madm", "dr", "doctor", "doc", "bro", "ji"})
# Greetings and thanks: they count for English, but a message of nothing else is everyone's opener.
GREETINGS = frozenset(
    {"hi", "hello", "helo", "hey", "ok", "okay", "k", "yes", "no", "please", "pls", "plz", "sorry"}
    | {"thanks", "thank", "thanku", "thankyou", "thanx", "thx", "tq", "namaste", "namaskar", "namaskara"}
)
_NOT_WORDS = re.compile(r"\b(?:https?://|www\.)\S*|\S+@\S+\.\S+|[@#]\w+")
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|[.!?]")
_SENTENCE_ENDS = frozenset(".!?")
# English clitics ("I'm", "don't", "Kerala's") are English grammar whatever the word they lean on: each
# counts as the function word it stands for, and the word before it as typed ("I'm" is "I" + "am").
CLITICS = {"m": "am", "re": "are", "ve": "have", "ll": "will", "d": "would", "s": "is", "t": "not"}
_NEGATED = {"can": "can", "won": "will", "don": "do", "didn": "did", "doesn": "does", "isn": "is"}


@dataclass(frozen=True)
class Word:
    text: str  # folded
    weight: float  # 1, or NAME_WEIGHT for a name-like word
    exact: bool = True  # typed as folded: no letters collapsed ("ee" folds to "i" but is not "I")

    @property
    def is_content(self) -> bool:
        """A full-weight word other than a greeting: something to go on."""
        return self.weight == 1.0 and self.text not in GREETINGS


def words_of(text: str) -> list[Word]:
    """The message's Latin words, folded, with titles left out and name-like words weighed lightly.

    A capitalised word inside a sentence is name-like, unless the writer capitalises three
    words in four ("Mera Naam Priya Hai"); so is a word in capitals, unless most words are.
    """
    tokens = _TOKEN.findall(_NOT_WORDS.sub(" ", text.replace("\u2019", "'")))
    words = _with_sentence_starts(tokens)
    inside = [token for token, start in words if not start]
    capitals_mark_names = sum(_is_titled(w) for w in inside) * 4 < len(inside) * 3
    shouting = sum(_is_shouted(token) for token, _ in words) * 2 > len(words)
    known_names = names()
    weighed: list[Word] = []
    for token, start in words:
        token, clitic = _clitic(token)
        looks_named = (capitals_mark_names and not start and _is_titled(token)) or (
            not shouting and _is_shouted(token)
        )
        for folded in fold(token):
            if folded in TITLES:
                continue
            is_name = looks_named or folded in known_names or _is_initial(folded)
            weighed.append(Word(folded, NAME_WEIGHT if is_name else 1.0, folded == token.lower()))
        if clitic:
            weighed.append(Word(clitic, 1.0))
    return weighed


def _clitic(token: str) -> tuple[str, str | None]:
    """The word and the English function word its clitic stands for: "I'm" -> ("I", "am")."""
    base, apostrophe, ending = token.partition("'")
    if not apostrophe or ending.lower() not in CLITICS:
        return token, None
    if ending.lower() == "t":
        if not base.lower().endswith("n"):
            return token, None
        base = _NEGATED.get(base.lower(), base[:-1])
    return base, CLITICS[ending.lower()]


def _with_sentence_starts(tokens: list[str]) -> list[tuple[str, bool]]:
    """Each word with whether it starts a sentence (where a capital says nothing)."""
    words: list[tuple[str, bool]] = []
    sentence_start = True
    for i, token in enumerate(tokens):
        if token in _SENTENCE_ENDS:
            sentence_start = sentence_start or not _is_abbreviation(tokens[i - 1] if i else "")
            continue
        words.append((token, sentence_start))
        sentence_start = False
    return words


def _is_initial(word: str) -> bool:
    """A lone letter other than English's "i", "a" and "u" is an initial or a shorthand ("H b d")."""
    return len(word) == 1 and word not in "iau"


def _is_titled(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word[1:].islower()


def _is_shouted(word: str) -> bool:
    """ "DSLR", "IIT", "MONSTER": an acronym, a brand or a shouted name, not a word of the frame."""
    return len(word) > 1 and word.isupper()


def _is_abbreviation(word: str) -> bool:
    """ "Dr." and "Mr." do not end a sentence."""
    return _is_titled(word) and len(word) <= 3
