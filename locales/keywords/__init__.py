"""The text-channel commands CALL, STOP, START, HELP and END, in every supported language.

A message is a command only when the whole of it is a keyword (after ``normalise``): "call me" is CALL, but
"I will call my mother" is a message for the listener. English works in every language, so an English
keyword printed in a reply always works. The words are data, ``locales/keywords/<code>.json``.

Where a word could mean either END (close this conversation) or STOP (no more messages at all), it belongs
to END: a closed conversation can be reopened by writing again, a stopped number hears nothing more.
"""

import json
from functools import cache
from pathlib import Path
from typing import Literal, get_args

from locales.normalisation import normalise

Keyword = Literal["CALL", "STOP", "START", "HELP", "END"]
KEYWORDS: tuple[Keyword, ...] = get_args(Keyword)
KEYWORDS_DIR = Path(__file__).resolve().parent


def keyword_languages() -> tuple[str, ...]:
    """Languages with a keyword file."""
    return tuple(sorted(path.stem for path in KEYWORDS_DIR.glob("*.json")))


@cache
def keywords_for(language: str) -> dict[Keyword, tuple[str, ...]]:
    """One language's keywords as written in its file (English is in ``en``), e.g. for a help text."""
    document = json.loads((KEYWORDS_DIR / f"{language}.json").read_text(encoding="utf-8"))
    raw = {key: value for key, value in document.items() if not key.startswith("_")}  # "_comment"
    unknown = set(raw) - set(KEYWORDS)
    if unknown:
        raise ValueError(f"unknown keywords {sorted(unknown)} in {language}.json")
    return {keyword: tuple(raw.get(keyword, ())) for keyword in KEYWORDS}


@cache
def _keyword_by_word() -> dict[str, Keyword]:
    """Every normalised keyword of every language; a word claimed by two commands is a data error."""
    table: dict[str, Keyword] = {}
    for language in keyword_languages():
        for keyword, words in keywords_for(language).items():
            for word in map(normalise, words):
                if table.setdefault(word, keyword) != keyword:
                    raise ValueError(f"{word!r} in {language}.json is both {table[word]} and {keyword}")
    return table


def match_keyword(text: str) -> Keyword | None:
    """The command the whole message is, in any supported language, or None for an ordinary message."""
    return _keyword_by_word().get(normalise(text))
