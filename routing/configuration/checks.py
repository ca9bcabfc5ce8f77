"""Checks a JSON schema cannot express, shared by every configuration module: a language Babel knows, a real
time zone, a valid phone number. Each raises InvalidConfigurationError naming the field."""

from __future__ import annotations

from functools import cache
from typing import Any
from zoneinfo import available_timezones

from locales.language_names import is_known_language
from routing.errors import InvalidConfigurationError, InvalidPhoneNumberError
from routing.phones import to_e164


def canonical_code(code: str) -> str:
    """BCP-47 casing (``hi``, ``hi-IN``, ``sr-Latn-RS``), so ``HI`` and ``hi`` are one language everywhere."""
    first, *rest = code.replace("_", "-").split("-")
    tags = [first.lower()]
    for tag in rest:
        tags.append(tag.upper() if len(tag) == 2 else tag.title() if len(tag) == 4 else tag.lower())
    return "-".join(tags)


def check_language(code: str, field: str, location: str = "body") -> str:
    """The canonical code, if Babel knows the language."""
    if not is_known_language(code):
        raise InvalidConfigurationError(f"unknown language code {code!r}", field=field, location=location)
    return canonical_code(code)


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def check_time_zone(name: str, field: str = "timezone") -> str:
    if name not in _time_zones():
        raise InvalidConfigurationError(f"unknown IANA time zone {name!r}", field=field)
    return name


def check_number(raw: str, field: str) -> str:
    """E.164, so the same number written two ways is one number."""
    try:
        return to_e164(raw)
    except InvalidPhoneNumberError as exc:
        raise InvalidConfigurationError("not a valid phone number", field=field) from exc


def set_fields(data: Any) -> dict[str, Any]:
    """The fields a PATCH body sets (left-out fields stay as they are)."""
    return data.model_dump(mode="python", exclude_unset=True)
