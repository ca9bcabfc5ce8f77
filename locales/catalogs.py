"""Load the gettext catalogs, compiling them from the .po sources when needed.

A fresh clone has no .mo files (they are git-ignored and built in the image), so the first lookup compiles
whatever is missing or older than its .po. Compilation is pure Python (Babel), needs no gettext binaries,
and writes atomically, so several workers starting at once never read a half-written file.
"""

import io
import logging
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

logger = logging.getLogger(__name__)

DOMAIN = "samvaad"
WEB_DOMAIN = "web"  # the web app's words: English and Hindi at least, other locales fall back to English
DEFAULT_LOCALE = "en"
LOCALES_DIR = Path(__file__).resolve().parent


class Translator(Protocol):
    """What the rest of Samvaad needs from a catalog; ``gettext.GNUTranslations`` satisfies it."""

    def gettext(self, message: str) -> str: ...

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str: ...


class CatalogDirectory:
    """A directory of ``<locale>/LC_MESSAGES/samvaad.po`` catalogs and their compiled ``.mo`` files.

    The package's own directory serves the application; tests point one at a copy in a temporary directory.
    """

    def __init__(self, root: Path, domain: str = DOMAIN) -> None:
        self.root = root
        self.domain = domain
        self._locales: tuple[str, ...] | None = None
        self._loaded: dict[str, Translations] = {}

    def locales(self) -> tuple[str, ...]:
        """Locales with a catalog, in Babel style (``hi_Latn``), English first."""
        if self._locales is None:
            found = sorted(
                path.parent.parent.name for path in self.root.glob(f"*/LC_MESSAGES/{self.domain}.po")
            )
            self._locales = tuple(sorted(found, key=lambda code: code != DEFAULT_LOCALE))
        return self._locales

    def resolve(self, locale: str | None) -> str:
        """The locale whose catalog serves ``locale``: ``hi-IN`` -> ``hi``, ``hi-Latn`` -> ``hi_Latn``.

        A region never changes the catalog; a script does only when there is a catalog for it, so ``pa-Guru``
        is plain ``pa``. Anything unknown is English, from which a caller can pick their language again.
        """
        parts = [part for part in re.split(r"[-_.@\s]+", (locale or "").strip()) if part]
        if not parts:
            return DEFAULT_LOCALE
        language = parts[0].lower()
        scripts = [part.title() for part in parts[1:] if len(part) == 4 and part.isalpha()]
        candidates = [f"{language}_{script}" for script in scripts] + [language]
        return next((code for code in candidates if code in self.locales()), DEFAULT_LOCALE)

    def translator(self, locale: str | None) -> Translations:
        """The catalog for ``locale`` with English behind it, for any message a translation still lacks."""
        code = self.resolve(locale)
        if code not in self._loaded:
            translations = Translations(io.BytesIO(self._current_mo(code)), domain=self.domain)
            if code != DEFAULT_LOCALE:
                translations.add_fallback(self.translator(DEFAULT_LOCALE))
            self._loaded[code] = translations
        return self._loaded[code]

    def compile(self, force: bool = False) -> list[Path]:
        """Compile each .po whose .mo is missing or stale (all with ``force``); return what was written."""
        written = [self._compile(code) for code in self.locales() if force or self.is_stale(code)]
        self._loaded.clear()
        return written

    def po_path(self, locale: str) -> Path:
        return self.root / locale / "LC_MESSAGES" / f"{self.domain}.po"

    def mo_path(self, locale: str) -> Path:
        return self.po_path(locale).with_suffix(".mo")

    def is_stale(self, locale: str) -> bool:
        mo = self.mo_path(locale)
        return not mo.exists() or mo.stat().st_mtime < self.po_path(locale).stat().st_mtime

    def _compile_bytes(self, locale: str) -> bytes:
        with self.po_path(locale).open("rb") as source:
            catalog = read_po(source, locale=locale, domain=self.domain)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        return buffer.getvalue()

    def _compile(self, locale: str) -> Path:
        """Write the .mo next to its .po through a temporary file and an atomic rename."""
        target = self.mo_path(locale)
        data = self._compile_bytes(locale)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{self.domain}-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return target

    def _current_mo(self, locale: str) -> bytes:
        """The compiled catalog, compiled first if stale; in memory only when the directory is read-only."""
        if self.is_stale(locale):
            try:
                self._compile(locale)
            except OSError as exc:
                logger.warning("catalogs read-only, compiling in memory locale=%s error=%s", locale, exc)
                return self._compile_bytes(locale)
        return self.mo_path(locale).read_bytes()


PACKAGE_CATALOGS = CatalogDirectory(LOCALES_DIR)
WEB_CATALOGS = CatalogDirectory(LOCALES_DIR, WEB_DOMAIN)


def supported_locales() -> tuple[str, ...]:
    """Locales Samvaad has a catalog for, e.g. ``("en", "as", "bn", ..., "hi_Latn", ...)``."""
    return PACKAGE_CATALOGS.locales()


def resolve_locale(locale: str | None) -> str:
    """The supported locale that serves a BCP-47 or Babel-style code; English when there is none."""
    return PACKAGE_CATALOGS.resolve(locale)


def translator_for(locale: str | None) -> Translator:
    """The translator for a caller's or listener's locale; unknown locales get English."""
    return PACKAGE_CATALOGS.translator(locale)


def web_translator_for(locale: str | None) -> Translator:
    """The web app's words for a signed-in person's language; a locale without a web catalog gets English."""
    return WEB_CATALOGS.translator(locale)


def web_locales() -> tuple[str, ...]:
    """Locales the web app's pages are translated into (English first)."""
    return WEB_CATALOGS.locales()


def compile_catalogs(force: bool = False) -> list[Path]:
    """Compile the package's catalogs; the image build runs this, and first use does it for a fresh clone."""
    return PACKAGE_CATALOGS.compile(force) + WEB_CATALOGS.compile(force)
