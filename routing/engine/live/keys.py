"""The live state's terms: its Redis keys (the layout is described in ``prelude.lua``), kinds of contact,
times as integer microseconds, random ids, and decoding what Redis answers."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from routing.engine.policy import LEVELS, US
from schemas.tables import Channel

PREFIX = "sv:"
BUILT = PREFIX + "built"
REBUILDING = PREFIX + "rebuilding"
DEADLINES = PREFIX + "deadlines"
WRAPUPS = PREFIX + "wrapups"
PRIORITIES = ("crisis", "normal")
FREE_STATES = frozenset({"available", "paused", "offline"})
STATES = FREE_STATES | {"offered", "busy", "wrapup"}
KINDS = ("voice", "text")
# The running totals /metrics exposes (routing/engine/tally.py): outside ``sv:``, so a rebuild keeps them.
TALLY = "samvaad:tally"


def kind_of(channel: Channel) -> str:
    """Calls are exclusive; SMS and WhatsApp conversations share a listener's text capacity."""
    return "voice" if channel == Channel.voice else "text"


def to_us(at: datetime) -> int:
    """The live state's time: integer microseconds since the epoch (scores and script arguments)."""
    return round(at.timestamp() * US)


def from_us(value: int) -> datetime:
    return datetime.fromtimestamp(value / US, UTC)


def new_id() -> str:
    """Contacts and offers get random ids: nothing in Redis or in a job's arguments identifies a caller."""
    return str(uuid.uuid4())


def wait_key(association_id: int, kind: str, language: str, priority: str) -> str:
    return f"{PREFIX}a:{association_id}:w:{kind}:{language}:{priority}"


def pool_key(association_id: int, kind: str, suffix: str) -> str:
    """One physical pool: the available listeners speaking a language at exactly that level."""
    return f"{PREFIX}a:{association_id}:{'vp' if kind == 'voice' else 'tp'}:{suffix}"


def level_suffixes(suffix: str) -> tuple[str, ...]:
    """The physical pools behind a policy pool: ``ta:fluent`` (fluent or better) is ``ta:native`` and
    ``ta:fluent``. ``live.lua`` (``level_suffixes``) applies the same rule inside the claim."""
    language, _, level = suffix.rpartition(":")
    levels = [p.value for p in LEVELS]
    return tuple(f"{language}:{name}" for name in levels[: levels.index(level) + 1])


def text_of(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def int_of(value: Any, default: int = 0) -> int:
    text = text_of(value) if value is not None else ""
    return int(float(text)) if text else default
