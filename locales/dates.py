"""Moments as a reader reads them: a shift's start in its own zone, in the reader's language (CLDR data)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime


def short_moment(at: datetime, timezone: str, locale: str) -> str:
    """ "Thu 26 Nov, 09:00" in the reader's language, at the wall-clock time of ``timezone``."""
    try:
        parsed = Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        parsed = Locale.parse("en")
    return format_datetime(at, "EEE d MMM, HH:mm", tzinfo=ZoneInfo(timezone), locale=parsed)
