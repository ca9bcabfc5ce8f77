"""How often one caller may call or text an association, counted in Redis: one script call (one round trip)
counts the contact in its window and, once over the limit, puts the caller on the association's board of
limited callers. Windows are fixed (an hour for calls, a minute for texts) and keyed by their start, so the
test clock decides which window a contact falls in; Redis's expiry only tidies old counters away.

The keys live under ``samvaad:safety:``, outside the live state's ``sv:`` prefix, so a rebuild of the live
state keeps them. A counter holds the keyed hash, never a number.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import redis
from redis.commands.core import Script

from schemas.settings import Settings

PREFIX = "samvaad:safety:"
WINDOW_SECONDS = {"call": 3600, "text": 60}
BOARD_SECONDS = 24 * 3600
SHOWN_HASH = 10  # the board shows a caller by the start of their keyed hash: enough to tell them apart

_SOURCE = (Path(__file__).parent / "count.lua").read_text()
_scripts: weakref.WeakKeyDictionary[redis.Redis, Script] = weakref.WeakKeyDictionary()


def _count_script(client: redis.Redis) -> Script:
    """Registered once per client (hashing the script on every call would cost each webhook)."""
    script = _scripts.get(client)
    if script is None:
        script = _scripts[client] = client.register_script(_SOURCE)
    return script


@dataclass(frozen=True)
class Limits:
    """An association's limits: its own where it set them, otherwise the settings'."""

    calls_per_hour: int
    texts_per_minute: int

    @classmethod
    def of(
        cls, settings: Settings, calls_per_hour: int | None = None, texts_per_minute: int | None = None
    ) -> Limits:
        """The association's own limits (``None``: not set) over the settings'."""
        return cls(settings.calls_per_hour, settings.texts_per_minute).with_own(
            calls_per_hour, texts_per_minute
        )

    def with_own(self, calls_per_hour: int | None, texts_per_minute: int | None) -> Limits:
        return Limits(calls_per_hour or self.calls_per_hour, texts_per_minute or self.texts_per_minute)

    def for_kind(self, kind: str) -> int:
        return self.calls_per_hour if kind == "call" else self.texts_per_minute


@dataclass(frozen=True)
class Count:
    """This contact's place in its caller's window: the ``limit + 1``-th is the first one refused."""

    count: int
    limit: int

    @property
    def exceeded(self) -> bool:
        return self.count > self.limit

    @property
    def first_refused(self) -> bool:
        return self.count == self.limit + 1


@dataclass(frozen=True)
class LimitedCaller:
    """A line of the board: a caller (by the start of the keyed hash) refused lately, how and when last."""

    kind: str
    caller: str
    last_refused_at: datetime


def board_key(association_id: int) -> str:
    return f"{PREFIX}{association_id}:limited"


def count_contact(
    client: redis.Redis, association_id: int, kind: str, caller_hash: str, limit: int, now: datetime
) -> Count:
    window = WINDOW_SECONDS[kind]
    started = int(now.timestamp()) // window
    counter = f"{PREFIX}{association_id}:{kind}:{caller_hash}:{started}"
    script = _count_script(client)
    member = f"{kind}:{caller_hash}"
    args: list[str | int] = [window, limit, member, int(now.timestamp()), BOARD_SECONDS]
    return Count(int(script(keys=[counter, board_key(association_id)], args=args)), limit)


def recently_limited(client: redis.Redis, association_id: int, now: datetime) -> list[LimitedCaller]:
    """Callers refused by a limit in the last day, latest first (the board's flag)."""
    since = int(now.timestamp()) - BOARD_SECONDS
    found: Any = client.zrevrangebyscore(board_key(association_id), "+inf", since, withscores=True)
    limited = []
    for member, score in found:
        kind, _, caller = (member.decode() if isinstance(member, bytes) else str(member)).partition(":")
        limited.append(LimitedCaller(kind, caller[:SHOWN_HASH], datetime.fromtimestamp(float(score), UTC)))
    return limited


def forget_caller(client: redis.Redis, association_id: int, caller_hash: str) -> int:
    """Erasure: this caller's counters and board lines go; answers how many keys or lines were removed."""
    removed = 0
    for key in client.scan_iter(match=f"{PREFIX}{association_id}:*:{caller_hash}:*", count=1000):
        removed += int(client.delete(key))
    for kind in WINDOW_SECONDS:
        removed += int(client.zrem(board_key(association_id), f"{kind}:{caller_hash}"))
    return removed
