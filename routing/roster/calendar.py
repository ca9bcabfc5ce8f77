"""Shifts as a coordinator plans them, and the calendar they make: occurrences in a window, and who is on
shift at a moment, per language of the association's menu.

``shifts.starts_at`` is a timestamp with time zone holding the first start as an instant; the wall-clock
time that recurs is that instant seen in the shift's ``timezone`` (``local_start``).

Recurrence is limited to daily, weekly and monthly rules built from FREQ, INTERVAL, BYDAY, BYMONTHDAY, COUNT,
UNTIL and WKST: a helpline shift never repeats every second, and a rule that can never occur (``BYMONTH=2;
BYMONTHDAY=30``) would make dateutil search for seconds to the year 9999 on every calendar query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from locales.language_names import native_name
from routing.configuration.audit import Actor, Subject, create_audited, delete_audited, update_audited
from routing.configuration.checks import check_time_zone
from routing.configuration.languages import list_languages
from routing.engine.shift_rules import (
    Occurrence,
    ShiftRule,
    local_start,
    occurrences,
    parse_rrule,
    to_rule,
    validate_shift,
    zone,
)
from routing.engine.snapshot import given_up_starts
from routing.errors import InvalidConfigurationError, NotFoundError
from routing.roster.listeners import get_listener, spoken_languages
from schemas.api import ShiftCreate, ShiftUpdate
from schemas.tables import Listener, Proficiency, Shift

ALLOWED_FREQUENCIES = re.compile(r"(^|;)FREQ=(DAILY|WEEKLY|MONTHLY)(;|$)")
ALLOWED_PARTS = frozenset({"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL", "WKST"})
MAX_INTERVAL = 100
MAX_WINDOW = timedelta(days=62)


def list_shifts(session: Session, association_id: int, listener_id: int | None = None) -> list[Shift]:
    query = select(Shift).where(Shift.association_id == association_id)
    if listener_id is not None:
        query = query.where(Shift.listener_id == listener_id)
    return list(session.exec(query.order_by(col(Shift.starts_at), col(Shift.id))).all())


def get_shift(session: Session, association_id: int, shift_id: int) -> Shift:
    row = session.get(Shift, shift_id)
    if row is None or row.association_id != association_id:
        raise NotFoundError("shift not found")
    return row


def expand(
    row: Shift, window_start: datetime, window_end: datetime, given_up: frozenset[int] = frozenset()
) -> list[Occurrence]:
    """Occurrences of one shift in the window (less those given up); a rule that cannot be expanded yields
    none, never an error."""
    try:
        return occurrences(to_rule(row, given_up), window_start, window_end)
    except (InvalidConfigurationError, ValueError, OverflowError):
        return []


def check_window(window_start: datetime, window_end: datetime) -> None:
    if window_end <= window_start:
        raise InvalidConfigurationError("must be after from", field="to", location="query")
    if window_end - window_start > MAX_WINDOW:
        raise InvalidConfigurationError("the window may span at most 62 days", field="to", location="query")


def _as_local(starts_at: datetime, timezone: str) -> datetime:
    """Shifts are planned in local wall-clock time; an offset sent with the start is converted into the zone."""
    if starts_at.tzinfo is None:
        return starts_at
    return starts_at.astimezone(zone(timezone)).replace(tzinfo=None)


def _as_instant(local: datetime, timezone: str) -> datetime:
    return local.replace(tzinfo=zone(timezone))


def _check_rule(fields: dict[str, Any]) -> None:
    rule = ShiftRule(
        listener_id=0,
        starts_at=fields["starts_at"],
        duration=timedelta(minutes=fields["duration_minutes"]),
        timezone=check_time_zone(fields["timezone"]),
        rrule=fields.get("rrule"),
    )
    if rule.rrule:
        body = rule.rrule.strip().removeprefix("RRULE:").upper()
        if not ALLOWED_FREQUENCIES.search(body):
            raise InvalidConfigurationError("a shift repeats DAILY, WEEKLY or MONTHLY", field="rrule")
        _check_rule_parts(
            {name: value for name, _, value in (p.partition("=") for p in body.split(";") if p)}
        )
    try:
        validate_shift(rule)
        first = (
            parse_rrule(rule.rrule, rule.starts_at).after(rule.starts_at, inc=True) if rule.rrule else True
        )
    except (ValueError, TypeError, OverflowError, KeyError, IndexError) as exc:
        raise InvalidConfigurationError(f"invalid rrule: {exc}", field="rrule") from exc
    if first is None:
        raise InvalidConfigurationError("the rrule never occurs on or after starts_at", field="rrule")


def _check_rule_parts(parts: dict[str, str]) -> None:
    """Only rules that always occur again soon: combinations such as ``FREQ=DAILY;INTERVAL=7;BYDAY=MO`` from
    a Tuesday never occur, and dateutil would search to the year 9999 to find that out."""
    if not parts.keys() <= ALLOWED_PARTS:
        names = ", ".join(sorted(parts.keys() - ALLOWED_PARTS))
        raise InvalidConfigurationError(f"invalid rrule: {names} not supported for shifts", field="rrule")
    interval = parts.get("INTERVAL", "1")
    if not interval.isdigit() or not 1 <= int(interval) <= MAX_INTERVAL:
        raise InvalidConfigurationError(
            f"invalid rrule: INTERVAL runs from 1 to {MAX_INTERVAL}", field="rrule"
        )
    frequency, repeats = parts.get("FREQ"), int(interval) > 1
    if frequency == "DAILY" and repeats and {"BYDAY", "BYMONTHDAY"} & parts.keys():
        raise InvalidConfigurationError(
            "invalid rrule: a daily INTERVAL cannot be combined with BYDAY or BYMONTHDAY", field="rrule"
        )
    if frequency == "WEEKLY" and "BYMONTHDAY" in parts:
        raise InvalidConfigurationError(
            "invalid rrule: a weekly rule takes BYDAY, not BYMONTHDAY", field="rrule"
        )
    if frequency == "MONTHLY" and repeats and "BYMONTHDAY" in parts:
        raise InvalidConfigurationError(
            "invalid rrule: a monthly INTERVAL cannot be combined with BYMONTHDAY", field="rrule"
        )


def create_shift(session: Session, association_id: int, data: ShiftCreate, actor: Actor) -> Shift:
    get_listener_in(session, association_id, data.listener_id)
    fields = data.model_dump(mode="python")
    fields["starts_at"] = _as_local(data.starts_at, check_time_zone(data.timezone))
    _check_rule(fields)
    fields["starts_at"] = _as_instant(fields["starts_at"], data.timezone)
    row = Shift(association_id=association_id, **fields)
    create_audited(session, actor, row, "shift", fields)
    return row


def get_listener_in(session: Session, association_id: int, listener_id: int) -> Listener:
    """A shift may only name a listener of its own association; another's is reported as a bad field."""
    try:
        return get_listener(session, association_id, listener_id)
    except NotFoundError as exc:
        raise InvalidConfigurationError("no such listener in this association", field="listener_id") from exc


