"""Replies to a shift reminder or an invitation: YES or NO, in English and in the listener's language (and the
ids of the reminder template's quick-reply buttons). The words are data, ``locales/replies/<code>.json``; the
buttons are ``locales/replies/buttons.json``.

A message is a reply only when the whole of it is one of the words (after ``normalise``): "yes, but late" is
not, and goes wherever the listener's other texts go.
"""

import json
from functools import cache
from pathlib import Path
from typing import Literal

from locales.normalisation import normalise

Answer = Literal["YES", "NO"]
REPLIES_DIR = Path(__file__).resolve().parent


def reply_languages() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in REPLIES_DIR.glob("*.json") if p.stem != "buttons"))


@cache
def replies_for(language: str) -> dict[Answer, frozenset[str]]:
    """One language's words, normalised; a word that is both YES and NO is a data error."""
    path = REPLIES_DIR / f"{language.split('_')[0]}.json"
    if not path.exists():
        return {"YES": frozenset(), "NO": frozenset()}
    document = json.loads(path.read_text(encoding="utf-8"))
    yes, no = (frozenset(map(normalise, document.get(key, []))) for key in ("YES", "NO"))
    if yes & no:
        raise ValueError(f"{sorted(yes & no)} in {path.name} are both YES and NO")
    return {"YES": yes, "NO": no}


@cache
def button_answers() -> dict[str, Answer]:
    document = json.loads((REPLIES_DIR / "buttons.json").read_text(encoding="utf-8"))
    return {key: value for key, value in document.items() if not key.startswith("_")}


def match_reply(text: str, language: str) -> Answer | None:
    """YES or NO when the whole message says so in English or ``language``; else None."""
    word = normalise(text)
    for code in dict.fromkeys(("en", language)):
        for answer, words in replies_for(code).items():
            if word in words:
                return answer
    return None


def match_button(payload: str | None) -> Answer | None:
    return button_answers().get(payload or "")
