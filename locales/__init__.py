"""Samvaad's words in every supported language: gettext catalogs, language names, crisis words, keywords.

Imports only Babel and the standard library, so every other package may depend on it.
"""

from locales.catalogs import (
    DEFAULT_LOCALE,
    Translator,
    compile_catalogs,
    resolve_locale,
    supported_locales,
    translator_for,
    web_locales,
    web_translator_for,
)

__all__ = [
    "DEFAULT_LOCALE",
    "Translator",
    "compile_catalogs",
    "resolve_locale",
    "supported_locales",
    "translator_for",
    "web_locales",
    "web_translator_for",
]
