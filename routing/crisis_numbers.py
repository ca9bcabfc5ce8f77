"""The numbers the prompts name: the crisis line (Tele-MANAS 14416 by default, or an association's own) and
the emergency number. They come from the settings, never from the catalogs, so the number a caller hears or
reads is always the number the helpline dials."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.settings import Settings


@dataclass(frozen=True)
class CrisisNumbers:
    crisis_line: str
    emergency_number: str

    @classmethod
    def from_settings(cls, settings: Settings) -> CrisisNumbers:
        return cls(settings.crisis_line, settings.emergency_number)

    def placeholders(self) -> dict[str, str]:
        """The values for ``%(crisis_line)s`` and ``%(emergency_number)s`` in a message."""
        return {"crisis_line": self.crisis_line, "emergency_number": self.emergency_number}
