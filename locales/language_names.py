"""Language names from Babel's CLDR data, never a hand-made table."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError

# The 22 languages of the Eighth Schedule to the Constitution of India, plus English, as BCP-47 codes.
SCHEDULED_LANGUAGE_CODES = (
    "as", "bn", "brx", "doi", "gu", "hi", "kn", "ks", "kok", "mai", "ml",
    "mni", "mr", "ne", "or", "pa", "sa", "sat", "sd", "ta", "te", "ur", "en",
)  # fmt: skip


@dataclass(frozen=True)
class LanguageName:
    code: str
    native: str
    english: str
    right_to_left: bool


@cache
def describe(code: str) -> LanguageName:
    """Raises ValueError for a code Babel does not know, so callers can refuse it."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as exc:
        raise ValueError(f"unknown language code {code!r}") from exc
    native = locale.get_display_name(locale) or code
    english = locale.get_display_name("en") or code
    return LanguageName(code, native, english, locale.character_order == "right-to-left")


def is_known_language(code: str) -> bool:
    try:
        describe(code)
    except ValueError:
        return False
    return True


def native_name(code: str) -> str:
    return describe(code).native


def english_name(code: str) -> str:
    return describe(code).english


def scheduled_languages() -> tuple[LanguageName, ...]:
    return tuple(describe(code) for code in SCHEDULED_LANGUAGE_CODES)