def update_shift(session: Session, row: Shift, data: ShiftUpdate, actor: Actor) -> Shift:
    fields = data.model_dump(mode="python", exclude_unset=True)
    if "listener_id" in fields:
        get_listener_in(session, row.association_id, fields["listener_id"])
    merged = {
        "starts_at": local_start(row), "duration_minutes": row.duration_minutes, "timezone": row.timezone,
        "rrule": row.rrule, **fields,
    }  # fmt: skip
    merged["starts_at"] = _as_local(merged["starts_at"], check_time_zone(merged["timezone"]))
    _check_rule(merged)
    if "starts_at" in fields or "timezone" in fields:
        # A new zone keeps the wall-clock time: 09:00 stays 09:00, now in the new zone.
        fields["starts_at"] = _as_instant(merged["starts_at"], merged["timezone"])
    update_audited(session, actor, row, fields, _subject(row))
    return row


def delete_shift(session: Session, row: Shift, actor: Actor) -> None:
    delete_audited(session, actor, row, _subject(row), {"listener_id": row.listener_id})


def _subject(row: Shift) -> Subject:
    return Subject("shift", row.id, row.association_id)


# Who is on shift


@dataclass(frozen=True)
class OnShift:
    listener: Listener
    proficiency: Proficiency
    occurrence: Occurrence

    @property
    def training_valid(self) -> bool:
        until = self.listener.training_valid_until
        return until is not None and until >= self.occurrence.start.date()


@dataclass(frozen=True)
class LanguageOnShift:
    code: str
    native_name: str
    enabled: bool
    on_shift: list[OnShift]


def _covering(session: Session, association_id: int, at: datetime) -> dict[int, Occurrence]:
    """Per active listener, the occurrence covering the moment (the one ending last, if several overlap)."""
    found: dict[int, Occurrence] = {}
    rows = list_shifts(session, association_id)
    given_up = given_up_starts(session, [row.id for row in rows if row.id is not None])
    for row in rows:
        for occurrence in expand(
            row, at, at + timedelta(microseconds=1), given_up.get(row.id or 0, frozenset())
        ):
            current = found.get(row.listener_id)
            if occurrence.covers(at) and (current is None or occurrence.end > current.end):
                found[row.listener_id] = occurrence
    return found


def find_on_shift(session: Session, association_id: int, at: datetime) -> list[LanguageOnShift]:
    """For each language of the menu, in menu order: the active listeners on shift at ``at`` who speak it."""
    covering = _covering(session, association_id, at)
    listeners = {
        row.id: row for row in (session.get(Listener, i) for i in covering) if row is not None and row.active
    }
    spoken = spoken_languages(session, [i for i in listeners if i is not None])
    result = []
    for language in list_languages(session, association_id):
        on_shift = [
            OnShift(listeners[listener_id], spoke.proficiency, covering[listener_id])
            for listener_id, rows in spoken.items()
            for spoke in rows
            if spoke.code == language.code
        ]
        on_shift.sort(key=lambda o: (list(Proficiency).index(o.proficiency), o.listener.name))
        result.append(LanguageOnShift(language.code, native_name(language.code), language.enabled, on_shift))
    return result
