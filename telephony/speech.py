"""Samvaad's lines as words, whatever the provider: a catalog message translated into the locale a voice
reads, with language codes said as that language's name. Twilio's TwiML and Exotel's answers both use it."""

from __future__ import annotations

from functools import lru_cache

from locales import translator_for
from locales.language_names import spoken_name
from routing.voice.decisions import Line


@lru_cache(maxsize=4096)
def sentence(line: Line, text_locale: str) -> str:
    """The line's words in ``text_locale``; language-code values become that language's name there."""
    values = dict(line.values)
    values.update({key: spoken_name(code, text_locale) for key, code in line.names})
    text = translator_for(text_locale).gettext(line.message)
    return text % values if values else text
