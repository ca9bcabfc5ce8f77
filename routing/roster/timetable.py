"""The roster in time: one listener's occurrences (their shifts this week and next), everyone's in a week
for the coordinators' week view, and the coverage heat map (per language and hour, how many are rostered).

All of it expands the same shift rules the engine uses to decide who is on shift, so a page can never show
a roster the routing does not follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from routing.configuration.languages import list_languages
from routing.engine.shift_rules import Occurrence
from routing.engine.snapshot import given_up_starts
from routing.roster.calendar import expand, list_shifts
from routing.roster.listeners import list_listeners, spoken_languages
from schemas.tables import Shift

HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Slot:
    """One occurrence of a shift, with the shift it comes from (``weekly`` when it repeats)."""

    shift: Shift
    occurrence: Occurrence

    @property
    def repeats(self) -> bool:
        return bool(self.shift.rrule)


def occurrences_between(
    session: Session, association_id: int, start: datetime, end: datetime, listener_id: int | None = None
) -> list[Slot]:
    """Every occurrence in [start, end), earliest first (one listener's with ``listener_id``); occurrences
    given up are not worked, so they are not here (``open_shifts`` lists them)."""
    rows = list_shifts(session, association_id, listener_id)
    given_up = given_up_starts(session, [row.id for row in rows if row.id is not None])
    slots = [
        Slot(row, occurrence)
        for row in rows
        for occurrence in expand(row, start, end, given_up.get(row.id or 0, frozenset()))
    ]
    return sorted(slots, key=lambda s: (s.occurrence.start, s.shift.id or 0))


def current_slot(session: Session, association_id: int, listener_id: int, at: datetime) -> Slot | None:
    """The listener's occurrence covering ``at`` (the one ending last when several overlap), or None."""
    covering = [
        slot
        for slot in occurrences_between(
            session, association_id, at - timedelta(days=1), at + HOUR, listener_id
        )
        if slot.occurrence.covers(at)
    ]
    return max(covering, key=lambda s: s.occurrence.end, default=None)


@dataclass(frozen=True)
class Coverage:
    """Per language (menu order), how many active listeners are rostered in each hour from ``start``."""

    start: datetime
    hours: list[datetime]
    counts: dict[str, list[int]]

    def days(self) -> list[list[datetime]]:
        return [self.hours[i : i + 24] for i in range(0, len(self.hours), 24)]


def coverage(session: Session, association_id: int, start: datetime, days: int = 14) -> Coverage:
    """A listener counts in an hour when any of their shifts overlaps it; nobody counts twice."""
    hours = [start + i * HOUR for i in range(days * 24)]
    active = {row.id for row in list_listeners(session, association_id) if row.active}
    spoken = spoken_languages(session, [i for i in active if i is not None])
    codes = [language.code for language in list_languages(session, association_id)]
    present: list[set[int]] = [set() for _ in hours]
    for slot in occurrences_between(session, association_id, start, hours[-1] + HOUR):
        if slot.shift.listener_id not in active:
            continue
        first = max(0, int((slot.occurrence.start - start) / HOUR))
        last = min(len(hours), -int(-(slot.occurrence.end - start) // HOUR))
        for index in range(first, last):
            present[index].add(slot.shift.listener_id)
    speaks = {listener_id: {row.code for row in rows} for listener_id, rows in spoken.items()}
    counts = {code: [sum(1 for i in hour if code in speaks.get(i, ())) for hour in present] for code in codes}
    return Coverage(start, hours, counts)
