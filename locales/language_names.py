"""Language names from Babel's CLDR data, never a hand-written table.

A caller hears the menu item for each language in that language ("हिन्दी के लिए 2 दबाएँ"), so the name
must come out in its own script; CLDR has those names for all 22 scheduled languages of India.
"""

from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError

# The 22 languages of the Eighth Schedule of the Constitution of India, plus English, as BCP-47 codes.
# Babel 2.18 (CLDR 47) has a locale for every one of them; a test keeps it that way.
SCHEDULED_LANGUAGE_CODES: tuple[str, ...] = (
    "as", "bn", "brx", "doi", "gu", "hi", "kn", "ks", "kok", "mai", "ml", "mni",
    "mr", "ne", "or", "pa", "sa", "sat", "sd", "ta", "te", "ur", "en",
)  # fmt: skip


@dataclass(frozen=True)
class Language:
    code: str
    native_name: str
    english_name: str
    right_to_left: bool = False


@cache
def describe(code: str) -> Language:
    """Raises ValueError for a code Babel does not know, so the API can refuse it."""
    locale = _parse(code)
    if locale is None:
        raise ValueError(f"unknown language code {code!r}")
    return Language(
        code,
        locale.get_display_name(locale) or code,
        locale.get_display_name("en") or code,
        locale.character_order == "right-to-left",
    )


def is_known_language(code: str) -> bool:
    return _parse(code) is not None


def native_name(code: str) -> str:
    """The language's name in itself, e.g. ``ta`` -> ``தமிழ்``; the code itself if CLDR has no locale."""
    locale = _parse(code)
    return (locale.get_display_name(locale) or code) if locale else code


def english_name(code: str) -> str:
    """The language's name in English, e.g. ``or`` -> ``Odia``; the code itself if CLDR has no locale."""
    locale = _parse(code)
    return (locale.get_display_name("en") or code) if locale else code


def spoken_name(code: str, in_locale: str | None = None) -> str:
    """The name to put into a sentence: the language without its script, so ``hi_Latn`` is ``Hindi``.

    By default in the language itself (the caller's menu); ``in_locale`` names it in another language, as a
    Tamil listener hears that a Hindi caller waits: ``spoken_name("hi", "ta")`` is ``இந்தி``. A Hinglish
    caller is told "Hindi mein baat karenge", not "Hindi (Latin) mein".
    """
    locale = _parse(code)
    listener = _parse(in_locale) if in_locale else locale
    if locale is None or listener is None:
        return code
    return locale.get_language_name(listener) or code


def scheduled_languages() -> tuple[Language, ...]:
    """The scheduled languages of India and English, each named natively and in English."""
    return tuple(describe(code) for code in SCHEDULED_LANGUAGE_CODES)


def _parse(code: str) -> Locale | None:
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None
