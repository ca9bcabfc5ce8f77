"""Build a helpline the way an operator would: an association, its menu languages and numbers, listeners
with their languages and shifts, all through the configuration and roster services the API calls (checked
and audited like any change). `samvaad demo`, `samvaad seed-demo` and the end-to-end test fixtures share it.

It flushes and never commits: the caller commits once, when the helpline is complete.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from routing import configuration, roster
from routing.configuration import Actor
from routing.phones import PhoneVault
from schemas.api import AssociationCreate, LanguageCreate, ListenerCreate, NumberCreate, ShiftCreate
from schemas.tables import Channel

TRAINED_UNTIL = date(2027, 12, 31)


@dataclass(frozen=True)
class ShiftTimes:
    """A shift: its start (aware, or local wall-clock time in the association's zone), length, recurrence."""

    starts_at: datetime
    minutes: int
    rrule: str | None = None


@dataclass
class HelplineBuilder:
    session: Session
    vault: PhoneVault
    actor: Actor

    def association(
        self,
        name: str,
        languages: Sequence[str | tuple[str, str]],
        numbers: Sequence[tuple[str, Channel] | tuple[str, Channel, str]],
        **settings: Any,
    ) -> int:
        """The association, its menu (keys 1, 2, … in the order given; a language may name its voice) and
        its numbers; ``settings`` are the association's fields (ring time, callback hours, …)."""
        data = AssociationCreate.model_validate({"name": name, **settings})
        association = configuration.create_association(self.session, data, self.actor)
        assert association.id is not None
        for digit, language in enumerate(languages, start=1):
            code, voice = (language, None) if isinstance(language, str) else language
            language_entry = LanguageCreate(code=code, digit=digit, tts_voice=voice)
            configuration.add_language(self.session, association.id, language_entry, self.actor)
        for number, channel, *label in numbers:
            number_entry = NumberCreate(number=number, channel=channel, label=label[0] if label else "")
            configuration.add_number(self.session, association.id, number_entry, self.actor)
        return association.id

    def listener(
        self,
        association_id: int,
        name: str,
        number: str,
        languages: Mapping[str, str],  # code -> proficiency
        shifts: Sequence[ShiftTimes] = (),
        **fields: Any,
    ) -> int:
        """A listener (verified and trained unless ``fields`` say otherwise) and their shifts."""
        data = ListenerCreate.model_validate(
            {
                "name": name,
                "phone": number,
                "languages": [{"code": code, "proficiency": level} for code, level in languages.items()],
                "registration_verified": True,
                "training_valid_until": TRAINED_UNTIL,
                **fields,
            }
        )
        listener = roster.create_listener(self.session, self.vault, association_id, data, self.actor)
        assert listener.id is not None
        for shift in shifts:
            entry = ShiftCreate(
                listener_id=listener.id,
                starts_at=shift.starts_at,
                duration_minutes=shift.minutes,
                rrule=shift.rrule,
            )
            roster.create_shift(self.session, association_id, entry, self.actor)
        return listener.id
