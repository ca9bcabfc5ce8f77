"""Who may be offered a contact at all, and which language to serve first. Pure decisions.

Eligibility is decided here from the roster and reflected in which pools a listener joins: an unverified
listener, or one whose training has lapsed, joins none. Exclusions are per contact: a caller may ask not to
reach listeners of their own institution or city, and a listener may decline an institution; those listeners
become the contact's skip set.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from schemas.tables import Proficiency


@dataclass(frozen=True)
class RosterListener:
    """A listener as routing sees them: no phone number, only what decides who is offered what."""

    listener_id: int
    association_id: int
    name: str
    languages: Mapping[str, Proficiency]
    registration_verified: bool
    training_valid_until: date | None
    active: bool
    institution: str = ""
    city: str = ""
    declined_institutions: tuple[str, ...] = ()
    text_capacity: int = 3
    on_shift: bool = False
    paused: bool = False
    paused_reason: str = ""

    def speaks(self, language: str) -> bool:
        return language in self.languages


@dataclass(frozen=True)
class Exclusion:
    """What a caller asked to avoid: listeners of this institution and/or city (plain names, never numbers)."""

    institution: str = ""
    city: str = ""


def _same(a: str, b: str) -> bool:
    return bool(a.strip()) and a.strip().casefold() == b.strip().casefold()


def ineligibility(listener: RosterListener, today: date) -> str | None:
    """Why this listener may never be offered anything today, or None."""
    if not listener.active:
        return "inactive"
    if not listener.registration_verified:
        return "registration unverified"
    if listener.training_valid_until is None or listener.training_valid_until < today:
        return "training lapsed"
    return None


def is_excluded(listener: RosterListener, exclusion: Exclusion) -> bool:
    """Across an exclusion in either direction: the caller's wish, or the listener's declined institutions."""
    if _same(exclusion.institution, listener.institution) or _same(exclusion.city, listener.city):
        return True
    return any(_same(exclusion.institution, declined) for declined in listener.declined_institutions)


def excluded_ids(listeners: Iterable[RosterListener], exclusion: Exclusion) -> set[int]:
    return {listener.listener_id for listener in listeners if is_excluded(listener, exclusion)}


def hardness(free_speakers: int, waiting: int) -> float:
    """Free speakers per waiting contact: the lower, the harder the language is to serve right now.

    The Lua in ``routing/live.lua`` (``hardness``) applies the same rule inside the freeing script."""
    return float("inf") if waiting == 0 else free_speakers / waiting


@dataclass(frozen=True, order=True)
class QueueLoad:
    language: str
    free_speakers: int = field(compare=False)
    waiting: int = field(compare=False)


def hardest_first(loads: Iterable[QueueLoad]) -> list[str]:
    """Languages with waiting contacts, hardest to serve first (ties: alphabetical, for a stable order)."""
    waiting = [load for load in loads if load.waiting > 0]
    return [
        load.language
        for load in sorted(waiting, key=lambda q: (hardness(q.free_speakers, q.waiting), q.language))
    ]
