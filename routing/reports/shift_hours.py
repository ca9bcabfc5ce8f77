"""Listener time on shift per local period and language, from the roster's calendar: a listener who speaks
three languages counts in each of them, and an occurrence covering half an hour counts half of it."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlmodel import Session, col, select

from routing.engine.live.keys import to_us
from routing.reports.periods import ReportRange
from routing.roster import expand, list_shifts, spoken_languages
from schemas.tables import Listener


def shift_hours(
    session: Session, association_id: int, window: ReportRange, *, ready_only: bool = False
) -> dict[tuple[int, str], int]:
    """(period, language) -> microseconds of listener time on shift. ``ready_only`` counts only active,
    verified listeners: the ones routing would offer a contact to."""
    shifts = list_shifts(session, association_id)
    listeners = {s.listener_id for s in shifts}
    if ready_only:
        listeners = _ready(session, listeners)
    speaks = {
        i: [row.code for row in rows] for i, rows in spoken_languages(session, sorted(listeners)).items()
    }
    found: dict[tuple[int, str], int] = defaultdict(int)
    for shift in shifts:
        codes = speaks.get(shift.listener_id, [])
        if not codes:
            continue
        for occurrence in expand(shift, window.start, window.end):
            start, end = max(occurrence.start, window.start), min(occurrence.end, window.end)
            for slot, spent in _spread(window, start, end):
                for code in codes:
                    found[(slot, code)] += spent
    return dict(found)


def _ready(session: Session, listener_ids: set[int]) -> set[int]:
    rows = session.exec(
        select(Listener.id).where(
            col(Listener.id).in_(listener_ids), col(Listener.active), col(Listener.registration_verified)
        )
    )
    return {i for i in rows if i is not None}


def _spread(window: ReportRange, start: datetime, end: datetime) -> list[tuple[int, int]]:
    """The microseconds of [start, end) falling in each local period, in integer arithmetic."""
    spread = []
    cursor, stop = to_us(start), to_us(end)
    while cursor < stop:
        boundary = min(window.period_end_us(cursor), stop)
        spread.append((window.slot_at_us(cursor), boundary - cursor))
        cursor = boundary
    return spread
