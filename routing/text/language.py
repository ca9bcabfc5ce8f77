"""Which language and script to answer a texter in, and the short menu to ask with when unsure. Pure.

A doctor who writes Hindi in Latin letters gets Hindi in Latin letters (``hi_Latn``), because that is what
they can read on their phone; other romanized languages have no catalog of their own yet and are answered
in their native script.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from locales import messages, translator_for
from locales.language_names import spoken_name
from routing.crisis_numbers import CrisisNumbers
from routing.language_detection import LANGUAGES, Detection, clarifying_options, detect_language

LATIN = "Latn"
ROMANIZED_CATALOGS = frozenset({"hi"})  # languages with a <code>_Latn catalog


@dataclass(frozen=True)
class LanguageChoice:
    """The language to serve the texter in (None: ask with ``menu``) and the script they wrote."""

    language: str | None
    script: str | None
    menu: tuple[str, ...] = ()
    explicit: bool = False


def choose_language(detection: Detection, served: Sequence[str]) -> LanguageChoice:
    """Serve the detected language if the association serves it; otherwise ask, offering the likely
    languages it serves (or all of them when none of the likely ones is served)."""
    script = LATIN if detection.romanized else None
    if detection.language is not None and detection.language in served:
        return LanguageChoice(detection.language, script, explicit=detection.explicit)
    likely = [code for code in clarifying_options(detection, limit=3) if code in served]
    menu = tuple(likely) if len(likely) >= 2 else tuple(served[:4])
    return LanguageChoice(None, script, menu)


def reply_locale(language: str, script: str | None) -> str:
    """The catalog to answer in: ``hi_Latn`` for romanized Hindi, else the language's own."""
    if script == LATIN and language in ROMANIZED_CATALOGS:
        return f"{language}_{LATIN}"
    return language


def language_label(language: str, locale: str) -> str:
    """The language named for a sentence in ``locale``: ``தமிழ்`` for Tamil, ``Hindi`` for hi_Latn."""
    if locale.endswith(LATIN):
        return spoken_name(language, "en")
    return spoken_name(language, locale.split("_")[0])


def language_menu(menu: Sequence[str]) -> str:
    """The question, once in each menu language, then one line per language written in that language."""
    questions = dict.fromkeys(translator_for(code).gettext(messages.TEXT_LANGUAGE_QUESTION) for code in menu)
    lines = [
        translator_for(code).gettext(messages.TEXT_LANGUAGE_MENU_ITEM)
        % {"digit": i, "language": spoken_name(code)}
        for i, code in enumerate(menu, start=1)
    ]
    return "\n".join([*questions, *lines])


def say(locale: str, message: str, **values: object) -> str:
    """One message in ``locale``, its placeholders filled."""
    text = translator_for(locale).gettext(message)
    return text % values if values else text


def said_as_written(message: str, body: str, crisis: CrisisNumbers, fallback: Sequence[str]) -> str:
    """A reply when the message could not be handled (kept for later, or lost): in the language the message
    is written in, as far as the in-process detector tells (no database, no Redis), else the first fallback
    language."""
    detection = detect_language(body)
    if detection.language is not None and detection.language in LANGUAGES:
        locale = reply_locale(detection.language, detection.script)
    else:
        locale = next(iter(fallback), "en")
    return say(locale, message, **crisis.placeholders())
