"""The numbers the prompts name: the crisis line (Tele-MANAS 14416 by default, or an association's own) and
the emergency number. They come from the settings, never from the catalogs, so the number a caller hears or
reads is always the number the helpline dials."""

from __future__ import annotations

from dataclasses import dataclass, replace

from schemas.settings import Settings


@dataclass(frozen=True)
class CrisisNumbers:
    crisis_line: str
    emergency_number: str
    wait_seconds: int = 120  # a caller in danger reaches the crisis line after this wait at most

    @classmethod
    def from_settings(cls, settings: Settings) -> CrisisNumbers:
        return cls(settings.crisis_line, settings.emergency_number, settings.crisis_max_wait_seconds)

    def within(self, seconds: int | None) -> CrisisNumbers:
        """With an association's own wait limit (None: the settings')."""
        return self if seconds is None else replace(self, wait_seconds=seconds)

    def placeholders(self) -> dict[str, str]:
        """The values for ``%(crisis_line)s``, ``%(emergency_number)s`` and ``%(seconds)s`` in a message."""
        return {
            "crisis_line": self.crisis_line,
            "emergency_number": self.emergency_number,
            "seconds": str(self.wait_seconds),
        }
