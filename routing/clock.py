"""Time is passed in, never read inside decisions: services take a Clock so tests can fix the time.

``SystemClock`` is the real one; ``SteppedClock`` moves only when told, and is the one clock tests use
(and anything else that replays a scenario), so no test reads the wall clock or waits for it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class SteppedClock:
    """A clock standing still at ``at`` until ``advance`` moves it on."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("a clock tells aware times: give the start a time zone")
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> datetime:
        self.at += timedelta(seconds=seconds)
        return self.at
