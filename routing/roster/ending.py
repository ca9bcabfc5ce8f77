"""Ending a repeating shift from a day on: its occurrences from that local day disappear and the earlier
ones stay, because the rule gains an ``UNTIL`` (RFC 5545) just before that day, rather than the row being
deleted. Occurrences given up from that day on are no longer open; one already taken is another listener's
shift and stays."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from routing.configuration.audit import Actor, Subject, delete_audited
from routing.engine.shift_rules import local_start, parse_rrule, zone
from routing.errors import InvalidConfigurationError
from routing.roster.calendar import delete_shift, update_shift
from schemas.api import ShiftUpdate
from schemas.tables import OpenShift, Shift

ENDING_PARTS = ("UNTIL", "COUNT")  # RFC 5545 allows one of them; the new end replaces both


def end_shift_from(session: Session, row: Shift, day: date, actor: Actor) -> Shift | None:
    """The shift with no occurrence starting on ``day`` (local) or later; None when none was left before
    it, and the shift is deleted."""
    if not row.rrule:
        raise InvalidConfigurationError("only a repeating shift ends from a day; end this one", field="from")
    boundary = datetime.combine(day, time.min)  # local wall-clock time, as the rule recurs
    if parse_rrule(row.rrule, local_start(row), row.timezone).after(boundary, inc=True) is None:
        raise InvalidConfigurationError("this shift has no occurrence from that day", field="from")
    _close_open_occurrences(session, row, boundary.replace(tzinfo=zone(row.timezone)), actor)
    if day <= local_start(row).date():
        delete_shift(session, row, actor)
        return None
    return update_shift(session, row, ShiftUpdate(rrule=ended_rule(row.rrule, boundary)), actor)


def ended_rule(rrule: str, boundary: datetime) -> str:
    """The rule with its last occurrence before ``boundary`` (local): ``UNTIL`` a second before it."""
    kept = [part for part in rrule.split(";") if part.split("=", 1)[0].upper() not in ENDING_PARTS]
    until = boundary - timedelta(seconds=1)
    return ";".join([*kept, f"UNTIL={until:%Y%m%dT%H%M%S}"])


def _close_open_occurrences(session: Session, row: Shift, boundary: datetime, actor: Actor) -> None:
    query = select(OpenShift).where(
        OpenShift.shift_id == row.id,
        OpenShift.starts_at_epoch >= boundary.timestamp(),
        col(OpenShift.taken_by).is_(None),
    )
    for opened in session.exec(query).all():
        delete_audited(session, actor, opened, Subject("open_shift", opened.id, row.association_id),
                       {"shift_id": row.id})  # fmt: skip
