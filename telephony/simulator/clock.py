"""The simulator's virtual time: prompts, rings and waits take simulated seconds, not real ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

DEFAULT_START = datetime(2025, 1, 6, 4, 30, tzinfo=UTC)  # 10:00 in India, a Monday


class VirtualClock:
    """Seconds since the simulation started; moved only by the scheduler."""

    def __init__(self, start: datetime = DEFAULT_START) -> None:
        if start.tzinfo is None:
            raise ValueError("the simulator clock needs an aware start time")
        self.start = start
        self.seconds = 0.0

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.seconds)

    def rfc2822(self) -> str:
        """Twilio's Timestamp format in status callbacks."""
        return format_datetime(self.now().astimezone(UTC), usegmt=True)

    def move_to(self, seconds: float) -> None:
        if seconds > self.seconds:
            self.seconds = round(seconds, 6)  # keep transcripts free of float noise
